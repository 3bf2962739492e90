/**
 * Imports the original GEC layout (`GEC/{train,test}/<problem>/`) into the canonical JSONL, doing
 * what the original E-code loaders do, in their order:
 *  1. Accepted.json: raw text, the two-character escapes \n \t \r replaced (no JSON parsing);
 *     dropped with the whole problem when it has more than 766 GPT-2 tokens (counted BEFORE
 *     re-indenting); then re-indented.
 *  2. metadata.json and `question dictionary.txt`: Python dict literals (parsed safely, never
 *     evaluated); the five statement fields built and stripped as the original does.
 *  3. Acc_tle_solutions/*: unescaped, re-indented, dropped when over 768 tokens (counted AFTER
 *     re-indenting), stripped.
 *  4. `IO Case Test Dictionary.txt` (APPS-style, optional fn_name) becomes the tests.
 * A bad file skips its problem or solution with a named reason; the import never aborts on one
 * entry and ends with counts per reason.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem, Solution, StatementFields, TestCase } from '../problem.js';
import { parsePythonLiteral, PyDict, PythonLiteralError, pyToJson, type PyValue } from '../python-literal.js';
import { DatasetWriter } from '../store/dataset-writer.js';
import type { DatasetManifest } from '../store/manifest.js';
import { pyStr, pyStrip, readTextLikePython, TextFileError, unescapeGecCode } from './python-text.js';
import { reindentLikeOriginal } from './reindent.js';
import { parseSolutionFileName } from './solution-file-name.js';

export const GEC_IMPORTER_VERSION = '1';

export interface GecImportOptions {
  /** GPT-2 token count of a code string; without it no length filter is applied. */
  countTokens?: (code: string) => number;
  /** Drop a problem whose efficient code has more tokens (default 766). */
  maxFastTokens?: number;
  /** Drop a slow solution with more tokens (default 768). */
  maxSlowTokens?: number;
  /** Re-indentation: `tab` = the original's (one tab per level), `spaces` = 4 spaces, `none`. */
  indent?: 'tab' | 'spaces' | 'none';
  /** Which source splits to read (default both). */
  splits?: ('train' | 'test')[];
  onProgress?: (done: number, total: number) => void;
  /** How many skip details the report keeps (default 200). */
  keepDetails?: number;
}

export interface GecSkip {
  path: string;
  reason: string;
  detail: string;
}

export interface GecImportReport {
  problemsSeen: number;
  problemsWritten: number;
  slowSolutionsWritten: number;
  /** Problems or solutions left out, by reason. */
  skipped: Record<string, number>;
  /** Oddities that did not cause a skip, by kind. */
  warnings: Record<string, number>;
  details: GecSkip[];
}

class Skip extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${reason}: ${detail}`);
  }
}

async function readText(path: string, name: string): Promise<string> {
  try {
    return await readTextLikePython(path);
  } catch (err) {
    if (err instanceof TextFileError) throw new Skip(`${err.kind}:${name}`, path, err.message);
    throw err;
  }
}

async function readDict(path: string, name: string): Promise<PyDict> {
  const text = (await readText(path, name)).replace(/^\ufeff/, '');
  let value: PyValue;
  try {
    value = parsePythonLiteral(text, { sourceName: path });
  } catch (err) {
    if (err instanceof PythonLiteralError) throw new Skip(`malformed:${name}`, path, err.message);
    throw err;
  }
  if (!(value instanceof PyDict)) throw new Skip(`malformed:${name}`, path, 'not a dict literal');
  return value;
}

function need(dict: PyDict, key: string, path: string, name: string): PyValue {
  const v = dict.get(key);
  if (v === undefined) throw new Skip(`missing-key:${name}:${key}`, path, `no key '${key}'`);
  return v;
}

function reindent(code: string, indent: GecImportOptions['indent']): string {
  return indent === 'none' ? code : reindentLikeOriginal(code, { indent: indent === 'spaces' ? 'spaces' : 'tab' });
}

function testsFrom(dict: PyDict, path: string): TestCase[] {
  const name = 'IO Case Test Dictionary.txt';
  const inputs = need(dict, 'inputs', path, name);
  const outputs = need(dict, 'outputs', path, name);
  if (!Array.isArray(inputs) || !Array.isArray(outputs))
    throw new Skip(`malformed:${name}`, path, "'inputs' and 'outputs' must be lists");
  if (inputs.length !== outputs.length)
    throw new Skip(`malformed:${name}`, path, `${inputs.length} inputs but ${outputs.length} outputs`);
  const fnName = dict.get('fn_name');
  if (fnName !== undefined && fnName !== null) {
    if (typeof fnName !== 'string') throw new Skip(`malformed:${name}`, path, "'fn_name' must be a string");
    return inputs.map((inp, i) => ({
      input: JSON.stringify(pyToJson(inp)),
      output: JSON.stringify(pyToJson(outputs[i])),
      kind: 'call' as const,
      fnName,
    }));
  }
  // APPS' harness joins a list-valued input or output with newlines.
  const text = (v: PyValue, what: string, i: number): string => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('\n');
    throw new Skip(`malformed:${name}`, path, `${what}[${i}] is not a string`);
  };
  return inputs.map((inp, i) => ({ input: text(inp, 'inputs', i), output: text(outputs[i], 'outputs', i) }));
}

/** Reads one problem folder; throws Skip for a problem-level failure, counts solution-level ones. */
async function readProblem(
  dir: string,
  split: 'train' | 'test',
  folder: string,
  options: GecImportOptions,
  onSolutionSkip: (s: Skip) => void,
  warn: (kind: string) => void,
): Promise<Problem> {
  const maxFast = options.maxFastTokens ?? 766;
  const maxSlow = options.maxSlowTokens ?? 768;
  const acceptedPath = join(dir, 'Accepted.json');
  const fastRaw = unescapeGecCode(await readText(acceptedPath, 'Accepted.json'));
  if (options.countTokens) {
    const n = options.countTokens(fastRaw);
    if (n > maxFast) throw new Skip('fast-too-long', acceptedPath, `${n} tokens > ${maxFast}`);
  }
  const fastCode = pyStrip(reindent(fastRaw, options.indent));

  const metaPath = join(dir, 'metadata.json');
  const meta = await readDict(metaPath, 'metadata.json');
  const title = pyStr(need(meta, 'title', metaPath, 'metadata.json'));
  const difficulty = pyStr(need(meta, 'difficulty', metaPath, 'metadata.json'));

  const qPath = join(dir, 'question dictionary.txt');
  const q = await readDict(qPath, 'question dictionary.txt');
  const qf = (key: string) => pyStr(need(q, key, qPath, 'question dictionary.txt'));
  const fields: StatementFields = {
    titleDifficulty: pyStrip(`Title:${title}\nDifficulty:${difficulty}`),
    body: pyStrip(qf('NL')),
    inputSpec: pyStrip(`Input:${qf('input')}`),
    outputSpec: pyStrip(`Output:${qf('output')}`),
    samplesNote: pyStrip(`I/O test:${qf('IO test samples')}\nNote:${qf('note')}`),
  };

  const ioPath = join(dir, 'IO Case Test Dictionary.txt');
  const tests = testsFrom(await readDict(ioPath, 'IO Case Test Dictionary.txt'), ioPath);

  const slowDir = join(dir, 'Acc_tle_solutions');
  let names: string[];
  try {
    names = await readdir(slowDir);
  } catch (err) {
    throw new Skip('missing-dir:Acc_tle_solutions', slowDir, (err as Error).message);
  }
  const parsed = names.map((name) => ({ name, meta: parseSolutionFileName(name) }));
  parsed.sort((a, b) =>
    a.meta && b.meta
      ? a.meta.index - b.meta.index || cmp(a.name, b.name)
      : a.meta
        ? -1
        : b.meta
          ? 1
          : cmp(a.name, b.name),
  );
  const slow: Solution[] = [];
  for (const { name, meta: fileMeta } of parsed) {
    const path = join(slowDir, name);
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new Skip('not-a-file', path, 'not a regular file');
      const raw = unescapeGecCode(await readText(path, 'Acc_tle_solutions/*'));
      const re = reindent(raw, options.indent);
      if (options.countTokens) {
        const n = options.countTokens(re);
        if (n > maxSlow) throw new Skip('slow-too-long', path, `${n} tokens > ${maxSlow}`);
      }
      if (!fileMeta) warn('solution-name-unparsed');
      slow.push({
        role: 'slow',
        origin: name,
        ...(fileMeta ? { reportedRuntimeMs: fileMeta.runtimeMs, reportedMemoryKb: fileMeta.memoryKb } : {}),
        code: pyStrip(re),
      });
    } catch (err) {
      onSolutionSkip(err instanceof Skip ? err : new Skip('unreadable', path, (err as Error).message));
    }
  }
  if (slow.length === 0) throw new Skip('no-slow-solutions', slowDir, 'no usable slow solution left');
  return {
    id: `gec/${split}/${folder}`,
    source: 'gec',
    split,
    title,
    difficulty,
    fields,
    tests,
    solutions: [{ role: 'fast', origin: 'Accepted.json', code: fastCode }, ...slow],
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Imports `gecDir` (holding train/ and test/) into `outPath` (+ manifest). */
export async function importGec(
  gecDir: string,
  outPath: string,
  options: GecImportOptions = {},
): Promise<{ manifest: DatasetManifest; report: GecImportReport }> {
  const keep = options.keepDetails ?? 200;
  const report: GecImportReport = {
    problemsSeen: 0,
    problemsWritten: 0,
    slowSolutionsWritten: 0,
    skipped: {},
    warnings: {},
    details: [],
  };
  const skip = (s: Skip) => {
    report.skipped[s.reason] = (report.skipped[s.reason] ?? 0) + 1;
    if (report.details.length < keep) report.details.push({ path: s.path, reason: s.reason, detail: s.detail });
  };
  const warn = (kind: string) => (report.warnings[kind] = (report.warnings[kind] ?? 0) + 1);

  const work: { split: 'train' | 'test'; folder: string; dir: string }[] = [];
  for (const split of options.splits ?? ['train', 'test']) {
    const splitDir = join(gecDir, split);
    let entries;
    try {
      entries = await readdir(splitDir, { withFileTypes: true });
    } catch (err) {
      skip(new Skip(`missing-dir:${split}`, splitDir, (err as Error).message));
      continue;
    }
    for (const e of entries.sort((a, b) => cmp(a.name, b.name))) {
      if (e.isDirectory()) work.push({ split, folder: e.name, dir: join(splitDir, e.name) });
      else warn('not-a-problem-folder');
    }
  }
  if (work.length === 0)
    throw new Error(`${gecDir}: no problem folders under train/ or test/ (is this the GEC folder?)`);

  const writer = await DatasetWriter.open(outPath);
  try {
    for (const item of work) {
      report.problemsSeen++;
      try {
        const problem = await readProblem(item.dir, item.split, item.folder, options, skip, warn);
        await writer.write(problem);
        report.problemsWritten++;
        report.slowSolutionsWritten += problem.solutions.length - 1;
      } catch (err) {
        // Never abort the import on one entry: anything unexpected is a named skip too.
        skip(err instanceof Skip ? err : new Skip('unexpected-error', item.dir, (err as Error).message));
      }
      options.onProgress?.(report.problemsSeen, work.length);
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const sortedSkips = Object.fromEntries(Object.entries(report.skipped).sort());
  const manifest = await writer.close({
    tool: 'ecode data import-gec',
    generator: 'gec-importer',
    generatorVersion: GEC_IMPORTER_VERSION,
    options: {
      indent: options.indent ?? 'tab',
      tokenFilter: options.countTokens
        ? { maxFastTokens: options.maxFastTokens ?? 766, maxSlowTokens: options.maxSlowTokens ?? 768 }
        : 'off',
      splits: options.splits ?? ['train', 'test'],
    },
    skipped: sortedSkips,
    notes: { problemsSeen: report.problemsSeen, warnings: report.warnings },
  });
  return { manifest, report };
}
