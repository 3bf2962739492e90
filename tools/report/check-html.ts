/**
 * Checks report pages in headless Chromium as the report tests do: no console errors, the
 * headline chart is the first thing on the page, no chart text is cut off with an ellipsis.
 *
 *   npx tsx tools/report/check-html.ts reports/demo/report.html [more.html ...]
 *
 * Prints one JSON object per page and exits 1 when a page fails a check.
 */
import { checkHtmlFilesInChromium, findChromium } from '@ecode/evaluation';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: npx tsx tools/report/check-html.ts <report.html> [...]\n');
  process.exit(2);
}
if (!findChromium()) {
  process.stderr.write('no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)\n');
  process.exit(1);
}
const pages = await checkHtmlFilesInChromium(files);
let failed = false;
pages.forEach((page, i) => {
  const problems = [
    ...page.consoleErrors.map((e) => `console error: ${e}`),
    ...(page.firstElementId === 'chart-headline'
      ? []
      : [`the first element is #${page.firstElementId || '(no id)'}, not the headline chart`]),
    ...page.cutTexts.map((t) => `text cut off: ${t}`),
  ];
  failed ||= problems.length > 0;
  process.stdout.write(JSON.stringify({ file: files[i], ok: problems.length === 0, problems, ...page }) + '\n');
});
process.exit(failed ? 1 : 0);
