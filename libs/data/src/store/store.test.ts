import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../problem.js';
import { assignSplits, resplitDataset } from '../splits.js';
import { newReadStats, readAllProblems } from './dataset-reader.js';
import { DatasetWriter } from './dataset-writer.js';
import { readManifest } from './manifest.js';

function problem(id: string, extra: Partial<Problem> = {}): Problem {
  return {
    id,
    source: 'synthetic',
    title: `T ${id}`,
    difficulty: '800',
    fields: {
      titleDifficulty: 'Title:T\nDifficulty:800',
      body: 'b',
      inputSpec: 'Input:x',
      outputSpec: 'Output:y',
      samplesNote: 'I/O test:\nNote:',
    },
    tests: [{ input: '1\n', output: '2\n', sample: true }],
    solutions: [
      { code: 'print(2)', role: 'fast' },
      { code: 'print(1+1)', role: 'slow', variant: 'v' },
    ],
    split: 'train',
    family: 'f1',
    ...extra,
  };
}

describe('DatasetWriter / readProblems', () => {
  it('round-trips problems and writes a manifest with counts and the sha256 of the bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecode-store-'));
    const path = join(dir, 'sub', 'd.jsonl');
    const w = await DatasetWriter.open(path);
    await w.write(problem('a'));
    await w.write(problem('b', { split: 'test', family: 'f2', source: 'gec' }));
    const m = await w.close({ tool: 'test', generator: 'unit', generatorVersion: '1', seed: 7 });
    const bytes = await readFile(path);
    const { createHash } = await import('node:crypto');
    expect(m.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(m.bytes).toBe(bytes.length);
    expect(m).toMatchObject({
      problems: 2,
      tests: 2,
      solutions: { slow: 2, fast: 2 },
      bySplit: { test: 1, train: 1 },
      bySource: { gec: 1, synthetic: 1 },
      byFamily: { f1: 1, f2: 1 },
    });
    expect((await readManifest(path)).sha256).toBe(m.sha256);
    const back = await readAllProblems(path);
    expect(back.map((p) => p.id)).toEqual(['a', 'b']);
    expect(back[0]).toEqual(problem('a'));
    // Fixed key order: id first, code last in a solution.
    expect(bytes.toString('utf8').startsWith('{"id":"a","source":"synthetic","split":"train","family":"f1"')).toBe(
      true,
    );
  });

  it('skips corrupt lines with file:line and reason, and keeps going', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecode-store-'));
    const path = join(dir, 'bad.jsonl');
    const good = JSON.stringify(problem('ok'));
    await writeFile(
      path,
      [
        good,
        '{"id": "x"',
        '',
        JSON.stringify({ ...problem('y'), split: 'dev' }),
        '[1]',
        good.replace('"ok"', '"ok2"'),
      ].join('\n'),
    );
    const stats = newReadStats();
    const seen: string[] = [];
    const back = await readAllProblems(path, { stats, onSkip: (s) => seen.push(`${s.line}`) });
    expect(back.map((p) => p.id)).toEqual(['ok', 'ok2']);
    expect(stats.skipped).toBe(3);
    expect(seen).toEqual(['2', '4', '5']);
    expect(stats.skips[0].reason).toMatch(/invalid JSON/);
    expect(stats.skips[1].reason).toBe("'split' must be train, valid or test");
    expect(stats.skips[2]).toEqual({ file: path, line: 5, reason: 'not a JSON object' });
  });

  it('skips a line over the size cap without holding it in memory; refuses what is not a regular file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecode-store-'));
    const path = join(dir, 'long.jsonl');
    const good = JSON.stringify(problem('ok'));
    // CRLF line ends too; the 300 KB line has no JSON in it at all.
    await writeFile(path, [good, 'x'.repeat(300_000), good.replace('"ok"', '"ok2"')].join('\r\n'));
    const stats = newReadStats();
    const back = await readAllProblems(path, { stats, maxLineBytes: 100_000 });
    expect(back.map((p) => p.id)).toEqual(['ok', 'ok2']);
    expect(stats.skips).toEqual([
      { file: path, line: 2, reason: 'the line is 293 KiB, over the 97.7 KiB limit of a dataset line' },
    ]);
    await expect(readAllProblems('/dev/zero')).rejects.toThrow('/dev/zero: is a character device, not a file');
    await expect(readAllProblems(dir)).rejects.toThrow(`${dir}: is a directory, not a file`);
  });

  it('refuses duplicate ids', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecode-store-'));
    const w = await DatasetWriter.open(join(dir, 'd.jsonl'));
    await w.write(problem('a'));
    await expect(w.write(problem('a'))).rejects.toThrow(/duplicate problem id 'a'/);
    await w.abort();
  });
});

describe('splits', () => {
  it('assigns exact counts, independent of input order, and deterministic per seed', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `p${i}`);
    const a = assignSplits(ids, { seed: 1 });
    const b = assignSplits([...ids].reverse(), { seed: 1 });
    const c = assignSplits(ids, { seed: 2 });
    const count = (m: Map<string, string>, s: string) => [...m.values()].filter((v) => v === s).length;
    expect([count(a, 'train'), count(a, 'valid'), count(a, 'test')]).toEqual([80, 10, 10]);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect([...a.entries()].sort()).not.toEqual([...c.entries()].sort());
    expect(() => assignSplits(ids, { seed: 1, fractions: { train: 0.5, valid: 0.1, test: 0.1 } })).toThrow(/sum to 1/);
  });

  it('re-splits a file keeping the source test split', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecode-store-'));
    const src = join(dir, 'in.jsonl');
    const w = await DatasetWriter.open(src);
    for (let i = 0; i < 20; i++) await w.write(problem(`p${i}`, { split: i < 5 ? 'test' : 'train' }));
    await w.close({ tool: 't', generator: 'g', generatorVersion: '1' });
    const out = join(dir, 'out.jsonl');
    const { manifest } = await resplitDataset(src, out, {
      seed: 3,
      mode: 'keep-test',
      fractions: { train: 0.8, valid: 0.2, test: 0 },
    });
    expect(manifest.bySplit).toEqual({ test: 5, train: 12, valid: 3 });
    const back = await readAllProblems(out);
    expect(back.filter((p) => p.split === 'test').map((p) => p.id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
  });
});
