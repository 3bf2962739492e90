/** The predictor's report: one metrics table per view, in Markdown and in a self-contained HTML page. */
import { METHOD_LABELS, type EvaluationTable } from './evaluate-predictor.js';
import type { TimeMetrics } from './metrics.js';

export interface ReportContext {
  title: string;
  /** Free lines shown under the title (data, command, training time...). */
  facts: string[];
  table: EvaluationTable;
  /** The verdict line (e.g. whether the predictor beats the lines-of-code baseline). */
  verdict?: string;
  /** Further tables (corpus test splits, the check set), each shown after the main one. */
  extra?: EvaluationTable[];
}

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const cells = (m: TimeMetrics) => [
  fmt(m.maeUs, 0),
  fmt(m.maeLog, 3),
  fmt(Math.exp(m.medianAbsLog), 2),
  fmt(m.spearman, 3),
  `${fmt(m.pairwiseAccuracy, 3)} (${m.pairs})`,
  `${fmt(m.pairwiseAccuracyClear, 3)} (${m.pairsClear})`,
];
const HEAD = [
  'method',
  'MAE µs',
  'MAE ln µs',
  'typical ×/÷',
  'Spearman',
  'pairwise acc (pairs)',
  'pairwise acc, ≥1.25× apart',
];

function views(table: EvaluationTable): string[] {
  return [...new Set(table.rows.map((r) => r.view))];
}

export function renderMarkdown(ctx: ReportContext): string {
  const out = [`# ${ctx.title}`, '', ...ctx.facts.map((f) => `- ${f}`), ''];
  if (ctx.verdict) out.push(`**${ctx.verdict}**`, '');
  for (const table of [ctx.table, ...(ctx.extra ?? [])])
    for (const view of views(table)) {
      out.push(
        `## View \`${view}\` (${table.split} split)`,
        '',
        `| ${HEAD.join(' | ')} |`,
        `|${HEAD.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
      );
      for (const r of table.rows.filter((x) => x.view === view))
        out.push(`| ${METHOD_LABELS[r.method]} | ${cells(r.metrics).join(' | ')} |`);
      out.push('');
    }
  out.push(
    'MAE ln µs: mean |ln predicted − ln measured|; typical ×/÷: exp of the median of that; pairwise accuracy: over pairs of',
    'solutions of the same problem with different measured times, the share ranked in the right order (a tie counts ½).',
    'The per-problem mean is an oracle (it uses the problem’s measured times) and ranks every pair as a tie.',
    '',
  );
  return out.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderHtml(ctx: ReportContext): string {
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(ctx.title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin-bottom:1.5em}',
    'th,td{border:1px solid #ccc;padding:.3em .6em}td{text-align:right}td:first-child{text-align:left}tr.model{font-weight:bold;background:#eef6ff}</style>',
    '</head><body>',
    `<h1>${esc(ctx.title)}</h1>`,
    `<ul>${ctx.facts.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`,
  ];
  if (ctx.verdict) parts.push(`<p><strong>${esc(ctx.verdict)}</strong></p>`);
  for (const table of [ctx.table, ...(ctx.extra ?? [])])
    for (const view of views(table)) {
      parts.push(
        `<h2>View <code>${esc(view)}</code> (${esc(table.split)} split)</h2>`,
        '<table>',
        `<tr>${HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`,
      );
      for (const r of table.rows.filter((x) => x.view === view)) {
        parts.push(
          `<tr class="${r.method}"><td>${esc(METHOD_LABELS[r.method])}</td>${cells(r.metrics)
            .map((c) => `<td>${esc(c)}</td>`)
            .join('')}</tr>`,
        );
      }
      parts.push('</table>');
    }
  parts.push(
    '<p>MAE ln µs: mean |ln predicted − ln measured|; typical ×/÷: exp of the median of that; pairwise accuracy: over pairs of solutions of the same problem with different measured times, the share ranked in the right order (a tie counts ½). The per-problem mean is an oracle (it uses the problem’s measured times) and ranks every pair as a tie.</p>',
    '</body></html>',
    '',
  );
  return parts.join('\n');
}
