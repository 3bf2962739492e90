import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRIC_IDS } from '@ecode/config';
import { evaluatePrograms } from './evaluate.js';
import { readEvaluation } from './evaluation-file.js';
import { METRICS } from './metrics.js';
import { buildReportInput } from './report/from-evaluation.js';
import { renderReport } from './report/render.js';
import type { JudgedProgram } from './types.js';

// Written by evaluatePrograms before the metric ids were unified (fixtures/README.md).
const OLD = fileURLToPath(new URL('../fixtures/before-metric-ids/evaluation.json', import.meta.url));

// The programs that file was computed from.
const programs: JudgedProgram[] = [
  { problemId: 'p1', difficulty: 'easy', verdicts: ['pass', 'pass'], cost: 50, icCost: 100, referenceCost: 25 },
  { problemId: 'p2', difficulty: 'easy', verdicts: ['pass', 'wrong-answer'], cost: 10, icCost: 100 },
  { problemId: 'p3', difficulty: 'hard', verdicts: ['runtime-error'], icCost: 100 },
  { problemId: 'p4', difficulty: 'hard', verdicts: ['pass'], cost: 80, icCost: 100 },
];

describe('readEvaluation', () => {
  const old = readEvaluation(JSON.parse(readFileSync(OLD, 'utf8')));
  const now = evaluatePrograms(programs, { measure: { name: 'cpu-time', unit: 'us' }, seed: 5, resamples: 50 });

  it('reads an old evaluation.json with the metric ids: the same numbers as evaluating again now', () => {
    expect(JSON.stringify(old)).not.toContain('strictPassRate');
    expect(old.metrics.allPassRate.estimate).toBe(0.5);
    expect(old.byDifficulty.hard.metrics.allPassRate.estimate).toBe(0.5);
    expect(old.perProblem.find((p) => p.problemId === 'p2')?.values.allPassRate).toBe(0);
    const written = JSON.parse(JSON.stringify(now)) as unknown; // as evaluation.json holds it
    expect(old).toEqual(written);
    expect(readEvaluation(written)).toEqual(written);
  });

  it('an old and a new evaluation side by side in one report, under one label', async () => {
    const input = buildReportInput(
      'old beside new',
      [
        { name: 'before', evaluation: old },
        { name: 'after', evaluation: now },
      ],
      { seed: 1, resamples: 50, metrics: ['allPassRate', 'speedup'] },
    );
    const { markdown } = await renderReport(input);
    expect(markdown).toContain('all-pass rate 0.500');
    expect(markdown).not.toContain('strictPassRate');
  });

  it('refuses what is not an evaluation', () => {
    expect(() => readEvaluation([1])).toThrow('evaluation: expected an object (an evaluation.json)');
  });
});

describe('metric ids', () => {
  it("the registry's metrics and the extra codeBleu are exactly the ids a config may name", () => {
    expect([...METRICS.map((m) => m.name), 'codeBleu'].sort()).toEqual([...METRIC_IDS].sort());
  });
});
