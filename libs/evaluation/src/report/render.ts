/**
 * renderReport: Markdown plus a self-contained HTML page (inline CSS and inline SVG charts, no
 * scripts, nothing fetched) comparing variants.
 */
import { metricBarsSpec, renderSvg, speedupDistributionSpec, trainingCurveSpec } from './charts.js';
import { fmt, fmtP, metricLabel } from './labels.js';
import type { ReportInput, ReportSplit, ReportSplitResults, ReportVariant, RenderedReport } from './types.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function metricOrder(input: ReportInput): string[] {
  if (input.metrics) return input.metrics;
  const seen: string[] = [];
  for (const v of input.variants) for (const k of Object.keys(v.metrics)) if (!seen.includes(k)) seen.push(k);
  return seen;
}

function cell(iv: { estimate: number; lower: number; upper: number } | undefined): string {
  if (!iv || !Number.isFinite(iv.estimate)) return 'n/a';
  return `${fmt(iv.estimate)} [${fmt(iv.lower)}, ${fmt(iv.upper)}]`;
}

interface Table {
  head: string[];
  rows: string[][];
}

function metricsTable(input: ReportInput, metrics: string[]): Table {
  return {
    head: ['metric', ...input.variants.map((v) => (v.programs !== undefined ? `${v.name} (n=${v.programs})` : v.name))],
    rows: metrics.map((m) => [metricLabel(m), ...input.variants.map((v) => cell(v.metrics[m]))]),
  };
}

/** The further test splits (a legacy `heldOut` is the split `held-out`). */
export function extraSplits(input: ReportInput): ReportSplit[] {
  if (input.splits?.length) return input.splits;
  return input.heldOut ? [{ key: 'held-out', label: input.heldOut.label, comparisons: input.heldOut.comparisons }] : [];
}

function splitResults(v: ReportVariant, key: string): ReportSplitResults | undefined {
  return v.splits?.[key] ?? (key === 'held-out' ? v.heldOut : undefined);
}

function splitTable(input: ReportInput, metrics: string[], key: string): Table {
  return {
    head: [
      'metric',
      ...input.variants.map((v) => {
        const r = splitResults(v, key);
        return r?.programs !== undefined ? `${v.name} (n=${r.programs})` : v.name;
      }),
    ],
    rows: metrics.map((m) => [metricLabel(m), ...input.variants.map((v) => cell(splitResults(v, key)?.metrics[m]))]),
  };
}

/** The metrics that say most, one row per variant, every test split side by side. */
const SIDE_BY_SIDE = ['strictPassRate', 'passRate', 'compileRate', 'speedup'];

function sideBySideTable(input: ReportInput, metrics: string[], mainLabel: string): Table | undefined {
  const extra = extraSplits(input);
  if (extra.length === 0) return undefined;
  const shown = SIDE_BY_SIDE.filter((m) => metrics.includes(m));
  const short = (key: string) => (key === 'held-out' ? 'held-out' : key);
  return {
    head: [
      'variant',
      ...shown.flatMap((m) => [
        `${metricLabel(m)}: ${mainLabel}`,
        ...extra.map((s) => `${metricLabel(m)}: ${short(s.key)}`),
      ]),
    ],
    rows: input.variants.map((v) => [
      v.name,
      ...shown.flatMap((m) => [cell(v.metrics[m]), ...extra.map((s) => cell(splitResults(v, s.key)?.metrics[m]))]),
    ]),
  };
}

function difficultyTables(input: ReportInput, metrics: string[]): Array<{ difficulty: string; table: Table }> {
  const diffs = [...new Set(input.variants.flatMap((v) => Object.keys(v.byDifficulty ?? {})))].sort();
  return diffs.map((d) => ({
    difficulty: d,
    table: {
      head: ['metric', ...input.variants.map((v) => `${v.name} (n=${v.byDifficulty?.[d]?.programs ?? 0})`)],
      rows: metrics.map((m) => [metricLabel(m), ...input.variants.map((v) => cell(v.byDifficulty?.[d]?.metrics[m]))]),
    },
  }));
}

function comparisonTable(input: ReportInput, cs = input.comparisons ?? []): Table | undefined {
  if (cs.length === 0) return undefined;
  return {
    head: ['metric', 'A', 'B', 'mean A', 'mean B', 'A - B [interval]', 'p', 'problems', 'significant (p < 0.05)'],
    rows: cs.map((c) => [
      metricLabel(c.metric),
      c.variantA,
      c.variantB,
      fmt(c.meanA),
      fmt(c.meanB),
      cell(c.difference),
      fmtP(c.pValue),
      String(c.problems),
      c.pValue < 0.05 ? 'yes' : 'no',
    ]),
  };
}

function mdTable(t: Table): string {
  const line = (r: string[]): string => `| ${r.map(mdCell).join(' | ')} |`;
  return [line(t.head), line(t.head.map(() => '---')), ...t.rows.map(line)].join('\n');
}

function htmlTable(t: Table): string {
  const head = `<tr>${t.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function measureLine(input: ReportInput, pct: number): string {
  const unit = input.measure.unit ? ` (${input.measure.unit})` : '';
  return `Cost measure: ${input.measure.name}${unit}. Intervals: ${pct}% seeded percentile bootstrap, resampling problems.`;
}

export async function renderReport(input: ReportInput): Promise<RenderedReport> {
  if (!input.measure?.name)
    throw new Error('renderReport: input.measure.name is required (which cost measure the efficiency numbers use)');
  if (input.variants.length === 0) throw new Error('renderReport: no variants to report');
  const metrics = metricOrder(input);
  const pct = Math.round((input.confidence ?? 0.95) * 100);
  const mt = metricsTable(input, metrics);
  const dts = difficultyTables(input, metrics);
  const ct = comparisonTable(input);
  const extra = extraSplits(input);
  const mainLabel = input.mainSplitLabel ?? 'in-family';
  const sbs = sideBySideTable(input, metrics, mainLabel);
  // With further test splits every heading says which split it is about.
  const inFamily = extra.length ? `: ${mainLabel} test problems` : '';
  const sections: Array<{ title: string; table: Table }> = [];
  if (sbs) {
    const title =
      extra.length === 1
        ? `${mainLabel[0].toUpperCase()}${mainLabel.slice(1)} vs ${extra[0].label} (side by side)`
        : `Test splits side by side: ${[mainLabel, ...extra.map((s) => s.label)].join('; ')}`;
    sections.push({ title, table: sbs });
  }
  sections.push({ title: `Metrics${inFamily}`, table: mt });
  for (const s of extra) sections.push({ title: `Metrics: ${s.label}`, table: splitTable(input, metrics, s.key) });
  if (ct) sections.push({ title: `Variant vs variant${inFamily} (paired bootstrap on common problems)`, table: ct });
  for (const s of extra) {
    const t = comparisonTable(input, s.comparisons ?? []);
    if (t) sections.push({ title: `Variant vs variant: ${s.label} (paired bootstrap on common problems)`, table: t });
  }

  const md: string[] = [`# ${input.title}`, ''];
  for (const n of input.notes ?? []) md.push(`- ${n}`);
  if (input.notes?.length) md.push('');
  md.push(measureLine(input, pct), '');
  for (const { title, table } of sections) md.push(`## ${title}`, '', mdTable(table), '');
  for (const { difficulty, table } of dts) md.push(`## Difficulty${inFamily}: ${difficulty}`, '', mdTable(table), '');

  const charts: Array<{ id: string; caption: string; svg: string }> = [];
  const bars = metricBarsSpec(input, metrics);
  const specs = [
    { id: 'chart-training', caption: 'Training and validation loss', spec: trainingCurveSpec(input) },
    {
      id: 'chart-metrics',
      caption: `Metrics${inFamily} with ${pct}% intervals${bars?.caption ?? ''}`,
      spec: bars?.spec,
    },
    ...extra.map((s) => {
      const b = metricBarsSpec(input, metrics, s.key);
      return {
        id: s.key === 'held-out' ? 'chart-metrics-heldout' : `chart-metrics-${s.key}`,
        caption: `Metrics: ${s.label}, with ${pct}% intervals${b?.caption ?? ''}`,
        spec: b?.spec,
      };
    }),
    {
      id: 'chart-speedup',
      caption: `Per-problem speedup distributions${inFamily} (${input.measure.name})`,
      spec: speedupDistributionSpec(input),
    },
  ];
  for (const s of specs) if (s.spec) charts.push({ id: s.id, caption: s.caption, svg: await renderSvg(s.spec) });

  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #f3f3f3; }
figure { margin: 1rem 0 2rem; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 0.5rem; }
.measure { background: #f7f7e8; padding: 0.5rem; border-left: 4px solid #cc9; }
</style>
</head>
<body>
<h1>${esc(input.title)}</h1>
${input.notes?.length ? `<ul>${input.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<p class="measure">${esc(measureLine(input, pct))}</p>
${sections.map(({ title, table }) => `<h2>${esc(title)}</h2>\n${htmlTable(table)}`).join('\n')}
<h2>Charts</h2>
${charts.map((c) => `<figure id="${c.id}"><figcaption>${esc(c.caption)}</figcaption>\n${c.svg}\n</figure>`).join('\n')}
${dts.map(({ difficulty, table }) => `<h2>Difficulty${esc(inFamily)}: ${esc(difficulty)}</h2>\n${htmlTable(table)}`).join('\n')}
</body>
</html>
`;
  return { markdown: md.join('\n'), html };
}
