/**
 * CodeExecTimeDB on disk: `rows.jsonl` (one TimeRow a line, every view inside), `manifest.json`
 * (what was measured, how, and what was left out) and `csv/<view>-<split>.csv` with the original's
 * columns `Prompt_input` and `Time` (µs). A build in progress appends to `rows.partial.jsonl`, so an
 * interrupted build resumes without re-measuring.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TIME_VIEWS, type TimeView } from './config.js';
import type { MeasurementOptions } from './build-timedb.js';
import type { TimeRow } from './timedb-row.js';

export const TIMEDB_FORMAT_VERSION = 1;

export interface TimeDbManifest {
  format: 'codeexectimedb';
  version: number;
  createdAt: string;
  source: Record<string, unknown>;
  measurement: MeasurementOptions;
  seed: number;
  rows: number;
  bySplit: Record<string, number>;
  failedRows: number;
  skipped: Record<string, number>;
  csv: string[];
}

/** One CSV field, quoted as RFC 4180 (and Python's csv module) do when needed. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text with the original's columns, one line per row's view. */
export function toTimeCsv(rows: TimeRow[], view: TimeView): string {
  const lines = ['Prompt_input,Time'];
  for (const r of rows) lines.push(`${csvField(r.views[view])},${csvField(r.timeUs)}`);
  return lines.join('\r\n') + '\r\n';
}

/** Parses CSV text (RFC 4180) into records; the inverse of `toTimeCsv`. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    out.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRow();
    else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) endRow();
  return out;
}

export const rowsPath = (dir: string) => join(dir, 'rows.jsonl');
export const partialRowsPath = (dir: string) => join(dir, 'rows.partial.jsonl');

export async function appendPartialRow(dir: string, row: TimeRow): Promise<void> {
  await appendFile(partialRowsPath(dir), JSON.stringify(row) + '\n');
}

async function readJsonl(path: string): Promise<TimeRow[]> {
  if (!existsSync(path)) return [];
  const text = await readFile(path, 'utf8');
  const rows: TimeRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line) as TimeRow);
    } catch (e) {
      // the last line of a partial file may be cut short by an interruption: ignore only that one
      if (!path.endsWith('.partial.jsonl'))
        throw new Error(`${path}:${i + 1}: not a JSON row (${(e as Error).message})`);
    }
  });
  return rows;
}

/** Rows measured by an earlier (possibly interrupted) build in `dir`, by key. */
export async function knownRows(dir: string): Promise<Map<string, TimeRow>> {
  const out = new Map<string, TimeRow>();
  for (const r of [...(await readJsonl(rowsPath(dir))), ...(await readJsonl(partialRowsPath(dir)))]) out.set(r.key, r);
  return out;
}

export async function writeTimeDb(
  dir: string,
  rows: TimeRow[],
  info: {
    source: Record<string, unknown>;
    measurement: MeasurementOptions;
    seed: number;
    skipped: Record<string, number>;
  },
): Promise<TimeDbManifest> {
  await mkdir(join(dir, 'csv'), { recursive: true });
  const tmp = rowsPath(dir) + '.tmp';
  await writeFile(tmp, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  await rename(tmp, rowsPath(dir));
  await rm(partialRowsPath(dir), { force: true });
  const good = rows.filter((r) => r.passed);
  const bySplit: Record<string, number> = {};
  for (const r of good) bySplit[r.split] = (bySplit[r.split] ?? 0) + 1;
  const csv: string[] = [];
  for (const view of TIME_VIEWS) {
    for (const split of ['train', 'valid', 'test'] as const) {
      const part = good.filter((r) => r.split === split);
      if (part.length === 0) continue;
      const name = `csv/${view}-${split}.csv`;
      await writeFile(join(dir, name), toTimeCsv(part, view));
      csv.push(name);
    }
  }
  const manifest: TimeDbManifest = {
    format: 'codeexectimedb',
    version: TIMEDB_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    source: info.source,
    measurement: info.measurement,
    seed: info.seed,
    rows: rows.length,
    bySplit,
    failedRows: rows.length - good.length,
    skipped: info.skipped,
    csv,
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Reads a built database: its rows (all, failed ones included) and manifest. */
export async function readTimeDb(dir: string): Promise<{ rows: TimeRow[]; manifest: TimeDbManifest }> {
  const mpath = join(dir, 'manifest.json');
  if (!existsSync(mpath))
    throw new Error(`${dir}: not a CodeExecTimeDB folder (no manifest.json; build one with 'ecode timedb build')`);
  const manifest = JSON.parse(await readFile(mpath, 'utf8')) as TimeDbManifest;
  if (manifest.format !== 'codeexectimedb')
    throw new Error(`${mpath}: format is '${String(manifest.format)}', expected 'codeexectimedb'`);
  if (manifest.version > TIMEDB_FORMAT_VERSION)
    throw new Error(
      `${mpath}: format version ${manifest.version} is newer than this reader (${TIMEDB_FORMAT_VERSION})`,
    );
  return { rows: await readJsonl(rowsPath(dir)), manifest };
}
