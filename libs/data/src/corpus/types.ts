/**
 * The compositional corpus: a problem is one *context* (story, statement, input/output format,
 * the structure and style of the code around the computation) with one or two *idioms* in it
 * (a slow -> fast rewrite that real contest solutions are made of). Idioms know nothing of the
 * story or the I/O layout; contexts know nothing of the computation.
 */
import type { Rng } from '../random.js';

/** What an idiom reads: an int, an int array, (x, y) pairs, one string token, or a list of words. */
export type PartKind = 'int' | 'ints' | 'pairs' | 'str' | 'words';

/** The fixed role names idioms use for their inputs; contexts name them in Python. */
export type Role = 'a' | 'b' | 'qs' | 'ps' | 'k' | 't' | 's' | 'ws';

export interface Part {
  role: Role;
  kind: PartKind;
  /** How the statement describes it, given the context's theme. */
  desc: (th: Theme) => string;
}

export type Value = number | number[] | [number, number][] | string | string[];
export type Values = Partial<Record<Role, Value>>;

/** What a block computes: one value, a list of values, or text already formatted with newlines. */
export type ResultKind = 'scalar' | 'list' | 'text';
export type Result = number | string | (number | string)[];

/** Python identifiers for one block: every role, the length of every sequence role, the result. */
export type Names = Record<Role | `n_${Role}` | 'res', string>;

/** Style choices of the context that an idiom's code may follow. */
export interface CodeStyle {
  /** Comprehensions where the idiom has a choice, else explicit loops. */
  comp: boolean;
}

export interface CoreCode {
  variant: string;
  /** Python lines (no indentation) that compute `names.res` from the inputs. */
  code: (v: Names, c: CodeStyle) => string;
  /** Imports the code needs (`import heapq`, `from collections import deque`). */
  imports?: string[];
}

export type ReadStyle = 'input' | 'readline' | 'tokens' | 'iter';
export type Layout = 'lines' | 'header' | 'inline' | 'column';
export type WriteStyle = 'join' | 'star' | 'write' | 'loop';
export type Size = 'sample' | 'medium' | 'large';

export interface Idiom {
  name: string;
  /** Which slow -> fast rewrite it is. */
  idea: string;
  group: 'io' | 'data-structure' | 'algorithm' | 'interpreter';
  title: string;
  parts: Part[];
  result: ResultKind;
  /** The statement's task sentence(s). */
  task: (th: Theme) => string;
  /** The statement's output sentence for one block (the context adds the layout). */
  output: (th: Theme) => string;
  /** Random inputs of a size (large: the slow code is measurably slower). */
  gen: (rng: Rng, size: Size) => Values;
  /** The expected result, computed in TypeScript (independently of the Python). */
  solve: (x: Values) => Result;
  fast: CoreCode;
  slow: CoreCode[];
  /** I/O idioms: the slow and fast solutions read or write in a different way than the context. */
  io?: { read?: { slow: ReadStyle; fast: ReadStyle }; write?: { slow: WriteStyle; fast: WriteStyle }; layout?: Layout };
  note?: string;
  difficulty?: number;
}

export interface Theme {
  who: string;
  /** The things the numbers belong to, plural (`parcels`), and what the numbers are (`weights`). */
  items: string;
  value: string;
  /** What the queries and pairs are called (`requests`). */
  query: string;
}

export type Structure = 'top' | 'main' | 'solve' | 'solve-main';

export interface Context {
  name: string;
  title: string;
  /** The story before the task. */
  story: (th: Theme) => string;
  themes: Theme[];
  layout: Layout;
  read: ReadStyle;
  structure: Structure;
  /** How a list result is printed: one value per line or one line separated by spaces. */
  listFormat: 'lines' | 'row';
  write: Exclude<WriteStyle, 'loop'>;
  comp: boolean;
  /** Several independent test cases in one input (first line: their count). */
  cases: boolean;
  /** Python names per role (a block's second copy gets a suffix). */
  names: Record<Role | 'res', string[]>;
}
