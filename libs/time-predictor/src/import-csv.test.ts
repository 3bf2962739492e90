import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTimeDbCsv } from './import-csv.js';
import { readTimeDb } from './timedb-store.js';

// Rows shaped like the original CodeExecTimeDB files: a quoted multi-line program and µs.
const TRAIN = [
  'Prompt_input,Time',
  '"n = int(input())\nprint(n * 2)\n",812.5',
  '"import sys\ntotal = 0\nfor line in sys.stdin:\n    total += int(line)\nprint(total)\n",15000',
  '"def f(x):\n    return x + 1\nprint(f(1))\n",640',
  '"print(""a, b"")\n",500',
].join('\r\n');
const TEST = ['Prompt_input,Time', '"x = 1\nwhile x < 10 ** 6:\n    x += 1\n",90000'].join('\n');

describe('importTimeDbCsv', () => {
  it('imports the train and test CSVs with their µs, derives the views from ori, carves valid from train', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-import-'));
    writeFileSync(join(dir, 'train.csv'), TRAIN);
    writeFileSync(join(dir, 'test.csv'), TEST);
    const out = join(dir, 'db');
    const { rows, manifest } = await importTimeDbCsv(out, {
      train: join(dir, 'train.csv'),
      test: join(dir, 'test.csv'),
      valid: 0.25,
      seed: 1,
    });
    expect(rows.map((r) => r.timeUs)).toEqual([812.5, 15000, 640, 500, 90000]);
    expect(rows.map((r) => r.split).filter((s) => s === 'valid')).toHaveLength(1);
    expect(rows.at(-1)!.split).toBe('test');
    expect(rows[3].views.ori).toBe('print("a, b")\n');
    expect(rows[2].views.uni).toContain('def function1(var1):');
    expect(rows[1].views.looprec).toContain('for ');
    expect(manifest.rows).toBe(5);
    expect(manifest.source).toMatchObject({ import: { view: 'ori' } });
    const back = await readTimeDb(out);
    expect(back.rows).toEqual(rows);
  });

  it('groups rows by a problem column and keeps a non-ori view as every view', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-import-'));
    writeFileSync(join(dir, 'train.csv'), 'pid,Prompt_input,Time\np1,print(1),10\np1,print(2),20\np2,x,5\n');
    writeFileSync(join(dir, 'test.csv'), 'pid,Prompt_input,Time\nq,y = (,7\n');
    const { rows } = await importTimeDbCsv(join(dir, 'db'), {
      train: join(dir, 'train.csv'),
      test: join(dir, 'test.csv'),
      view: 'uni',
      problemColumn: 'pid',
    });
    expect(rows.map((r) => r.problemId)).toEqual(['train/p1', 'train/p1', 'train/p2', 'test/q']);
    expect(rows[3].views).toEqual({ ori: 'y = (', uni: 'y = (', looprec: 'y = (', randdel: 'y = (' });
  });

  it('names the file, the record and the problem when a CSV is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-import-'));
    writeFileSync(join(dir, 'ok.csv'), 'Prompt_input,Time\nprint(1),3\n');
    writeFileSync(join(dir, 'nocol.csv'), 'code,Time\nprint(1),3\n');
    writeFileSync(join(dir, 'badtime.csv'), 'Prompt_input,Time\nprint(1),3\nprint(2),fast\n');
    const run = (train: string) =>
      importTimeDbCsv(join(dir, 'db'), { train: join(dir, train), test: join(dir, 'ok.csv') });
    await expect(run('nocol.csv')).rejects.toThrow(
      /nocol\.csv: no column Prompt_input in the header \(found: code, Time\)/,
    );
    await expect(run('badtime.csv')).rejects.toThrow(
      /badtime\.csv: record 3: Time must be a non-negative number of µs, found "fast"/,
    );
  });
});
