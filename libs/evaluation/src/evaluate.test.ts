import { describe, expect, it } from 'vitest';
import { compareVariants, evaluatePrograms } from './evaluate.js';
import type { JudgedProgram } from './types.js';

const programs: JudgedProgram[] = [
  {
    problemId: 'p1',
    difficulty: 'easy',
    verdicts: ['pass', 'pass'],
    cost: 50,
    icCost: 100,
    referenceCost: 25,
    solutionCosts: [10, 50, 90],
  },
  { problemId: 'p2', difficulty: 'easy', verdicts: ['pass', 'wrong-answer'], cost: 10, icCost: 100 },
  { problemId: 'p3', difficulty: 'hard', verdicts: ['runtime-error'], icCost: 100 },
  {
    problemId: 'p4',
    difficulty: 'hard',
    verdicts: ['pass'],
    cost: 200,
    icCost: 100,
    generated: 'x = 1\n',
    reference: 'x = 1\n',
  },
];

describe('evaluatePrograms', () => {
  const e = evaluatePrograms(programs, { measure: { name: 'cpu-time', unit: 'us' }, seed: 5, resamples: 300 });
  it('hand-computed aggregates', () => {
    expect(e.measure.name).toBe('cpu-time');
    expect(e.metrics.compileRate.estimate).toBe(0.75);
    expect(e.metrics.passRate.estimate).toBe((1 + 0.5 + 0 + 1) / 4);
    expect(e.metrics.allPassRate.estimate).toBe(0.5);
    expect(e.passCount).toBe(2);
    // improvement over correct programs p1 (0.5) and p4 (-1)
    expect(e.metrics.improvement.estimate).toBe(-0.25);
    expect(e.metrics.improvement.n).toBe(2);
    // speedup: p1 2, others 1
    expect(e.metrics.speedup.estimate).toBe(1.25);
    expect(e.metrics.optRate.estimate).toBe(0.25);
    expect(e.metrics.net.estimate).toBe(2);
    expect(e.metrics.npi.estimate).toBe(0);
    expect(e.metrics.beyond.estimate).toBe(0.5);
    expect(e.metrics.lineBleu.estimate).toBe(100);
    expect(e.metrics.bleu.n).toBe(1);
  });
  it('breaks down by difficulty and keeps per-problem values', () => {
    expect(Object.keys(e.byDifficulty)).toEqual(['easy', 'hard']);
    expect(e.byDifficulty.easy.metrics.speedup.estimate).toBe(1.5);
    expect(e.byDifficulty.hard.metrics.compileRate.estimate).toBe(0.5);
    expect(e.perProblem.find((p) => p.problemId === 'p1')?.values.speedup).toBe(2);
  });
  it('is deterministic for a seed', () => {
    const again = evaluatePrograms(programs, { measure: { name: 'cpu-time', unit: 'us' }, seed: 5, resamples: 300 });
    expect(again).toEqual(e);
  });
  it('compares variants on the same problems', () => {
    const slower = programs.map((p) => ({ ...p, cost: p.cost === undefined ? undefined : p.cost * 4 }));
    const e2 = evaluatePrograms(slower, { measure: { name: 'cpu-time' }, seed: 5, resamples: 300 });
    const c = compareVariants({ name: 'fast', evaluation: e }, { name: 'slow', evaluation: e2 }, 'speedup', {
      seed: 1,
      resamples: 300,
    });
    expect(c.problems).toBe(4);
    expect(c.meanA).toBe(1.25);
    expect(c.meanB).toBe(1);
    expect(c.difference.estimate).toBe(0.25);
    expect(c.measure).toBe('cpu-time');
  });
  it('handles no programs: NaN estimates with n = 0', () => {
    const empty = evaluatePrograms([], { measure: { name: 'cpu-time' } });
    expect(empty.programs).toBe(0);
    expect(empty.metrics.speedup).toEqual({ estimate: NaN, lower: NaN, upper: NaN, n: 0 });
    expect(empty.byDifficulty).toEqual({});
  });
  it('requires the cost measure', () => {
    expect(() => evaluatePrograms(programs, { measure: { name: '' } })).toThrow(/measure/);
  });
});
