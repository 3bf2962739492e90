/**
 * Times evaluatePrograms and its parts on synthetic judged programs and prints JSON.
 * Usage: npx tsx tools/bench/evaluation/evaluate-speed.ts [programs=1000]
 */
import { bootstrapMeans, evaluatePrograms, METRICS, perProgramCodeBleu, type JudgedProgram } from '@ecode/evaluation';

const n = Number(process.argv[2] ?? 1000);
const src = 'import sys\nn = int(input())\na = list(map(int, input().split()))\nprint(sum(x * x for x in a) % n)\n';
const programs: JudgedProgram[] = Array.from({ length: n }, (_, i) => ({
  problemId: `p${i % Math.ceil(n / 2)}`,
  difficulty: ['introductory', 'interview', 'competition'][i % 3],
  verdicts: i % 4 ? ['pass', 'pass', 'pass'] : ['pass', 'wrong-answer', 'timeout'],
  icCost: 1000,
  cost: 300 + (i % 700),
  referenceCost: 250,
  solutionCosts: [200, 400, 600, 900],
  generated: src.replace('sum', i % 2 ? 'sum' : 'max'),
  reference: src,
}));
const time = (f: () => unknown): number => {
  const t = performance.now();
  f();
  return Math.round(performance.now() - t);
};
const perMetricMs: Record<string, number> = {};
const values: Record<string, Array<number | undefined>> = {};
for (const m of METRICS) perMetricMs[m.name] = time(() => (values[m.name] = programs.map((p) => m.perProgram(p))));
const bootstrapMs = time(() =>
  bootstrapMeans(
    values,
    programs.map((p) => p.problemId),
    { seed: 1, resamples: 1000 },
  ),
);
const totalMs = time(() => evaluatePrograms(programs, { measure: { name: 'cpu-time' }, seed: 1 }));
const t0 = performance.now();
await perProgramCodeBleu(programs.slice(0, 200));
const codeBleuMsPerProgram = Number(((performance.now() - t0) / 200).toFixed(2));
console.log(
  JSON.stringify({ programs: n, perMetricMs, bootstrapMs, evaluateProgramsMs: totalMs, codeBleuMsPerProgram }),
);
