import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TimeRow } from './timedb-row.js';
import {
  appendPartialRow,
  knownRows,
  parseCsv,
  partialRowsPath,
  readTimeDb,
  toTimeCsv,
  writeTimeDb,
} from './timedb-store.js';

function row(id: string, split: TimeRow['split'], code: string, timeUs: number, passed = true): TimeRow {
  return {
    id,
    problemId: id.split('#')[0],
    split,
    role: 'slow',
    views: { ori: code, uni: code, looprec: '', randdel: code.slice(1) },
    timeUs,
    spread: { n: 1, min: timeUs, max: timeUs, cv: 0, iqr: 0 },
    tests: 1,
    passed,
    key: `k-${id}`,
  };
}

const measurement = {
  costMeasure: 'cpu-time' as const,
  repeats: 1,
  largestTests: 1,
  concurrency: 1,
  deleteFraction: 0.2,
};

describe('CodeExecTimeDB store', () => {
  it("writes CSV that Python's csv module reads back exactly", () => {
    const rows = [row('a#0', 'train', 'print("a, b")\nx = 1\r\n', 12.5), row('a#1', 'train', 's = \'""\'', 7)];
    const text = toTimeCsv(rows, 'ori');
    expect(parseCsv(text)).toEqual([
      ['Prompt_input', 'Time'],
      ['print("a, b")\nx = 1\r\n', '12.5'],
      ['s = \'""\'', '7'],
    ]);
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-s',
        '-c',
        'import csv,io,json,sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))',
      ],
      { input: text, encoding: 'utf8' },
    );
    expect(py.status).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual(parseCsv(text));
  });

  it('writes rows, manifest and per-view, per-split CSVs (failed rows out of the CSV), and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-store-'));
    const rows = [
      row('a#0', 'train', 'x = 1\n', 100),
      row('b#0', 'test', 'y = 2\n', 200),
      row('b#1', 'test', 'z = 3\n', 300, false),
    ];
    const m = await writeTimeDb(dir, rows, {
      source: { test: true },
      measurement,
      seed: 1,
      skipped: { 'python cannot parse the program (SyntaxError)': 2 },
    });
    expect(m.rows).toBe(3);
    expect(m.failedRows).toBe(1);
    expect(m.bySplit).toEqual({ train: 1, test: 1 });
    expect(m.csv).toContain('csv/randdel-test.csv');
    expect(readFileSync(join(dir, 'csv/ori-test.csv'), 'utf8')).toBe('Prompt_input,Time\r\n"y = 2\n",200\r\n');
    const back = await readTimeDb(dir);
    expect(back.rows).toEqual(rows);
    expect(back.manifest.skipped).toEqual({ 'python cannot parse the program (SyntaxError)': 2 });
    await expect(readTimeDb(join(dir, 'csv'))).rejects.toThrow(/not a CodeExecTimeDB folder/);
  });

  it('resumes from a partial file, ignoring a line cut short by an interruption', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-partial-'));
    await appendPartialRow(dir, row('a#0', 'train', 'x = 1\n', 100));
    await appendFile(partialRowsPath(dir), '{"id": "a#1", "probl');
    const known = await knownRows(dir);
    expect([...known.keys()]).toEqual(['k-a#0']);
    await writeTimeDb(dir, [...known.values()], { source: {}, measurement, seed: 1, skipped: {} });
    expect(existsSync(partialRowsPath(dir))).toBe(false);
  });
});
