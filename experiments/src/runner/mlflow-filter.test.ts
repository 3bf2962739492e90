import type { Run } from '@ecode/tracking';
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, matchesFilter, parseFilter } from './mlflow-filter.js';

const run = (over: {
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Record<string, number>;
  name?: string;
}): Run => ({
  info: {
    runId: 'r1',
    runUuid: 'r1',
    runName: over.name ?? 'e-code-s1',
    experimentId: '1',
    userId: 'u',
    status: 'FINISHED',
    startTime: 1000,
    endTime: 2000,
    artifactUri: 'file:/x',
    lifecycleStage: 'active',
  } as Run['info'],
  data: {
    params: over.params ?? {},
    tags: over.tags ?? {},
    metrics: Object.fromEntries(
      Object.entries(over.metrics ?? {}).map(([key, value]) => [key, { key, value, step: 0, timestamp: 0 }]),
    ),
  },
});

describe('MLflow search filters (the subset ecode report uses)', () => {
  const r = run({
    params: { 'model.variant': 'e-code', 'training.optimizer.lr': '0.001' },
    tags: { 'ecode.sweep': 'ablation' },
    metrics: { 'test/speedup': 2.4 },
  });

  it('parses comparisons joined by AND, keys with dots and slashes, quoted keys and values', () => {
    expect(
      parseFilter(`params.model.variant = "e-code" and metrics.test/speedup >= 2 AND tags.\`ecode.sweep\` != 'smoke'`),
    ).toEqual([
      { entity: 'params', key: 'model.variant', op: '=', value: 'e-code' },
      { entity: 'metrics', key: 'test/speedup', op: '>=', value: 2 },
      { entity: 'tags', key: 'ecode.sweep', op: '!=', value: 'smoke' },
    ]);
  });

  it('matches as MLflow does: strings with = != LIKE ILIKE, numbers with comparisons, missing keys fail', () => {
    const yes = (f: string) => expect(matchesFilter(r, parseFilter(f)), f).toBe(true);
    const no = (f: string) => expect(matchesFilter(r, parseFilter(f)), f).toBe(false);
    yes(`params.model.variant = "e-code"`);
    no(`params.model.variant = "relu"`);
    yes(`params.model.variant LIKE 'e-%'`);
    no(`params.model.variant LIKE 'E-%'`);
    yes(`params.model.variant ILIKE 'E-CO_E'`);
    yes(`metrics.test/speedup > 2.3 AND metrics.test/speedup < 2.5`);
    no(`metrics.test/speedup > 2.4`);
    yes(`metrics.test/speedup <= 2.4`);
    no(`metrics.test/passRate > 0`); // no such metric
    yes(`attributes.status = 'FINISHED' AND attributes.run_name LIKE '%-s1' AND attributes.start_time < 1500`);
    yes(`tags.ecode.sweep != 'smoke'`);
  });

  it('a metric id finds the name an older run logged, and the old name a new run', () => {
    const old = run({ metrics: { 'test/strictPassRate': 0.45, 'heldout/strictPassRate_ci_low': 0.1, pass_count: 9 } });
    const now = run({ metrics: { 'test/allPassRate': 0.2, passCount: 4 } });
    const match = (x: Run, f: string) => matchesFilter(x, parseFilter(f));
    expect(match(old, 'metrics.test/allPassRate > 0.4')).toBe(true);
    expect(match(old, 'metrics.test/allPassRate > 0.5')).toBe(false);
    expect(match(old, 'metrics.heldout/allPassRate_ci_low = 0.1 AND metrics.passCount = 9')).toBe(true);
    expect(match(now, 'metrics.test/strictPassRate < 0.3 AND metrics.pass_count = 4')).toBe(true);
    expect(match(now, 'metrics.test/allPassRate_ci_low > 0')).toBe(false); // not logged
  });

  it('says what is wrong and where', () => {
    const err = (f: string) => {
      try {
        parseFilter(f);
      } catch (e) {
        expect(e).toBeInstanceOf(FilterSyntaxError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err(`params.a = "x" OR params.b = "y"`)).toMatch(/^--filter: OR is not supported .* at character 16:/);
    expect(err(`metrics.loss > "low"`)).toContain('metrics.loss is a number: compare it with a number');
    expect(err(`params.lr > 0.1`)).toContain('params.lr is a string: use = != LIKE or ILIKE');
    expect(err(`model.variant = "e-code"`)).toContain(
      'expected params.<key>, tags.<key>, metrics.<key> or attributes.<name>',
    );
    expect(err(`attributes.colour = "red"`)).toContain('unknown attribute "colour"');
    expect(err(`params.a = "x`)).toContain('an unclosed "');
  });
});
