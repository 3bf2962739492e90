/** The held-out-family test split: families kept out of train and valid, deterministic per seed. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@ecode/config';
import { corpusSplit, listFamilies, writeSynthetic } from '@ecode/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, separateHeldOut } from './dataset-stage.js';

const HELD = ['list-pop0-vs-deque', 'all-windows-vs-two-pointers'];
let file = '';

beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), 'ecode-heldout-')), 'synthetic.jsonl');
  // 56 problems = 4 per family of generator version 1 (unverified: only families and ids matter).
  await writeSynthetic(file, { problems: 56, seed: 3, verify: false, families: listFamilies().map((f) => f.name) });
});

const configFor = (seed: number, heldOutFamilies?: string[]) =>
  resolveConfig({
    experiment: { seed },
    data: { source: 'jsonl', path: file, split: { train: 0.8, valid: 0.1, test: 0.1 }, heldOutFamilies },
  });

describe('data.heldOutFamilies', () => {
  it('defaults to two families, none of whose problems is in train or valid', async () => {
    const config = configFor(1);
    expect(config.data.heldOutFamilies).toEqual(HELD);
    const data = await loadDataset(config);
    expect(data.heldOutFamilies).toEqual(HELD);
    expect(data.heldOut).toHaveLength(8);
    expect(new Set(data.heldOut.map((p) => p.family))).toEqual(new Set(HELD));
    for (const split of ['train', 'valid', 'test'] as const)
      for (const p of data.bySplit[split]) expect(HELD).not.toContain(p.family);
    // Every problem is in exactly one place.
    const ids = [...data.bySplit.train, ...data.bySplit.valid, ...data.bySplit.test, ...data.heldOut].map((p) => p.id);
    expect(new Set(ids).size).toBe(56);
    expect(data.problems).toHaveLength(56);
    expect(data.bySplit.train.length + data.bySplit.valid.length + data.bySplit.test.length).toBe(48);
  });

  it('is deterministic per seed: the same seed gives the same splits, another seed others', async () => {
    const ids = (d: Awaited<ReturnType<typeof loadDataset>>) => ({
      train: d.bySplit.train.map((p) => p.id),
      valid: d.bySplit.valid.map((p) => p.id),
      test: d.bySplit.test.map((p) => p.id),
      heldOut: d.heldOut.map((p) => p.id),
    });
    const a = ids(await loadDataset(configFor(1)));
    const b = ids(await loadDataset(configFor(1)));
    const c = ids(await loadDataset(configFor(2)));
    expect(b).toEqual(a);
    expect(c.heldOut).toEqual(a.heldOut); // the families decide, not the seed
    expect(c.test).not.toEqual(a.test);
  });

  it('[] turns it off; an unknown family is an error that names the key and the families', async () => {
    const off = await loadDataset(configFor(1, []));
    expect(off.heldOut).toEqual([]);
    expect(off.bySplit.train.length + off.bySplit.valid.length + off.bySplit.test.length).toBe(56);
    await expect(loadDataset(configFor(1, ['list-pop0-vs-deque', 'no-such-family']))).rejects.toThrow(
      /^data\.heldOutFamilies\[1\]: "no-such-family" is not a family of .*synthetic\.jsonl \(families: all-segments-vs-kadane, /,
    );
  });

  it('does not apply to data without families (GEC), and says so', () => {
    const problems = [{ id: 'a' }, { id: 'b' }] as never[];
    const lines: string[] = [];
    const r = separateHeldOut(problems, configFor(1), 'gec.jsonl', (l) => lines.push(l));
    expect(r).toEqual({ inFamily: problems, heldOut: [], heldOutFamilies: [] });
    expect(lines).toEqual([
      'data.heldOutFamilies: gec.jsonl has no problem families (not synthetic data), so no family is held out',
    ]);
  });
});

describe('corpus data: three test splits', () => {
  let corpusFile = '';
  beforeAll(async () => {
    corpusFile = join(mkdtempSync(join(tmpdir(), 'ecode-corpus-')), 'corpus.jsonl');
    await writeSynthetic(corpusFile, { problems: 60, seed: 4, verify: false });
  }, 60_000);

  it('splits only in-distribution problems; unseen combinations and idioms are test splits of their own', async () => {
    const lines: string[] = [];
    const config = resolveConfig({ experiment: { seed: 9 }, data: { source: 'jsonl', path: corpusFile } });
    const data = await loadDataset(config, { log: (l) => lines.push(l) });
    expect(data.mainSplit).toBe('in-distribution');
    expect(data.heldOut).toEqual([]);
    expect(data.extraTests.map((t) => t.name)).toEqual(['unseen-combination', 'unseen-idiom']);
    const unseen = new Set(corpusSplit(4).unseenIdioms);
    const held = new Set(corpusSplit(4).heldOutCombinations);
    for (const p of [...data.bySplit.train, ...data.bySplit.valid]) {
      expect(p.testSplit).toBe('in-distribution');
      expect(p.idioms!.some((i) => unseen.has(i))).toBe(false);
      expect(p.idioms!.some((i) => held.has(`${i}@${p.context}`))).toBe(false);
    }
    for (const t of data.extraTests)
      for (const p of t.problems) expect([p.split, p.testSplit]).toEqual(['test', t.name]);
    expect(data.extraTests[1].label).toMatch(/^unseen idioms \(.+\)$/);
    // The default data.heldOutFamilies does not apply to the corpus, and the log says so.
    expect(lines.some((l) => l.startsWith('data.heldOutFamilies: the data is the idiom corpus'))).toBe(true);
    const ids = [
      ...data.bySplit.train,
      ...data.bySplit.valid,
      ...data.bySplit.test,
      ...data.extraTests.flatMap((t) => t.problems),
    ];
    expect(new Set(ids.map((p) => p.id)).size).toBe(60);
  });
});

describe('data.synthetic.generator', () => {
  it("'families' generates version 1's families (held-out families split), the default the corpus", async () => {
    const generatedDir = mkdtempSync(join(tmpdir(), 'ecode-generator-'));
    const families = await loadDataset(
      resolveConfig({
        experiment: { seed: 3 },
        data: { source: 'synthetic', synthetic: { problems: 14, generator: 'families' }, heldOutFamilies: HELD },
      }),
      { generatedDir },
    );
    expect(families.path).toMatch(/synthetic-v1-families-14-seed3\.jsonl$/);
    expect(new Set(families.problems.map((p) => p.family)).size).toBeGreaterThan(10);
    expect(families.problems.every((p) => p.testSplit === undefined)).toBe(true);
    expect(new Set(families.heldOut.map((p) => p.family))).toEqual(new Set(HELD));
    const corpus = await loadDataset(
      resolveConfig({ experiment: { seed: 3 }, data: { source: 'synthetic', synthetic: { problems: 14 } } }),
      { generatedDir },
    );
    expect(corpus.path).toMatch(/synthetic-v2-14-seed3-two0\.2\.jsonl$/);
    expect(corpus.problems.every((p) => p.testSplit !== undefined)).toBe(true);
    expect(corpus.heldOut).toEqual([]);
  }, 120_000);
});
