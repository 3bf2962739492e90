/**
 * renderReport: Markdown plus a self-contained HTML page (inline CSS and inline SVG charts, no
 * scripts, nothing fetched) comparing variants.
 */
import type { PairedComparison } from '../stats/bootstrap.js';
import {
  gridSpec,
  headlineSpec,
  metricBarsSpec,
  metricsOf,
  renderSvg,
  speedupDistributionSpec,
  trainingCurveSpec,
} from './charts.js';
import { fmt, fmtP, metricLabel } from './labels.js';
import type { ReportInput, RenderedReport } from './types.js';

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

/** A split of the report: the first (`id` undefined) or one of input.splits. */
interface SplitView {
  id?: string;
  /** Short name for column suffixes. */
  short: string;
  label: string;
  comparisons: PairedComparison[];
  /** Metrics whose value is the same for every variant (stated in one line, not tabled). */
  uniform: string[];
  /** The others. */
  varying: string[];
}

/** Some variant has a value of `m` on the split. */
const finiteIn = (input: ReportInput, m: string, split?: string) =>
  input.variants.some((v) => Number.isFinite(metricsOf(v, split)[m]?.estimate));

/** The same displayed estimate and interval for every variant (at least two). */
function isUniform(input: ReportInput, m: string, split?: string): boolean {
  if (input.variants.length < 2) return false;
  const shown = input.variants.map((v) => {
    const iv = metricsOf(v, split)[m];
    return iv && Number.isFinite(iv.estimate) ? cell(iv) : undefined;
  });
  return shown[0] !== undefined && shown.every((x) => x === shown[0]);
}

function splitViews(input: ReportInput, metrics: string[]): SplitView[] {
  const view = (id: string | undefined, short: string, label: string, comparisons: PairedComparison[]): SplitView => {
    const present = metrics.filter((m) => finiteIn(input, m, id));
    const uniform = present.filter((m) => isUniform(input, m, id));
    return { id, short, label, comparisons, uniform, varying: present.filter((m) => !uniform.includes(m)) };
  };
  return [
    view(undefined, input.primaryId ?? 'test', input.primaryLabel ?? 'test problems', input.comparisons ?? []),
    ...(input.splits ?? []).map((s) => view(s.id, s.id, s.label, s.comparisons ?? [])),
  ];
}

/** `held-out families: all-pass rate 0.000 and speedup 1.000 for every variant`. */
function uniformLine(input: ReportInput, s: SplitView): string | undefined {
  if (s.uniform.length === 0) return undefined;
  const parts = s.uniform.map((m) => `${metricLabel(m)} ${fmt(metricsOf(input.variants[0], s.id)[m].estimate)}`);
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  const all = s.varying.length === 0;
  return `${s.label}: ${list} for every variant${all ? ' (every metric: no table or chart for this split)' : ''}.`;
}

/** The split has something that differs between variants. */
const hasVarying = (_input: ReportInput, s: SplitView) => s.varying.length > 0;

function splitTable(input: ReportInput, s: SplitView): Table {
  return {
    head: [
      'metric',
      ...input.variants.map((v) => {
        const n = s.id === undefined ? v.programs : v.splits?.[s.id]?.programs;
        return n !== undefined ? `${v.name} (n=${n})` : v.name;
      }),
    ],
    rows: s.varying.map((m) => [metricLabel(m), ...input.variants.map((v) => cell(metricsOf(v, s.id)[m]))]),
  };
}

/** The metrics that say most, one row per variant, every split side by side. */
const SIDE_BY_SIDE = ['allPassRate', 'passRate', 'compileRate', 'speedup'];

function sideBySideTable(input: ReportInput, views: SplitView[], metrics: string[]): Table | undefined {
  const shown = views.filter((s) => hasVarying(input, s));
  if (views.length < 2 || shown.length < 2) return undefined;
  const cols = SIDE_BY_SIDE.filter((m) => metrics.includes(m)).flatMap((m) =>
    shown.filter((s) => s.varying.includes(m)).map((s) => ({ m, s })),
  );
  if (new Set(cols.map((c) => c.s)).size < 2) return undefined;
  return {
    head: ['variant', ...cols.map(({ m, s }) => `${metricLabel(m)}: ${s.short}`)],
    rows: input.variants.map((v) => [v.name, ...cols.map(({ m, s }) => cell(metricsOf(v, s.id)[m]))]),
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

/** Each reported metric's id (its name in configs, evaluation.json and MLflow) beside its label. */
function idsLine(metrics: readonly string[], code: (id: string) => string): string {
  return `Metric ids (as in configs, evaluation.json and MLflow): ${metrics.map((m) => `${code(m)} ${metricLabel(m)}`).join('; ')}.`;
}

export async function renderReport(input: ReportInput): Promise<RenderedReport> {
  if (!input.measure?.name)
    throw new Error('renderReport: input.measure.name is required (which cost measure the efficiency numbers use)');
  if (input.variants.length === 0) throw new Error('renderReport: no variants to report');
  const metrics = metricOrder(input);
  const pct = Math.round((input.confidence ?? 0.95) * 100);
  const views = splitViews(input, metrics);
  const several = views.length > 1;
  // With several test splits every heading says which split it is about.
  const about = (s: SplitView) => (several ? `: ${s.label}` : '');
  const uniformLines = views.map((s) => uniformLine(input, s)).filter((l): l is string => Boolean(l));
  const dts = difficultyTables(input, metrics);
  const sections: Array<{ title: string; table: Table }> = [];
  const sbs = sideBySideTable(input, views, metrics);
  if (sbs)
    sections.push({
      title: `${views
        .filter((s) => hasVarying(input, s))
        .map((s) => s.label)
        .join(' vs ')} (side by side)`,
      table: sbs,
    });
  for (const s of views)
    if (hasVarying(input, s)) sections.push({ title: `Metrics${about(s)}`, table: splitTable(input, s) });
  for (const s of views) {
    const cs = s.comparisons.filter((c) => !s.uniform.includes(c.metric));
    const ct = hasVarying(input, s) ? comparisonTable(input, cs) : undefined;
    if (ct) sections.push({ title: `Variant vs variant${about(s)} (paired bootstrap on common problems)`, table: ct });
  }

  // The headline: the chosen metrics, in every split where they differ between variants.
  const headlineMetrics = (input.headline ?? ['allPassRate', 'speedup']).filter((m) =>
    input.variants.some((v) => views.some((s) => metricsOf(v, s.id)[m])),
  );
  // The first split always (it is the headline); the others where the metric differs between variants.
  const headlineRows = headlineMetrics.flatMap((m) =>
    views
      .filter((s, i) => i === 0 || !s.uniform.includes(m))
      .map((s) => ({ metric: m, split: s.id, splitLabel: s.label })),
  );
  const headline = headlineSpec(input, headlineRows);
  const headlineCaption = `${headlineMetrics.map(metricLabel).join(' and ')} per variant with ${pct}% intervals${
    several ? ` (${views[0].label}, and other test splits where variants differ)` : ''
  }`;

  const md: string[] = [`# ${input.title}`, ''];
  if (headline) md.push(`Headline (the HTML report draws it): ${headlineCaption}.`, '');
  for (const n of input.notes ?? []) md.push(`- ${n}`);
  if (input.notes?.length) md.push('');
  md.push(
    measureLine(input, pct),
    '',
    idsLine(metrics, (m) => `\`${m}\``),
    '',
  );
  for (const l of uniformLines) md.push(`**Same for every variant.** ${l}`, '');
  for (const { title, table } of sections) md.push(`## ${title}`, '', mdTable(table), '');
  for (const { difficulty, table } of dts)
    md.push(`## Difficulty${about(views[0])}: ${difficulty}`, '', mdTable(table), '');

  const charts: Array<{ id: string; caption: string; svg: string }> = [];
  const specs = [
    { id: 'chart-training', caption: 'Training and validation loss', spec: trainingCurveSpec(input) },
    ...views
      .filter((s) => hasVarying(input, s))
      .map((s, i) => ({
        id: i === 0 && s.id === undefined ? 'chart-metrics' : `chart-metrics-${s.id ?? 'test'}`,
        caption: `Metrics${about(s)}, with ${pct}% intervals${s.uniform.length ? `; the same for every variant (no panel): ${s.uniform.map(metricLabel).join(', ')}` : ''}`,
        spec: metricBarsSpec(input, s.varying, s.id),
      })),
    {
      id: 'chart-speedup',
      caption: `Per-problem speedup distributions${about(views[0])} (${input.measure.name})`,
      spec: speedupDistributionSpec(input),
    },
    {
      id: 'chart-grid',
      caption: 'Grid: the swept keys against the chosen metric (one line per point)',
      spec: gridSpec(input),
    },
  ];
  for (const s of specs) if (s.spec) charts.push({ id: s.id, caption: s.caption, svg: await renderSvg(s.spec) });
  const headlineSvg = headline ? await renderSvg(headline) : undefined;

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
.uniform { background: #eef3f8; padding: 0.5rem; border-left: 4px solid #9ab; }
</style>
</head>
<body>
${
  headlineSvg
    ? `<figure id="chart-headline"><figcaption><h1>${esc(input.title)}</h1>${esc(headlineCaption)}</figcaption>\n${headlineSvg}\n</figure>`
    : `<h1>${esc(input.title)}</h1>`
}
${input.notes?.length ? `<ul>${input.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<p class="measure">${esc(measureLine(input, pct))}</p>
<p class="ids">${esc(idsLine(metrics, (m) => m))}</p>
${uniformLines.map((l) => `<p class="uniform"><strong>Same for every variant.</strong> ${esc(l)}</p>`).join('\n')}
${sections.map(({ title, table }) => `<h2>${esc(title)}</h2>\n${htmlTable(table)}`).join('\n')}
<h2>Charts</h2>
${charts.map((c) => `<figure id="${c.id}"><figcaption>${esc(c.caption)}</figcaption>\n${c.svg}\n</figure>`).join('\n')}
${dts.map(({ difficulty, table }) => `<h2>Difficulty${esc(about(views[0]))}: ${esc(difficulty)}</h2>\n${htmlTable(table)}`).join('\n')}
</body>
</html>
`;
  return { markdown: md.join('\n'), html };
}
