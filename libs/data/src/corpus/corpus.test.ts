import { describe, expect, it } from 'vitest';
import { STATEMENT_FIELD_ORDER, type Problem } from '../problem.js';
import { Rng } from '../random.js';
import { serializeProblem } from '../store/serialize.js';
import { generateSynthetic } from '../synthetic/generate.js';
import { VerifierPool } from '../synthetic/verifier.js';
import { CONTEXTS } from './contexts.js';
import { combo, corpusSplit, pickCorpusProblem } from './corpus.js';
import { processCpuSeconds } from './cpu-time.js';
import { IDIOMS } from './idioms/index.js';
import { makeComposite } from './render.js';

const OLD_FAMILIES = [
  'linear-scan-vs-bisect',
  'loop-vs-closed-formula',
  'count-in-loop-vs-counter',
  'repeated-sort-vs-heap',
  'per-line-input-vs-bulk-read',
  'all-segments-vs-kadane',
  'list-vs-set-membership',
  'pair-counting-vs-hashing',
  'resumming-vs-prefix-sums',
  'list-pop0-vs-deque',
  'naive-recursion-vs-dp',
  'trial-division-vs-sieve',
  'all-windows-vs-two-pointers',
  'concatenation-vs-join',
];

describe('idioms and contexts', () => {
  it('has at least 40 idioms (the old families among them) and contexts that differ in structure, not only names', () => {
    expect(IDIOMS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(IDIOMS.map((i) => i.name)).size).toBe(IDIOMS.length);
    for (const f of OLD_FAMILIES) expect(IDIOMS.map((i) => i.name)).toContain(f);
    for (const i of IDIOMS) expect(i.slow.length, i.name).toBeGreaterThanOrEqual(1);
    expect(CONTEXTS.length).toBeGreaterThanOrEqual(12);
    for (const [x, a] of CONTEXTS.entries())
      for (const b of CONTEXTS.slice(x + 1)) {
        const th = a.themes[0];
        expect(a.story(th), `${a.name} vs ${b.name}`).not.toBe(b.story(th));
        const differs = [a.layout !== b.layout, a.read !== b.read, a.structure !== b.structure, a.cases !== b.cases];
        expect(differs.filter(Boolean).length, `${a.name} vs ${b.name}`).toBeGreaterThanOrEqual(1);
        expect(a.layout !== b.layout || a.read !== b.read, `${a.name} vs ${b.name}: input format`).toBe(true);
      }
  });

  it("every idiom's fast and slow solutions pass its samples and medium test in a context, and two-idiom problems too", async () => {
    const pool = new VerifierPool(2);
    try {
      const problems = IDIOMS.map((idiom, k) => {
        const context = CONTEXTS[k % CONTEXTS.length];
        return {
          label: `${idiom.name}@${context.name}`,
          inst: makeComposite({ context, idioms: [idiom] }, new Rng(7, k)),
        };
      });
      for (let k = 0; k < 4; k++) {
        const [i1, i2] = [IDIOMS[(3 * k + 1) % IDIOMS.length], IDIOMS[(5 * k + 20) % IDIOMS.length]];
        const context = CONTEXTS[(k * 3 + 2) % CONTEXTS.length];
        problems.push({
          label: `${i1.name}+${i2.name}@${context.name}`,
          inst: makeComposite({ context, idioms: [i1, i2] }, new Rng(8, k)),
        });
      }
      const checks = problems.flatMap(({ label, inst }) => {
        const tests = [...inst.samples, inst.medium];
        return [inst.fast, ...inst.slow].map(async (s) => {
          const reasons = (await pool.run({ code: s.code, tests })).map((r) => r.reason).filter(Boolean);
          return [`${label}/${s.variant}`, reasons] as const;
        });
      });
      const failures = (await Promise.all(checks)).filter(([, reasons]) => reasons.length > 0);
      expect(failures).toEqual([]);
      expect(checks.length).toBeGreaterThan(IDIOMS.length * 2);
    } finally {
      pool.close();
    }
  }, 240_000);

  it('on the large test the fast and first slow solutions are right, and the slow one takes more CPU (python3 processes)', async () => {
    const ratios: number[] = [];
    const slower: string[] = [];
    const norm = (t: string) =>
      t
        .trimEnd()
        .split('\n')
        .map((l) => l.trimEnd());
    // Two idioms at a time, each in another context.
    for (let k = 0; k < IDIOMS.length; k += 2) {
      const batch = IDIOMS.slice(k, k + 2).map(async (idiom, j) => {
        const context = CONTEXTS[(k + j) % CONTEXTS.length];
        const inst = makeComposite({ context, idioms: [idiom] }, new Rng(1, idiom.name, context.name));
        const fast = await processCpuSeconds(inst.fast.code, inst.large.input);
        const slow = await processCpuSeconds(inst.slow[0].code, inst.large.input);
        for (const r of [fast, slow]) expect(norm(r.stdout), idiom.name).toEqual(norm(inst.large.output));
        // CPU time is noisy while other test projects share the cores: a pair that does not
        // show its gap at once is timed twice more, interleaved, and compared by the minimum.
        let [f, sl] = [fast.cpu, slow.cpu];
        for (let again = 0; again < 2 && !(sl > f); again++) {
          f = Math.min(f, (await processCpuSeconds(inst.fast.code, inst.large.input)).cpu);
          sl = Math.min(sl, (await processCpuSeconds(inst.slow[0].code, inst.large.input)).cpu);
        }
        ratios.push(sl / f);
        if (!(sl > f)) slower.push(`${idiom.name}@${context.name}: slow ${sl}s, fast ${f}s (minimum of 3)`);
      });
      await Promise.all(batch);
    }
    expect(slower).toEqual([]);
    const geoMean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    expect(geoMean).toBeGreaterThan(2);
  }, 120_000);
});

describe('corpus splits', () => {
  const N = 1000;
  const byIndex = (seed: number) => Array.from({ length: N }, (_, i) => pickCorpusProblem(seed, i));

  it('holds out at least 8 idioms and one context per seen idiom, deterministically per seed', () => {
    const a = corpusSplit(3);
    expect(a).toEqual(corpusSplit(3));
    expect(a.unseenIdioms.length).toBeGreaterThanOrEqual(8);
    expect(a.heldOutCombinations).toHaveLength(IDIOMS.length - a.unseenIdioms.length);
    expect(corpusSplit(4).unseenIdioms).not.toEqual(a.unseenIdioms);
  });

  it('every idiom appears in at least 4 contexts and every context holds at least 3 idioms', () => {
    const contextsOf = new Map<string, Set<string>>();
    const idiomsOf = new Map<string, Set<string>>();
    for (const c of byIndex(1))
      for (const i of c.idioms) {
        if (!contextsOf.has(i.name)) contextsOf.set(i.name, new Set());
        if (!idiomsOf.has(c.context.name)) idiomsOf.set(c.context.name, new Set());
        contextsOf.get(i.name)!.add(c.context.name);
        idiomsOf.get(c.context.name)!.add(i.name);
      }
    expect(contextsOf.size).toBe(IDIOMS.length);
    for (const [name, cs] of contextsOf) expect(cs.size, name).toBeGreaterThanOrEqual(4);
    expect(idiomsOf.size).toBe(CONTEXTS.length);
    for (const [name, is] of idiomsOf) expect(is.size, name).toBeGreaterThanOrEqual(3);
  });

  it('keeps unseen idioms and unseen combinations out of train and valid', async () => {
    const seed = 5;
    const { problems, stats } = await generateSynthetic({ problems: 80, seed, verify: false });
    const split = corpusSplit(seed);
    const unseen = new Set(split.unseenIdioms);
    const held = new Set(split.heldOutCombinations);
    const combos = (p: Problem) => p.idioms!.map((i) => combo(i, p.context!));
    const trained = problems.filter((p) => p.split !== 'test');
    expect(trained.length).toBeGreaterThan(50);
    for (const p of trained) {
      expect(p.testSplit).toBe('in-distribution');
      expect(
        p.idioms!.some((i) => unseen.has(i)),
        p.id,
      ).toBe(false);
      expect(
        combos(p).some((c) => held.has(c)),
        p.id,
      ).toBe(false);
    }
    const trainedCombos = new Set(trained.flatMap(combos));
    const trainedIdioms = new Set(trained.flatMap((p) => p.idioms!));
    for (const p of problems.filter((q) => q.testSplit === 'unseen-combination')) {
      expect(p.split).toBe('test');
      expect(p.idioms!.every((i) => trainedIdioms.has(i) || !unseen.has(i))).toBe(true);
      expect(
        combos(p).some((c) => held.has(c) && !trainedCombos.has(c)),
        p.id,
      ).toBe(true);
    }
    for (const p of problems.filter((q) => q.testSplit === 'unseen-idiom')) {
      expect(p.split).toBe('test');
      expect(p.idioms!.some((i) => unseen.has(i))).toBe(true);
    }
    expect(Object.keys(stats.byTestSplit!).sort()).toEqual(['in-distribution', 'unseen-combination', 'unseen-idiom']);
    for (const p of problems) {
      for (const f of STATEMENT_FIELD_ORDER) expect(p.fields[f].length, `${p.id} ${f}`).toBeGreaterThan(0);
      expect(p.fields.titleDifficulty).toMatch(/^Title:.+\nDifficulty:\d+$/);
      expect(p.tests.filter((t) => t.sample)).toHaveLength(2);
      expect(p.tests.at(-1)!.large).toBe(true);
      expect(p.solutions.filter((s) => s.role === 'fast')).toHaveLength(1);
      expect(p.solutions.some((s) => s.role === 'slow')).toBe(true);
    }
  });

  it('is deterministic: the same seed gives the same bytes, another seed other problems', async () => {
    const text = async (seed: number) =>
      (await generateSynthetic({ problems: 16, seed, verify: false })).problems.map(serializeProblem).join('\n');
    const a = await text(9);
    expect(await text(9)).toBe(a);
    expect(await text(10)).not.toBe(a);
  });
});
