import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@ecode/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { timeMetrics } from './metrics.js';
import { formatPrediction, predictUncompiled, TimePredictor, type PredictorInfo } from './predictor.js';
import { planBatches, trainPredictor, type TrainItem } from './train-predictor.js';
import { costScores } from './cost-model.js';
import { Rng } from '@ecode/data';

/** Toy programs: per problem a fast one (a set lookup) and a slow one (a nested loop) 8x slower. */
function toy(problems: number, offset: number): TrainItem[] {
  const out: TrainItem[] = [];
  for (let k = 0; k < problems; k++) {
    const base = Math.log(1000 * (1 + ((k * 7) % 5)));
    const v = `v${(k + offset) % 6}`;
    out.push({ problemId: `p${k + offset}`, code: `${v} = set(a)\nprint(x in ${v})\n`, logTime: base });
    out.push({
      problemId: `p${k + offset}`,
      code: `for i in a:\n    for j in a:\n        ${v} += i * j\n`,
      logTime: base + Math.log(8),
    });
  }
  return out;
}

const options = {
  model: { hidden: 16, layers: 1, heads: 2, intermediate: 32, maxTokens: 32, vocabSize: 300, dropout: 0 },
  training: {
    lr: 0.01,
    epochs: 6,
    batchSize: 8,
    weightDecay: 0,
    warmupRatio: 0,
    clipNorm: 1,
    rankLossWeight: 1,
    costModel: false,
    views: ['ori' as const],
  },
  seed: 5,
};

describe('planBatches', () => {
  it('keeps problems together and covers every item once', () => {
    const groups = [[0, 1], [2, 3, 4], [5], [6, 7], [8, 9, 10, 11]];
    const batches = planBatches(groups, 3, new Rng(1, 'x'));
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(batches.every((b) => b.length <= 3)).toBe(true);
    // groups that fit a batch are never split; the 4-item group is cut into 3 + 1
    for (const g of groups.slice(0, 4)) expect(batches.some((b) => g.every((i) => b.includes(i)))).toBe(true);
    const big = batches.filter((b) => b.some((i) => i >= 8));
    expect(big).toHaveLength(2);
    expect(big.some((b) => b.length === 3 && b.every((i) => i >= 8))).toBe(true);
  });
});

describe('time predictor', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => undefined);
  });

  it('learns to rank a nested loop above a set lookup on held-out problems, and round-trips through disk', async () => {
    const trained = await trainPredictor(toy(12, 0), toy(3, 100), options);
    expect(trained.steps).toBe(18); // 24 items in batches of 8, 6 epochs
    const info: PredictorInfo = {
      format: 'ecode-time-predictor',
      version: 1,
      spec: trained.spec,
      norm: trained.norm,
      target: { unit: 'us', costMeasure: 'cpu-time', repeats: 1, largestTests: 1 },
      trainedOn: { views: ['ori'], rows: 24, problems: 12, seed: 5 },
      typicalError: {
        view: 'ori',
        n: 6,
        medianAbsLog: Math.log(1.5),
        factor: 1.5,
        maeUs: 1234,
        maeLog: 0.4,
        pairwiseAccuracy: 1,
      },
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    const predictor = new TimePredictor(trained.model, trained.tokenizer, info);
    const held = toy(4, 200);
    const preds = predictor.predict(held.map((h) => h.code));
    const m = timeMetrics(
      held.map((h, i) => ({ problemId: h.problemId, trueLog: h.logTime, predLog: preds[i].logTime })),
    );
    expect(m.pairwiseAccuracy).toBe(1);
    expect(trained.history).toHaveLength(6);

    const dir = join(mkdtempSync(join(tmpdir(), 'tp-pred-')), 'model');
    await predictor.save(dir);
    const loaded = await TimePredictor.load(dir);
    expect(loaded.predict(held.map((h) => h.code)).map((p) => p.timeUs)).toEqual(preds.map((p) => p.timeUs));
    expect(loaded.info.typicalError?.factor).toBe(1.5);

    // Code that does not compile still gets an estimate, labelled predicted.
    const [est] = predictUncompiled(loaded, ['for i in a:\n    for j in a\n']);
    expect(est.label).toBe('predicted');
    expect(est.typicalFactor).toBe(1.5);
    expect(est.timeUs).toBeGreaterThan(0);
    expect(formatPrediction({ timeUs: 2500, logTime: Math.log(2500) }, loaded.info)).toMatch(
      /^predicted CPU time 2\.5 ms \(2500 µs\).*×\/÷ 1\.50/,
    );
    await expect(TimePredictor.load(join(dir, 'tokenizer'))).rejects.toThrow(/not a time-predictor folder/);
    loaded.dispose();
    predictor.dispose();
  });

  it('is deterministic for a seed', async () => {
    const one = { ...options, training: { ...options.training, epochs: 1 } };
    const [a, b] = [await trainPredictor(toy(4, 0), [], one), await trainPredictor(toy(4, 0), [], one)];
    const info = (t: typeof a): PredictorInfo => ({
      format: 'ecode-time-predictor',
      version: 1,
      spec: t.spec,
      norm: t.norm,
      target: { unit: 'us', costMeasure: 'cpu-time', repeats: 1, largestTests: 1 },
      trainedOn: { views: ['ori'], rows: 8, problems: 4, seed: 5 },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const [pa, pb] = [
      new TimePredictor(a.model, a.tokenizer, info(a)),
      new TimePredictor(b.model, b.tokenizer, info(b)),
    ];
    expect(pa.predict(['x = 1\n', 'for i in a:\n    pass\n'])).toEqual(
      pb.predict(['x = 1\n', 'for i in a:\n    pass\n']),
    );
    expect(formatPrediction(pa.predict(['x = 1\n'])[0], pa.info)).toMatch(/typical error unknown/);
    pa.dispose();
    pb.dispose();
  });

  it('with the cost model: its score is the offset of every prediction, seeded, saved and loaded', async () => {
    const withCost = { ...options, training: { ...options.training, epochs: 2, costModel: true } };
    const [a, b] = [await trainPredictor(toy(6, 0), [], withCost), await trainPredictor(toy(6, 0), [], withCost)];
    expect(a.costModel).toBeDefined();
    expect(a.costModel).toEqual(b.costModel);
    expect(a.costModel!.scale).toBeGreaterThan(0);
    // An idiom the toy data never shows: a queue drained with list.pop(0) against a deque.
    const pop0 = 'q = list(range(n))\nwhile q:\n    x = q.pop(0)\n';
    const deque = 'from collections import deque\nq = deque(range(n))\nwhile q:\n    x = q.popleft()\n';
    const offsets = costScores(a.costModel!, [pop0, deque]);
    expect(offsets[0]).toBeGreaterThan(offsets[1]);
    const info = (t: typeof a, withModel: boolean): PredictorInfo => ({
      format: 'ecode-time-predictor',
      version: 1,
      spec: t.spec,
      norm: t.norm,
      target: { unit: 'us', costMeasure: 'cpu-time', repeats: 1, largestTests: 1 },
      trainedOn: { views: ['ori'], rows: 12, problems: 6, seed: 5 },
      ...(withModel ? { costModel: t.costModel } : {}),
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const full = new TimePredictor(a.model, a.tokenizer, info(a, true));
    const encoderOnly = new TimePredictor(a.model, a.tokenizer, info(a, false));
    const [p, e] = [full.predict([pop0, deque]), encoderOnly.predict([pop0, deque])];
    p.forEach((x, i) => expect(x.logTime - e[i].logTime).toBeCloseTo(offsets[i], 9));
    expect(new TimePredictor(b.model, b.tokenizer, info(b, true)).predict([pop0, deque])).toEqual(p);
    const dir = join(mkdtempSync(join(tmpdir(), 'tp-cost-')), 'model');
    await full.save(dir);
    const loaded = await TimePredictor.load(dir);
    expect(loaded.info.costModel).toEqual(a.costModel);
    expect(loaded.predict([pop0, deque])).toEqual(p);
    loaded.dispose();
    full.dispose();
    b.model.dispose();
  });
});
