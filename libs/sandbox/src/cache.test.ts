import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheKey, ResultCache } from './cache.js';
import { summarize } from './stats.js';

const dir = mkdtempSync(join(tmpdir(), 'ecode-sbx-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parts = {
  code: 'print(1)',
  test: { input: '', output: '1' },
  limits: { cpuSeconds: 1 },
  measure: 'judge',
  pythonVersion: '3.11.2',
  launcherHash: 'abc',
};

describe('cacheKey', () => {
  it('is stable under key order and changes with every part', () => {
    const k = cacheKey(parts);
    expect(cacheKey({ ...parts, test: { output: '1', input: '' } })).toBe(k);
    expect(cacheKey({ ...parts, code: 'print(2)' })).not.toBe(k);
    expect(cacheKey({ ...parts, limits: { cpuSeconds: 2 } })).not.toBe(k);
    expect(cacheKey({ ...parts, measure: 'instructions' })).not.toBe(k);
    expect(cacheKey({ ...parts, pythonVersion: '3.12.1' })).not.toBe(k);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ResultCache', () => {
  it('stores and returns values, counting hits and misses', () => {
    const c = new ResultCache(dir);
    expect(c.get(parts)).toBeUndefined();
    c.set(parts, { verdict: 'pass', cpuUs: 12 });
    expect(c.get(parts)).toEqual({ verdict: 'pass', cpuUs: 12 });
    expect(new ResultCache(dir).get(parts)).toEqual({ verdict: 'pass', cpuUs: 12 });
    expect([c.hits, c.misses]).toEqual([1, 1]);
  });
});

describe('summarize', () => {
  it('gives median and spread', () => {
    const s = summarize([3, 1, 2, 4]);
    expect(s.median).toBe(2.5);
    expect([s.min, s.max, s.mean]).toEqual([1, 4, 2.5]);
    expect(s.stdev).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.cv).toBeCloseTo(Math.sqrt(5 / 3) / 2.5, 12);
    expect(s.iqr).toBe(1.5);
    expect(summarize([7]).stdev).toBe(0);
  });
});
