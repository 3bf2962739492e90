/**
 * Command-line overrides, as Hydra writes them: `key.path=value` sets a key the schema knows,
 * `+key.path=value` adds an optional key that no file (or default) set, `~key.path` deletes a
 * key (its default, if any, comes back). Values are YAML scalars or flow collections
 * (`5e-4`, `true`, `[1, 2]`, `{a: 1}`), parsed as a config file parses them, so a value given on
 * the command line hashes exactly like the same value written in YAML.
 *
 * Overrides apply after everything else (base, variant, the sweep's `overrides:`, grid point,
 * seed): last wins. Each is located as `argument N`, so a problem names the argument.
 */
import { parseDocument } from 'yaml';
import { didYouMean } from './did-you-mean.js';
import { childPointer, getAt } from './json-path.js';
import { isPlainObject, type MergedValue } from './merge.js';
import type { ConfigProblem, SourceLocation } from './problems.js';

export type OverrideOp = 'set' | 'add' | 'delete';

export interface ConfigOverride {
  op: OverrideOp;
  /** Dotted key path, as given (`training.optimizer.lr`). */
  key: string;
  /** The parsed value (absent for `delete`). */
  value?: unknown;
  /** The argument as typed: what MLflow records. */
  text: string;
  /** Where it was given, e.g. `argument 3` (line 0: printed without a line and column). */
  at: SourceLocation;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

/** Whether a command-line word is an override (`a.b=1`, `+a.b=1`, `~a.b`) rather than a file. */
export function isOverrideArg(arg: string): boolean {
  if (arg.startsWith('~')) return KEY.test(arg.slice(1).split('=')[0]);
  const eq = arg.indexOf('=');
  if (eq <= 0) return false;
  return KEY.test(arg.slice(arg.startsWith('+') ? 1 : 0, eq));
}

/** A location that prints as `argument N` (no line or column). */
export function argumentLocation(label: string): SourceLocation {
  return { file: label, line: 0, column: 0 };
}

/**
 * Parses a value the way a YAML file would: scalars and flow collections; empty = "". Throws the
 * first YAML error or warning (an unknown tag such as `!custom 3`), as a config file reports them.
 */
export function parseOverrideValue(text: string): unknown {
  if (text.trim() === '') return '';
  const doc = parseDocument(text, { logLevel: 'error' });
  const wrong = doc.errors[0] ?? doc.warnings[0];
  if (wrong) throw wrong;
  return doc.toJS() as unknown;
}

/**
 * Parses one override argument; throws an Error naming the argument when it is malformed.
 * `label` says where it came from (`argument 3`).
 */
export function parseOverride(arg: string, label: string): ConfigOverride {
  const at = argumentLocation(label);
  const fail = (why: string): never => {
    throw new Error(`${label}: ${JSON.stringify(arg)}: ${why}`);
  };
  if (arg.startsWith('~')) {
    const body = arg.slice(1);
    if (body.includes('=')) fail('~key deletes a key and takes no value (write ~key, without =value)');
    if (!KEY.test(body)) fail('expected ~key.path (letters, digits, _ and - separated by dots)');
    return { op: 'delete', key: body, text: arg, at };
  }
  const add = arg.startsWith('+');
  const body = add ? arg.slice(1) : arg;
  const eq = body.indexOf('=');
  if (eq <= 0) fail('expected key.path=value, +key.path=value or ~key.path');
  const key = body.slice(0, eq);
  if (!KEY.test(key)) fail(`found key ${JSON.stringify(key)}, expected a dotted path such as training.optimizer.lr`);
  let value: unknown;
  try {
    value = parseOverrideValue(body.slice(eq + 1));
  } catch (err) {
    fail(`the value is not a YAML scalar or flow collection (${(err as Error).message.split('\n')[0]})`);
  }
  return { op: add ? 'add' : 'set', key, value, text: arg, at };
}

/** Parses override arguments; `labels[i]` (default `argument i+1`) names each in messages. */
export function parseOverrides(args: readonly string[], labels?: readonly string[]): ConfigOverride[] {
  return args.map((a, i) => parseOverride(a, labels?.[i] ?? `argument ${i + 1}`));
}

const pointerOf = (key: string) => key.split('.').reduce((p, s) => childPointer(p, s), '');

function dropUnder(map: Map<string, SourceLocation>, pointer: string): void {
  for (const k of [...map.keys()]) if (k === pointer || k.startsWith(pointer + '/')) map.delete(k);
}

function setLocs(merged: MergedValue, pointer: string, value: unknown, at: SourceLocation): void {
  merged.keyLocs.set(pointer, at);
  merged.valueLocs.set(pointer, at);
  if (Array.isArray(value)) value.forEach((v, i) => setLocs(merged, childPointer(pointer, i), v, at));
  else if (isPlainObject(value))
    for (const [k, v] of Object.entries(value)) setLocs(merged, childPointer(pointer, k), v, at);
}

/**
 * Applies overrides in order to a merged config (in place). `defaults` is the same config with
 * the schema's defaults filled in: it tells `+` whether a key is already set. Unknown keys are
 * left for the schema to report (located at the argument); problems only the overrides can
 * have (a path through a non-mapping, `+` on a set key, `~` on a missing key) are returned.
 */
export function applyOverrides(
  merged: MergedValue,
  overrides: readonly ConfigOverride[],
  defaults?: unknown,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const o of overrides) {
    const segs = o.key.split('.');
    const pointer = pointerOf(o.key);
    const problem = (message: string, kind: ConfigProblem['kind'] = 'constraint') =>
      problems.push({ ...o.at, kind, path: o.key, message });
    let parent: Record<string, unknown> = merged.value;
    let blocked: string | undefined;
    for (let i = 0; i < segs.length - 1; i++) {
      const next = parent[segs[i]];
      if (next === undefined) {
        if (o.op === 'delete') break;
        const child: Record<string, unknown> = {};
        parent[segs[i]] = child;
        parent = child;
      } else if (isPlainObject(next)) parent = next;
      else {
        blocked = segs.slice(0, i + 1).join('.');
        break;
      }
    }
    if (blocked !== undefined) {
      problem(
        `${blocked} is ${JSON.stringify(getAt(merged.value, pointerOf(blocked)))}, not a mapping: cannot set ${o.key}`,
        'type',
      );
      continue;
    }
    const last = segs[segs.length - 1];
    if (o.op === 'delete') {
      const here = getAt(merged.value, pointer);
      if (here === undefined) {
        const siblings = Object.keys(getAt(merged.value, pointerOf(segs.slice(0, -1).join('.'))) ?? {});
        const guess = didYouMean(last, siblings);
        problem(
          `~${o.key}: no file sets this key, nothing to delete${guess ? ` (did you mean ${segs.slice(0, -1).concat(guess).join('.')}?)` : ''}`,
          'unknown-key',
        );
        continue;
      }
      delete parent[last];
      dropUnder(merged.keyLocs, pointer);
      dropUnder(merged.valueLocs, pointer);
      continue;
    }
    if (o.op === 'add') {
      const existing = getAt(merged.value, pointer) ?? getAt(defaults, pointer);
      if (existing !== undefined) {
        problem(`+${o.key}: already set (to ${JSON.stringify(existing)}); change it with ${o.key}=<value>`);
        continue;
      }
    }
    parent[last] = o.value;
    dropUnder(merged.keyLocs, pointer);
    dropUnder(merged.valueLocs, pointer);
    setLocs(merged, pointer, o.value, o.at);
  }
  return problems;
}
