/**
 * Reading config files: YAML with positions, then `extends:` (one path or a list, relative to the
 * file that names them), flattened into layers in merge order. The resolved value of a file is
 * merge(resolved(extends[0]), ..., resolved(extends[n-1]), the file itself); cycles are errors.
 */
import * as nodePath from 'node:path';
import { BoundedFileError, MAX_CONFIG_FILE_BYTES, readBoundedText } from './bounded-file.js';
import { describeValue } from './describe.js';
import { isPlainObject } from './merge.js';
import type { ConfigProblem, SourceLocation } from './problems.js';
import { parseYamlSource, type LocatedValue } from './yaml-source.js';

export interface LoadOptions {
  /** Directory that displayed file names are relative to (default: process.cwd()). */
  cwd?: string;
}

export function displayName(absPath: string, cwd = process.cwd()): string {
  const rel = nodePath.relative(cwd, absPath);
  return rel && !rel.startsWith('..') && !nodePath.isAbsolute(rel) ? rel.split(nodePath.sep).join('/') : absPath;
}

export interface LayerChain {
  layers: LocatedValue[];
  /** Absolute paths of every file read, in merge order, without repeats. */
  files: string[];
  problems: ConfigProblem[];
}

/** Reads a YAML file with positions; a missing file or unreadable text is a problem at `via` (or the file itself). */
export function readLocatedYaml(
  absPath: string,
  opts: LoadOptions,
  via?: SourceLocation,
): { source?: LocatedValue; problems: ConfigProblem[] } {
  const file = displayName(absPath, opts.cwd);
  let text: string;
  try {
    // Only a regular file under the cap: `extends: /dev/zero` or a FIFO must not be read without end.
    text = readBoundedText(absPath, MAX_CONFIG_FILE_BYTES, 'a config file');
  } catch (err) {
    if (!(err instanceof BoundedFileError)) throw err;
    const at = err.line !== undefined ? { file, line: err.line, column: 1 } : (via ?? { file, line: 1, column: 1 });
    return { problems: [{ ...at, kind: 'file', path: '', message: `cannot read ${file}: ${err.reason}` }] };
  }
  const parsed = parseYamlSource(text, file);
  return { source: parsed, problems: parsed.problems };
}

function withoutKey(source: LocatedValue, key: string): LocatedValue {
  const value = { ...(source.value as Record<string, unknown>) };
  delete value[key];
  const prefix = `/${key}`;
  const keep = (m: Map<string, SourceLocation>) =>
    new Map([...m].filter(([k]) => k !== prefix && !k.startsWith(prefix + '/')));
  return { file: source.file, value, keyLocs: keep(source.keyLocs), valueLocs: keep(source.valueLocs) };
}

/** The layers of `absPath` and of everything it extends, lowest priority first. */
export function loadLayerChain(
  absPath: string,
  opts: LoadOptions = {},
  stack: string[] = [],
  via?: SourceLocation,
): LayerChain {
  const out: LayerChain = { layers: [], files: [], problems: [] };
  const { source, problems } = readLocatedYaml(absPath, opts, via);
  out.problems.push(...problems);
  if (!source) return out;
  if (!isPlainObject(source.value)) {
    if (!problems.some((p) => p.kind === 'syntax')) {
      out.problems.push({
        ...(source.valueLocs.get('') ?? { file: source.file, line: 1, column: 1 }),
        kind: 'type',
        path: '',
        message: `found ${describeValue(source.value)} at the top level, expected a mapping of config sections`,
      });
    }
    out.files.push(absPath);
    return out;
  }
  const ext = source.value.extends;
  const own = ext === undefined ? source : withoutKey(source, 'extends');
  if (ext !== undefined) {
    const entries: { path: unknown; loc: SourceLocation }[] = Array.isArray(ext)
      ? ext.map((p, i) => ({
          path: p,
          loc: source.valueLocs.get(`/extends/${i}`) ?? source.valueLocs.get('/extends')!,
        }))
      : [{ path: ext, loc: source.valueLocs.get('/extends')! }];
    for (const { path: p, loc } of entries) {
      if (typeof p !== 'string' || p === '') {
        out.problems.push({
          ...loc,
          kind: 'extends',
          path: 'extends',
          message: `found ${describeValue(p)}, expected a file path or a list of file paths`,
        });
        continue;
      }
      const target = nodePath.resolve(nodePath.dirname(absPath), p);
      const chain = [...stack, absPath];
      if (chain.includes(target)) {
        const cycle = [...chain.slice(chain.indexOf(target)), target].map((f) => displayName(f, opts.cwd)).join(' -> ');
        out.problems.push({ ...loc, kind: 'extends', path: 'extends', message: `cycle: ${cycle}` });
        continue;
      }
      const sub = loadLayerChain(target, opts, chain, loc);
      out.layers.push(...sub.layers);
      out.problems.push(...sub.problems);
      for (const f of sub.files) if (!out.files.includes(f)) out.files.push(f);
    }
  }
  out.layers.push(own);
  if (!out.files.includes(absPath)) out.files.push(absPath);
  return out;
}
