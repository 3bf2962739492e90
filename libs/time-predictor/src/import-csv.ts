/**
 * `importTimeDbCsv`: the original CodeExecTimeDB files (CSV with the columns `Prompt_input`, the
 * program, and `Time`, its execution time in µs; one train and one test file) as a database this
 * package trains on. The column holds one view (`ori` by default, the program as written): from
 * `ori` the other three views are derived as for a built database; for another view every view
 * holds that text. A program Python cannot parse keeps its text in every view (counted). The
 * original files have no problem ids, so each row is its own problem unless `problemColumn` names
 * one (pairwise accuracy needs solutions of the same problem); `valid` of the training rows
 * (seeded, by problem) become the validation split.
 */
import { readFile } from 'node:fs/promises';
import { assignSplits, type Split } from '@ecode/data';
import type { TimeView } from './config.js';
import { parseCsv, writeTimeDb, type TimeDbManifest } from './timedb-store.js';
import type { TimeRow } from './timedb-row.js';
import { deriveViews, type CodeViews } from './views.js';

export interface ImportCsvOptions {
  train: string;
  test: string;
  /** Which view the `Prompt_input` column is (default `ori`). */
  view?: TimeView;
  /** A column that names each row's problem (default: none, every row its own problem). */
  problemColumn?: string;
  /** Share of training problems moved to validation (default 0.1). */
  valid?: number;
  seed?: number;
  deleteFraction?: number;
}

interface CsvRecord {
  code: string;
  timeUs: number;
  problem?: string;
}

/** Reads one original CSV file; errors name the file, the line and what is wrong. */
export async function readTimeCsv(path: string, problemColumn?: string): Promise<CsvRecord[]> {
  const records = parseCsv(await readFile(path, 'utf8'));
  if (records.length === 0) throw new Error(`${path}: empty file (expected a header with Prompt_input and Time)`);
  const head = records[0].map((h) => h.trim().replace(/^\uFEFF/, ''));
  const col = (name: string) => {
    const i = head.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column ${name} in the header (found: ${head.join(', ')})`);
    return i;
  };
  const code = col('Prompt_input');
  const time = col('Time');
  const problem = problemColumn ? col(problemColumn) : -1;
  const out: CsvRecord[] = [];
  records.slice(1).forEach((r, k) => {
    if (r.length === 1 && r[0] === '') return; // a blank line
    const line = k + 2;
    if (r.length !== head.length)
      throw new Error(`${path}: record ${line}: ${r.length} fields, the header has ${head.length}`);
    const t = Number(r[time]);
    if (!(t >= 0) || r[time].trim() === '')
      throw new Error(
        `${path}: record ${line}: Time must be a non-negative number of µs, found ${JSON.stringify(r[time])}`,
      );
    out.push({ code: r[code], timeUs: t, ...(problem >= 0 ? { problem: r[problem] } : {}) });
  });
  return out;
}

/** Imports the two CSV files into `dir` (rows.jsonl, manifest.json, csv/). */
export async function importTimeDbCsv(
  dir: string,
  options: ImportCsvOptions,
): Promise<{ rows: TimeRow[]; manifest: TimeDbManifest }> {
  const view = options.view ?? 'ori';
  const seed = options.seed ?? 0;
  const parts: { split: 'train' | 'test'; path: string; records: CsvRecord[] }[] = [];
  for (const [split, path] of [
    ['train', options.train],
    ['test', options.test],
  ] as const)
    parts.push({ split, path, records: await readTimeCsv(path, options.problemColumn) });
  const skipped: Record<string, number> = {};
  const items = parts.flatMap((p) =>
    p.records.map((r, i) => ({
      ...r,
      split: p.split,
      id: `${p.split}/${i + 1}`,
      problemId: `${p.split}/${r.problem ?? i + 1}`,
    })),
  );
  let views: CodeViews[];
  if (view === 'ori') {
    const derived = await deriveViews(
      items.map((r) => ({ key: r.id, code: r.code })),
      { seed, deleteFraction: options.deleteFraction },
    );
    views = derived.map((d, i) => {
      if (d.ok) return d.views;
      skipped['views not derived (Python cannot parse it): text kept in every view'] =
        (skipped['views not derived (Python cannot parse it): text kept in every view'] ?? 0) + 1;
      const c = items[i].code;
      return { ori: c, uni: c, looprec: c, randdel: c };
    });
  } else views = items.map((r) => ({ ori: r.code, uni: r.code, looprec: r.code, randdel: r.code }));
  const trainProblems = [...new Set(items.filter((r) => r.split === 'train').map((r) => r.problemId))];
  const valid = options.valid ?? 0.1;
  const carved = assignSplits(trainProblems, { seed, fractions: { train: 1 - valid, valid, test: 0 } });
  const rows: TimeRow[] = items.map((r, i) => ({
    id: r.id,
    problemId: r.problemId,
    split: r.split === 'test' ? 'test' : (carved.get(r.problemId) as Split),
    role: 'slow',
    views: views[i],
    timeUs: r.timeUs,
    spread: { n: 1, min: r.timeUs, max: r.timeUs, cv: 0, iqr: 0 },
    tests: 0,
    passed: true,
    key: `import:${r.id}`,
  }));
  const manifest = await writeTimeDb(dir, rows, {
    source: {
      import: { train: options.train, test: options.test, view, problemColumn: options.problemColumn ?? null, valid },
    },
    measurement: {
      costMeasure: 'cpu-time',
      repeats: 1,
      largestTests: 1,
      concurrency: 1,
      deleteFraction: options.deleteFraction ?? 0.2,
    },
    seed,
    skipped,
  });
  return { rows, manifest };
}
