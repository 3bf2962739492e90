import { describe, expect, it } from 'vitest';
import { metricValueJson, splitLogBatch } from './log-batch.js';

describe('splitLogBatch', () => {
  it('keeps each request under 1 MB of JSON', () => {
    const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: 'x'.repeat(6000) }));
    const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: 'y'.repeat(5000) }));
    const out = splitLogBatch({ metrics: [], params, tags });
    expect(out.length).toBe(2);
    for (const b of out)
      expect(Buffer.byteLength(JSON.stringify({ run_id: 'r'.repeat(32), ...b }))).toBeLessThan(1_000_000);
    expect(out.flatMap((b) => b.params).map((p) => p.key)).toEqual(params.map((p) => p.key));
    expect(out.flatMap((b) => b.tags).map((t) => t.key)).toEqual(tags.map((t) => t.key));
  });

  it('starts a new request when a param key repeats', () => {
    const out = splitLogBatch({
      metrics: [],
      params: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a', value: '1' },
      ],
      tags: [],
    });
    expect(out.map((b) => b.params.map((p) => p.key))).toEqual([['a', 'b'], ['a']]);
  });

  it('mixes kinds within the 1000-entity total', () => {
    const metrics = Array.from({ length: 950 }, (_, i) => ({ key: 'm', value: i, step: i, timestamp: 0 }));
    const params = Array.from({ length: 80 }, (_, i) => ({ key: `p${i}`, value: '1' }));
    const out = splitLogBatch({ metrics, params, tags: [] });
    expect(out.map((b) => [b.params.length, b.metrics.length])).toEqual([
      [80, 920],
      [0, 30],
    ]);
  });

  it('writes NaN and the infinities as protobuf JSON strings', () => {
    expect([NaN, Infinity, -Infinity, 1.5].map(metricValueJson)).toEqual(['NaN', 'Infinity', '-Infinity', 1.5]);
  });
});
