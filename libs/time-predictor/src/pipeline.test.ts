import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@ecode/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTimePredictorConfig } from './config.js';
import { runTimePredictorExperiment, type RunLike } from './pipeline.js';
import { TimePredictor } from './predictor.js';
import type { TimeRow } from './timedb-row.js';
import { writeTimeDb } from './timedb-store.js';

/** A run that keeps what is logged (the shape of an MLflow run handle). */
class RecordingRun implements RunLike {
  params: Record<string, string | number | boolean> = {};
  metrics: { key: string; value: number; step?: number }[] = [];
  artifacts: string[] = [];
  async logParams(p: Record<string, string | number | boolean>) {
    Object.assign(this.params, p);
  }
  async logMetrics(m: { key: string; value: number; step?: number }[]) {
    this.metrics.push(...m);
  }
  async logArtifact(source: string) {
    this.artifacts.push(source);
  }
}

function rows(): TimeRow[] {
  const out: TimeRow[] = [];
  for (let k = 0; k < 16; k++) {
    const split = k < 10 ? 'train' : k < 12 ? 'valid' : 'test';
    const base = 2000 * (1 + (k % 3));
    const codes: [string, number, 'fast' | 'slow'][] = [
      ['s = set(a)\nprint(x in s)\n', base, 'fast'],
      ['for i in a:\n    for j in a:\n        t += i * j\n', base * 6, 'slow'],
    ];
    codes.forEach(([code, t, role], i) =>
      out.push({
        id: `p${k}#${i}`,
        problemId: `p${k}`,
        split,
        // The last two test problems are of an idiom held out of training (corpus data).
        testSplit: k >= 14 ? 'unseen-idiom' : 'in-distribution',
        role,
        views: {
          ori: code,
          uni: code.replace(/\bs\b/g, 'var1'),
          looprec: role === 'slow' ? code : '',
          randdel: code.slice(0, -4),
        },
        timeUs: t,
        spread: { n: 1, min: t, max: t, cv: 0, iqr: 0 },
        tests: 1,
        passed: true,
        key: `k${k}-${i}`,
      }),
    );
  }
  return out;
}

describe('runTimePredictorExperiment', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => undefined);
  });

  it('trains from a built database, scores against the baselines, writes the report and logs the run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tp-pipe-'));
    const db = join(root, 'db');
    await writeTimeDb(db, rows(), {
      source: { test: true },
      measurement: { costMeasure: 'cpu-time', repeats: 1, largestTests: 1, concurrency: 1, deleteFraction: 0.2 },
      seed: 1,
      skipped: {},
    });
    const config = resolveTimePredictorConfig({
      experiment: { name: 't', seed: 3 },
      data: { timedb: db },
      model: { hidden: 16, layers: 1, heads: 2, intermediate: 32, maxTokens: 32, vocabSize: 300, dropout: 0 },
      training: { lr: 0.01, epochs: 5, batchSize: 8, warmupRatio: 0 },
    });
    const run = new RecordingRun();
    const out = join(root, 'out');
    const result = await runTimePredictorExperiment(config, { outDir: out, run, command: 'ecode timedb train t.yaml' });

    expect(result.trainRows).toBe(20);
    expect(result.testRows).toBe(8);
    expect(result.table.rows).toHaveLength(20); // 4 views x (model + cost model alone + 3 baselines)
    const cost = result.table.rows.find((r) => r.view === 'ori' && r.method === 'cost_model')!.metrics;
    expect(cost.pairwiseAccuracy).toBe(1); // fitted on the training rows: a nested loop costs more than a set lookup
    // The corpus's test splits are scored apart too (no sandbox here, so no check set).
    expect(Object.keys(result.splitTables)).toEqual(['in-distribution', 'unseen-idiom']);
    expect(
      result.splitTables['unseen-idiom'].rows.find((r) => r.view === 'ori' && r.method === 'model')!.metrics.n,
    ).toBe(4);
    const model = result.table.rows.find((r) => r.view === 'ori' && r.method === 'model')!.metrics;
    expect(model.pairwiseAccuracy).toBe(1);
    expect(result.beatsLoc).toBe(
      model.pairwiseAccuracy >
        result.table.rows.find((r) => r.view === 'ori' && r.method === 'loc')!.metrics.pairwiseAccuracy,
    );
    for (const f of [
      'report.md',
      'report.html',
      'metrics.json',
      'predictions-test.csv',
      'model/predictor.json',
      'model/model.safetensors',
    ])
      expect(existsSync(join(out, f))).toBe(true);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## View `randdel` (test split)');
    expect(md).toContain('## View `ori` (unseen-idiom split)');
    expect(md).toMatch(
      /pairwise accuracy \(ori\) on unseen-idiom: predictor \d\.\d{3}, cost model alone 1\.000, lines of code \d\.\d{3} \(2 pairs\)/,
    );
    expect(md).toContain('command: ecode timedb train t.yaml');
    expect(readFileSync(join(out, 'predictions-test.csv'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1 + 4 * 8);

    expect(run.params['model.hidden']).toBe('16');
    expect(run.params['training.views']).toBe('ori');
    const keys = new Set(run.metrics.map((m) => m.key));
    for (const k of [
      'test_ori_model_pairwise_accuracy',
      'test_ori_loc_mae_us',
      'test_uni_global_mean_mae_log',
      'unseen_idiom_ori_cost_model_pairwise_accuracy',
      'valid_mae_log',
      'typical_error_factor',
    ])
      expect(keys).toContain(k);
    expect(run.artifacts.map((a) => a.slice(out.length + 1))).toEqual([
      'report.md',
      'report.html',
      'metrics.json',
      'model/predictor.json',
    ]);

    const loaded = await TimePredictor.load(join(out, 'model'));
    expect(loaded.info.typicalError?.n).toBe(8);
    expect(loaded.info.typicalError?.factor).toBeCloseTo(Math.exp(model.medianAbsLog), 12);
    expect(loaded.info.costModel).toBeUndefined();
    expect(md).toContain('(scored alone; the encoder does not use it)');
    loaded.dispose();

    // training.costModel: the cost model's score is the encoder's offset, saved with the predictor.
    const withCost = resolveTimePredictorConfig({ ...config, training: { ...config.training, costModel: true } });
    const out2 = join(root, 'out-cost');
    const r2 = await runTimePredictorExperiment(withCost, { outDir: out2 });
    expect(r2.table.rows.find((r) => r.view === 'ori' && r.method === 'model')!.metrics.pairwiseAccuracy).toBe(1);
    const saved = await TimePredictor.load(join(out2, 'model'));
    expect(saved.info.costModel?.format).toBe('ecode-cost-model');
    expect(readFileSync(join(out2, 'report.md'), 'utf8')).toContain('(its score added to the encoder)');
    saved.dispose();
  });
});
