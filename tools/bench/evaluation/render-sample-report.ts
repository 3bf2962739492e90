/**
 * Renders a sample two-variant report (synthetic judged programs) to a folder and prints JSON
 * with the output paths and the render time. Usage: npx tsx tools/bench/evaluation/render-sample-report.ts [outDir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildReportInput, evaluatePrograms, renderReport, type JudgedProgram } from '@ecode/evaluation';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}
function programs(seed: number, speed: number, n: number): JudgedProgram[] {
  const r = lcg(seed);
  return Array.from({ length: n }, (_, i) => ({
    problemId: `p${i}`,
    difficulty: ['introductory', 'interview', 'competition'][i % 3],
    verdicts: r() < 0.7 ? ['pass', 'pass', 'pass'] : ['pass', 'wrong-answer', 'timeout'],
    icCost: 1000,
    cost: 1000 / (speed * (0.6 + r())),
    referenceCost: 300,
    solutionCosts: [200, 400, 600, 900, 1500],
    generated: 'n = int(input())\nprint(sum(range(n)))\n',
    reference: 'n = int(input())\nprint(n * (n - 1) // 2)\n',
  }));
}
const out = resolve(process.argv[2] ?? 'tmp/evaluation-sample-report');
mkdirSync(out, { recursive: true });
const measure = { name: 'cpu-time', unit: 'us' };
const t0 = performance.now();
const names: Array<[string, number]> = [
  ['e-code', 1.8],
  ['no-expert', 1.3],
  ['relu', 1.6],
  ['heads-8', 1.7],
  ['gpt-neo', 1.0],
];
const variants = names.map(([name, speed], k) => ({
  name,
  evaluation: evaluatePrograms(programs(k + 1, speed, 300), { measure, seed: 7 }),
  trainingCurve: Array.from({ length: 50 }, (_, s) => ({
    step: s * 20,
    loss: 4 * Math.exp(-s / (6 + k)) + 0.8 + 0.05 * Math.sin(s),
  })),
}));
const t1 = performance.now();
const { markdown, html } = await renderReport(buildReportInput('Sample ablation report', variants, { seed: 7 }));
const t2 = performance.now();
writeFileSync(join(out, 'report.md'), markdown);
writeFileSync(join(out, 'report.html'), html);
console.log(
  JSON.stringify({
    out,
    variants: variants.length,
    programsPerVariant: 300,
    evaluateMs: Math.round(t1 - t0),
    renderMs: Math.round(t2 - t1),
    htmlBytes: html.length,
  }),
);
