import { combo, corpusSplit, generateSynthetic, type Problem } from '@ecode/data';
import { findBwrap, Sandbox, type SandboxTest } from '@ecode/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTimeDb, measurementKey, problemSplitter, type Measurer } from './build-timedb.js';
import { resolveTimePredictorConfig } from './config.js';
import { buildTimeDbInto } from './pipeline.js';

const problem = (id: string, split: Problem['split'], codes: [string, 'slow' | 'fast'][]): Problem => ({
  id,
  source: 'test',
  title: id,
  difficulty: '800',
  fields: { titleDifficulty: '', body: '', inputSpec: '', outputSpec: '', samplesNote: '' },
  tests: [
    { input: '3\n', output: '6\n', sample: true },
    { input: '2000\n', output: `${(2000 * 2001) / 2}\n`, large: true },
    { input: '10\n', output: '55\n' },
  ],
  solutions: codes.map(([code, role]) => ({ code, role, variant: role })),
  split,
});

const FAST = 'n = int(input())\nprint(n * (n + 1) // 2)\n';
const SLOW =
  'n = int(input())\nt = 0\nfor i in range(n + 1):\n    for j in range(1500):\n        pass\n    t += i\nprint(t)\n';
const WRONG = 'n = int(input())\nprint(n)\n';

/** The real sandbox, counting what it is asked to measure. */
class CountingSandbox implements Measurer {
  readonly sandbox = new Sandbox({ concurrency: 1 });
  calls = 0;
  measureCpu(code: string, tests: SandboxTest[], repeats: number) {
    this.calls++;
    return this.sandbox.measureCpu(code, tests, repeats);
  }
  countInstructions(code: string, test: SandboxTest) {
    return this.sandbox.countInstructions(code, test);
  }
}

function hasBwrap(): boolean {
  try {
    findBwrap();
    return true;
  } catch {
    console.warn('build-timedb.test: bwrap is missing, the sandbox tests are skipped (apt-get install -y bubblewrap)');
    return false;
  }
}

const measurement = {
  costMeasure: 'cpu-time' as const,
  repeats: 1,
  largestTests: 1,
  concurrency: 1,
  deleteFraction: 0.2,
};

describe.skipIf(!hasBwrap())('buildTimeDb (real sandbox)', () => {
  let counting: CountingSandbox;
  afterAll(() => counting?.sandbox.close());

  it('times every solution on the largest test, flags wrong ones, and reuses known rows', async () => {
    counting = new CountingSandbox();
    const problems = [
      problem('p1', 'train', [
        [FAST, 'fast'],
        [SLOW, 'slow'],
      ]),
      problem('p2', 'test', [
        [WRONG, 'slow'],
        ['def f(:\n', 'slow'],
      ]),
    ];
    const first = await buildTimeDb(problems, counting, { measurement, seed: 3 });
    expect(first.rows.map((r) => [r.id, r.split, r.role, r.passed])).toEqual([
      ['p1#0', 'train', 'fast', true],
      ['p1#1', 'train', 'slow', true],
      ['p2#0', 'test', 'slow', false],
    ]);
    expect(first.skipped).toEqual({ 'python cannot parse the program (SyntaxError)': 1 });
    const [fast, slow] = first.rows;
    expect(fast.timeUs).toBeGreaterThan(0);
    expect(slow.timeUs).toBeGreaterThan(fast.timeUs); // 3M loop iterations (~100 ms) vs one multiplication (the ~20 ms fork floor)
    expect(fast.key).toBe(measurementKey(FAST, [problems[0].tests[1]], measurement));
    expect(slow.views.uni).toContain('for var3 in range(var1 + 1):');
    expect(counting.calls).toBe(3);

    const again = await buildTimeDb(problems, counting, {
      measurement,
      seed: 3,
      known: new Map(first.rows.map((r) => [r.key, r])),
    });
    expect(again.reused).toBe(3);
    expect(counting.calls).toBe(3);
    expect(again.rows.map((r) => r.timeUs)).toEqual(first.rows.map((r) => r.timeUs));
  });

  it('a database of another seed reuses the timings of the databases beside it, not their seed', async () => {
    counting ??= new CountingSandbox();
    const problems = [
      problem('q1', 'train', [
        [FAST, 'fast'],
        [SLOW, 'slow'],
      ]),
    ];
    const cache = mkdtempSync(join(tmpdir(), 'ecode-timedb-'));
    const config = (seed: number) =>
      resolveTimePredictorConfig({
        experiment: { seed },
        data: { split: { mode: 'source' } },
        measurement: { repeats: 1, largestTests: 1, concurrency: 1, cacheDir: cache },
      });
    const before = counting.calls;
    const a = await buildTimeDbInto(join(cache, 'timedb-a'), problems, config(3), counting, { source: {} });
    expect(counting.calls - before).toBe(2);
    const b = await buildTimeDbInto(join(cache, 'timedb-b'), problems, config(4), counting, {
      source: {},
      reuseFrom: [join(cache, 'timedb-a')],
    });
    expect(counting.calls - before).toBe(2); // nothing timed again
    expect(b.rows.map((r) => r.timeUs)).toEqual(a.rows.map((r) => r.timeUs));
    expect(b.manifest.seed).toBe(4);
  });
});

describe('problemSplitter on the idiom corpus', () => {
  it('keeps every unseen idiom and unseen combination out of train and valid, the same for the same seed', async () => {
    const { problems } = await generateSynthetic({ problems: 80, seed: 1, verify: false, concurrency: 1 });
    const split = { mode: 'by-problem' as const, seed: 7, valid: 0.1, test: 0.2 };
    const [a, b] = [problemSplitter(problems, split), problemSplitter([...problems].reverse(), split)];
    const { unseenIdioms, heldOutCombinations } = corpusSplit(1);
    expect(unseenIdioms).toHaveLength(8);
    const held = new Set(heldOutCombinations);
    const counts: Record<string, number> = {};
    for (const p of problems) {
      const s = a(p);
      expect(b(p), p.id).toBe(s); // order-independent and deterministic
      counts[`${p.testSplit}/${s}`] = (counts[`${p.testSplit}/${s}`] ?? 0) + 1;
      if (s === 'test') continue;
      expect(p.testSplit, p.id).toBe('in-distribution');
      for (const idiom of p.idioms ?? []) {
        expect(unseenIdioms, `${p.id} trains on ${idiom}`).not.toContain(idiom);
        expect(held.has(combo(idiom, p.context!)), `${p.id}: ${idiom} in ${p.context}`).toBe(false);
      }
    }
    // all three test splits occur, and in-distribution problems reach train, valid and test
    expect(Object.keys(counts).sort()).toEqual([
      'in-distribution/test',
      'in-distribution/train',
      'in-distribution/valid',
      'unseen-combination/test',
      'unseen-idiom/test',
    ]);
  }, 60_000);
});
