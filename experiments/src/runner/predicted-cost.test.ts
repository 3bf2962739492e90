/** `evaluation.timePredictor`: programs that do not compile get a predicted CPU time, kept apart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@ecode/config';
import { initBackend } from '@ecode/model';
import { TimePredictor, trainPredictor, type TrainItem } from '@ecode/time-predictor';
import { describe, expect, it } from 'vitest';
import { runPaths } from './run-paths.js';
import { predictUncompiledCosts, type JudgedRecord } from './evaluate-stage.js';

function toy(problems: number): TrainItem[] {
  return Array.from({ length: problems }, (_, k) => [
    { problemId: `p${k}`, code: `s = set(a)\nprint(x in s)\n`, logTime: Math.log(1000) },
    { problemId: `p${k}`, code: `for i in a:\n    for j in a:\n        t += i * j\n`, logTime: Math.log(8000) },
  ]).flat();
}

function judged(code: string, compiled: 0 | 1): JudgedRecord {
  return {
    problemId: 'q',
    verdicts: compiled ? ['pass'] : ['compile-error'],
    icCost: 16000,
    generated: code,
    solutionIndex: 1,
    sample: 0,
    passRate: compiled,
    compiled,
    allPass: compiled === 1,
    details: [],
  };
}

describe('predicted costs for programs that do not compile', () => {
  it('predicts only for uncompiled programs, labels them, and gives their speedup apart', async () => {
    await initBackend('wasm', () => undefined);
    const model = { hidden: 16, layers: 1, heads: 2, intermediate: 32, maxTokens: 32, vocabSize: 300, dropout: 0 };
    const training = {
      lr: 0.01,
      epochs: 4,
      batchSize: 8,
      weightDecay: 0,
      warmupRatio: 0,
      clipNorm: 1,
      rankLossWeight: 1,
      views: ['ori' as const],
    };
    const trained = await trainPredictor(toy(8), toy(2), { model, training, seed: 3 });
    const dir = join(mkdtempSync(join(tmpdir(), 'ecode-tp-')), 'predictor');
    await new TimePredictor(trained.model, trained.tokenizer, {
      format: 'ecode-time-predictor',
      version: 1,
      spec: trained.spec,
      norm: trained.norm,
      target: { unit: 'us', costMeasure: 'cpu-time', repeats: 1, largestTests: 1 },
      trainedOn: { views: ['ori'], rows: 16, problems: 8, seed: 3 },
      createdAt: '2026-01-01T00:00:00.000Z',
    }).save(dir);

    const records = [judged('print(1)\n', 1), judged('for i in a:\n    for j in a\n', 0)];
    const config = resolveConfig({ evaluation: { timePredictor: dir } });
    const lines: string[] = [];
    const speedups = await predictUncompiledCosts(
      {
        config,
        paths: runPaths('x'),
        hash: 'x',
        configDir: '/',
        log: (l) => lines.push(l),
        signal: new AbortController().signal,
        progress: false,
      },
      records,
    );
    expect(records[0].predictedCost).toBeUndefined();
    expect(records[1].costLabel).toBe('predicted');
    expect(records[1].predictedCost).toBeGreaterThan(0);
    expect(speedups[0]).toBeUndefined();
    expect(speedups[1]).toBeCloseTo(16000 / (records[1].predictedCost as number), 10);
    expect(lines.join('\n')).toContain('predicted CPU time for 1 programs');

    // Instruction counts cannot be compared with predicted microseconds: nothing is predicted.
    const other = [judged('for i in a:\n    for j in a\n', 0)];
    const instr = resolveConfig({ evaluation: { timePredictor: dir, costMeasure: 'instructions' } });
    const none = await predictUncompiledCosts(
      {
        config: instr,
        paths: runPaths('x'),
        hash: 'x',
        configDir: '/',
        log: () => undefined,
        signal: new AbortController().signal,
        progress: false,
      },
      other,
    );
    expect(none).toEqual([undefined]);
    expect(other[0].predictedCost).toBeUndefined();
  });
});
