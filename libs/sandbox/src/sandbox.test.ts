import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPython, MissingToolError } from './host.js';
import { Sandbox } from './sandbox.js';
import { hasBwrap, hasValgrind } from './testing.js';
import type { TestResult } from './types.js';

const ADD = 'a, b = map(int, input().split())\nprint(a + b)\n';
const LIMITS = { cpuSeconds: 2, memoryMb: 256, wallTimeoutSeconds: 4 };

describe('missing tools', () => {
  it('names what to install', () => {
    expect(() => findPython('/nonexistent/python3')).toThrow(MissingToolError);
    expect(() => findPython('/nonexistent/python3')).toThrow(/apt-get install -y python3/);
  });
});

describe.skipIf(!hasBwrap())('Sandbox', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = new Sandbox({ ...LIMITS, concurrency: 2 });
  });
  afterAll(() => sb?.close());

  it('judges stdio tests with APPS comparison and the per-program figures', async () => {
    const r = await sb.judge(ADD, [
      { input: '1 2\n', output: '3\n' },
      { input: '10 5', output: ' 15 ' },
      { input: '1 1', output: '3' },
      { input: 'x y', output: '3' },
    ]);
    expect(r.results.map((x) => x.verdict)).toEqual(['pass', 'pass', 'wrong-answer', 'runtime-error']);
    expect(r.results[3].detail).toMatch(/ValueError/);
    expect(r).toMatchObject({ passRate: 0.5, allPass: false, compiled: 1 });
    expect(r.results[0].cpuUs).toBeGreaterThan(0);
    expect(r.results[0].maxRssKb).toBeGreaterThan(1000);
  });

  it('streams results as they finish, with the test index', async () => {
    const code = 'import time\nn = int(input())\ntime.sleep(n / 10)\nprint(n)\n';
    const order: number[] = [];
    for await (const r of sb.judgeStream(code, [
      { input: '8', output: '8' },
      { input: '0', output: '0' },
      { input: '1', output: '1' },
    ])) {
      order.push(r.index);
      expect(r.verdict).toBe('pass');
    }
    expect(order[order.length - 1]).toBe(0);
    expect([...order].sort()).toEqual([0, 1, 2]);
  });

  it('judges call-based tests (plain functions and class Solution)', async () => {
    const fn = 'def add(a, b):\n    return a + b\ndef pair(a):\n    return (a, [a])\n';
    const r = await sb.judge(fn, [
      { input: '[1, 2]', output: '3', kind: 'call', fnName: 'add' },
      { input: '[1, 2]', output: '[4]', kind: 'call', fnName: 'add' },
      { input: '[7]', output: '[7, [7]]', kind: 'call', fnName: 'pair' },
      { input: '[1]', output: '1', kind: 'call', fnName: 'missing' },
    ]);
    expect(r.results.map((x) => x.verdict)).toEqual(['pass', 'wrong-answer', 'pass', 'runtime-error']);
    const cls =
      'class Solution:\n    def twice(self, xs: List[int]) -> List[int]:\n        return [2 * x for x in xs]\n';
    const c = await sb.judge(cls, [{ input: '[[1, 2]]', output: '[2, 4]', kind: 'call', fnName: 'twice' }]);
    expect(c.allPass).toBe(true);
  });

  it('compile errors and all-runtime-error programs have compiled = 0; the prelude is available', async () => {
    const bad = await sb.judge('def f(:\n', [
      { input: '', output: '' },
      { input: '', output: '' },
    ]);
    expect(bad.results.map((x) => x.verdict)).toEqual(['compile-error', 'compile-error']);
    expect(bad.compiled).toBe(0);
    const crash = await sb.judge('raise SystemExit(3)', [{ input: '', output: '' }]);
    expect(crash.results[0]).toMatchObject({ verdict: 'runtime-error', detail: 'exit code 3: ' });
    expect(crash.compiled).toBe(0);
    const prelude = await sb.judge('print(gcd(12, 18), sqrt(16), Counter("aab")["a"])', [
      { input: '', output: '6 4.0 2' },
    ]);
    expect(prelude.allPass).toBe(true);
  });

  it('runs the sandbox as a non-root uid when the judge is root', async () => {
    if (process.getuid?.() !== 0) return;
    const one = new Sandbox({ ...LIMITS, concurrency: 1 }, { uidBase: 61500 });
    try {
      await one.judge('print(1)', [{ input: '', output: '1' }]);
      const pending = one.judge('import time\ntime.sleep(0.5)\nprint(1)', [{ input: '', output: '1' }]);
      await new Promise((r) => setTimeout(r, 200));
      const pid = one.workers.workerOf(0)!.hostPid;
      const uidLine = readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('Uid:'))!;
      expect(uidLine.split(/\s+/)[1]).toBe('61500');
      expect((await pending).allPass).toBe(true);
    } finally {
      await one.close();
    }
  });

  it('strict mode gives every test a fresh sandbox', async () => {
    const strict = new Sandbox({ ...LIMITS, mode: 'strict', concurrency: 2 });
    try {
      const r = await strict.judge(ADD, [
        { input: '1 2', output: '3' },
        { input: '2 2', output: '4' },
        { input: '2 2', output: '5' },
      ]);
      expect(r.results.map((x) => x.verdict)).toEqual(['pass', 'pass', 'wrong-answer']);
      expect(strict.workers.started).toBe(3);
    } finally {
      await strict.close();
    }
  });

  it('measures CPU time over repeats and compares two programs pairwise', async () => {
    const light = 'n = int(input())\ns = 0\nfor i in range(n):\n    s += i\nprint(s)\n';
    const heavy = 'n = int(input())\ns = 0\nfor i in range(4 * n):\n    s += i % 3\nprint(n * (n - 1) // 2)\n';
    const tests = [{ input: '200000', output: String((200000 * 199999) / 2) }];
    const m = await sb.measureCpu(light, tests, 3);
    expect(m.samples).toHaveLength(3);
    expect(m.allPassed).toBe(true);
    expect(m.summary.median).toBeGreaterThan(1000);
    const cmp = await sb.compareCpu(light, heavy, tests, 4);
    expect(cmp.ratios).toHaveLength(4);
    expect(cmp.ratioSummary.median).toBeGreaterThan(1.5);
    expect(cmp.b.allPassed).toBe(true);
    const cost = await sb.measureCost(light, tests, { costMeasure: 'cpu-time', repeats: 2 });
    expect(cost.measure).toBe('cpu-time');
    expect(cost.perTest).toHaveLength(1);
  });
});

describe.skipIf(!hasBwrap() || !hasValgrind())('instruction counts (cachegrind)', () => {
  it('are exactly repeatable, net of the empty program', async () => {
    const sb = new Sandbox({ ...LIMITS, concurrency: 1 }, { prelude: false });
    try {
      const prog = 'n = int(input())\nprint(sum(i * i for i in range(n)))\n';
      const a = await sb.countInstructions(prog, { input: '1000', output: '' });
      const b = await sb.countInstructions(prog, { input: '1000', output: '' });
      expect(a.net).toBe(b.net);
      expect(a.exitCode).toBe(0);
      expect(a.net).toBeGreaterThan(100_000);
      expect(a.empty).toBeGreaterThan(10_000_000);
    } finally {
      await sb.close();
    }
  });
});

describe.skipIf(!hasBwrap())('result cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecode-sbx-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('answers a repeated judgement from disk', async () => {
    const tests = [{ input: '1 2', output: '3' }];
    const s1 = new Sandbox({ ...LIMITS, concurrency: 1 }, { cacheDir: dir });
    const first: TestResult = (await s1.judge(ADD, tests)).results[0];
    await s1.close();
    const s2 = new Sandbox({ ...LIMITS, concurrency: 1 }, { cacheDir: dir });
    const second = (await s2.judge(ADD, tests)).results[0];
    await s2.close();
    expect(first.cached).toBeUndefined();
    expect(second).toMatchObject({ verdict: 'pass', cached: true, cpuUs: first.cpuUs });
    expect(s2.cacheStats).toEqual({ hits: 1, misses: 0 });
  });
});
