/** Interpreter-level idioms: the same algorithm, with the work moved into builtins or C code. */
import type { Idiom } from '../types.js';
import { int, ints, listOf, pairs, py, randInts, ranges, randWord, str, sz, valuesOf, words } from './util.js';

const A = (x: { a?: unknown }) => x.a as number[];

export const INTERPRETER_IDIOMS: Idiom[] = [
  {
    name: 'index-loop-vs-builtin-sum',
    idea: 'adding a range element by element in a Python loop vs sum() of a slice',
    group: 'interpreter',
    title: 'Segment totals',
    parts: [ints('a', valuesOf), pairs('ps', (th) => `the ${th.query}, each a range l r (1-based, inclusive)`)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (l, r), add up the ${th.value}s of the items l..r.`,
    output: () => 'Print the totals',
    gen: (rng, size) => {
      const n = sz(rng, size, 200, 6000);
      return { a: randInts(rng, n, 1, 1000), ps: ranges(rng, n, sz(rng, size, 50, 3500)) };
    },
    solve: (x) =>
      (x.ps as [number, number][]).map(([l, r]) =>
        A(x)
          .slice(l - 1, r)
          .reduce((s, v) => s + v, 0),
      ),
    fast: {
      variant: 'builtin-sum',
      code: (v, c) => listOf(c.comp, v.res, `sum(${v.a}[l - 1:r])`, `for l, r in ${v.ps}`),
    },
    slow: [
      {
        variant: 'index-loop',
        code: (v) =>
          py(
            `${v.res} = []`,
            `for l, r in ${v.ps}:`,
            `    acc = 0`,
            `    for i in range(l - 1, r):`,
            `        acc += ${v.a}[i]`,
            `    ${v.res}.append(acc)`,
          ),
      },
    ],
  },
  {
    name: 'compare-loop-vs-builtin-max',
    idea: 'tracking a maximum with if-statements in a Python loop vs max() of a slice',
    group: 'interpreter',
    title: 'Segment peaks',
    parts: [ints('a', valuesOf), pairs('ps', (th) => `the ${th.query}, each a range l r (1-based, inclusive)`)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (l, r), find the largest ${th.value} among the items l..r.`,
    output: () => 'Print the maxima',
    gen: (rng, size) => {
      const n = sz(rng, size, 200, 6000);
      return { a: randInts(rng, n, 1, 1000000), ps: ranges(rng, n, sz(rng, size, 50, 3500)) };
    },
    solve: (x) => (x.ps as [number, number][]).map(([l, r]) => Math.max(...A(x).slice(l - 1, r))),
    fast: {
      variant: 'builtin-max',
      code: (v, c) => listOf(c.comp, v.res, `max(${v.a}[l - 1:r])`, `for l, r in ${v.ps}`),
    },
    slow: [
      {
        variant: 'compare-loop',
        code: (v) =>
          py(
            `${v.res} = []`,
            `for l, r in ${v.ps}:`,
            `    top = ${v.a}[l - 1]`,
            `    for i in range(l, r):`,
            `        if ${v.a}[i] > top:`,
            `            top = ${v.a}[i]`,
            `    ${v.res}.append(top)`,
          ),
      },
    ],
  },
  {
    name: 'insert-front-vs-reversed',
    idea: 'building a reversed list with insert(0, x) (a shift per element) vs slicing [::-1]',
    group: 'interpreter',
    title: 'Backwards',
    parts: [ints('a', valuesOf)],
    result: 'list',
    task: (th) => `List the ${th.value}s of the ${th.items} from the last one to the first.`,
    output: () => 'Print the values in reverse order',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 200, 40000), 1, 1000000) }),
    solve: (x) => A(x).slice().reverse(),
    fast: { variant: 'slice-reverse', code: (v) => `${v.res} = ${v.a}[::-1]` },
    slow: [
      { variant: 'insert-front', code: (v) => py(`${v.res} = []`, `for x in ${v.a}:`, `    ${v.res}.insert(0, x)`) },
    ],
  },
  {
    name: 'deepcopy-per-step-vs-in-place',
    idea: 'copy.deepcopy of the state (and a full re-sum) at every update vs updating in place with a running total',
    group: 'interpreter',
    title: 'Edits',
    parts: [ints('a', valuesOf), pairs('ps', (th) => `the ${th.query}, each an update i v: item i gets ${th.value} v`)],
    result: 'list',
    task: (th) => `Apply the updates in order; after each one, report the total ${th.value} of all ${th.items}.`,
    output: () => 'Print the totals after each update',
    gen: (rng, size) => {
      const n = sz(rng, size, 100, 1500);
      return {
        a: randInts(rng, n, 1, 1000),
        ps: Array.from({ length: sz(rng, size, 50, 700) }, () => [rng.int(1, n), rng.int(1, 1000)] as [number, number]),
      };
    },
    solve: (x) => {
      const a = A(x).slice();
      let s = a.reduce((p, v) => p + v, 0);
      return (x.ps as [number, number][]).map(([i, v]) => {
        s += v - a[i - 1];
        a[i - 1] = v;
        return s;
      });
    },
    fast: {
      variant: 'in-place',
      code: (v) =>
        py(
          `cur = list(${v.a})`,
          `acc = sum(cur)`,
          `${v.res} = []`,
          `for i, x in ${v.ps}:`,
          `    acc += x - cur[i - 1]`,
          `    cur[i - 1] = x`,
          `    ${v.res}.append(acc)`,
        ),
    },
    slow: [
      {
        variant: 'deepcopy',
        imports: ['import copy'],
        code: (v) =>
          py(
            `cur = list(${v.a})`,
            `${v.res} = []`,
            `for i, x in ${v.ps}:`,
            `    cur = copy.deepcopy(cur)`,
            `    cur[i - 1] = x`,
            `    ${v.res}.append(sum(cur))`,
          ),
      },
    ],
  },
  {
    name: 'char-loop-vs-reversed-slice',
    idea: 'comparing characters pairwise in a Python loop vs comparing with the reversed slice',
    group: 'interpreter',
    title: 'Palindromes',
    parts: [words('ws', (th) => `the code words of the ${th.items}`)],
    result: 'scalar',
    task: (th) => `How many of the ${th.items} have a code word that reads the same backwards?`,
    output: () => 'Print the count',
    gen: (rng, size) => ({
      ws: Array.from({ length: sz(rng, size, 100, 25000) }, () => {
        const half = randWord(rng, size === 'large' ? rng.int(30, 60) : rng.int(1, 5), 'ab');
        const w = half + [...half].reverse().join('');
        if (rng.bool(0.5)) return w;
        const i = Math.max(0, half.length - 1 - rng.int(0, 1));
        return w.slice(0, i) + (w[i] === 'a' ? 'b' : 'a') + w.slice(i + 1);
      }),
    }),
    solve: (x) => (x.ws as string[]).filter((w) => w === [...w].reverse().join('')).length,
    fast: { variant: 'reversed-slice', code: (v) => `${v.res} = sum(1 for x in ${v.ws} if x == x[::-1])` },
    slow: [
      {
        variant: 'char-loop',
        code: (v) =>
          py(
            `${v.res} = 0`,
            `for x in ${v.ws}:`,
            `    ok = True`,
            `    for i in range(len(x) // 2):`,
            `        if x[i] != x[len(x) - 1 - i]:`,
            `            ok = False`,
            `    if ok:`,
            `        ${v.res} += 1`,
          ),
      },
    ],
  },
  {
    name: 'range-list-membership-vs-comparison',
    idea: 'testing x in list(range(lo, hi + 1)) (a scan each) vs a chained comparison lo <= x <= hi',
    group: 'interpreter',
    title: 'In the band',
    parts: [int('k', () => 'the lower bound'), int('t', () => 'the upper bound'), ints('a', valuesOf)],
    result: 'scalar',
    task: (th) => `Count the ${th.items} whose ${th.value} lies between the lower and the upper bound, inclusive.`,
    output: () => 'Print the count',
    gen: (rng, size) => {
      const lo = rng.int(1, 1000);
      return {
        k: lo,
        t: lo + (size === 'large' ? rng.int(2500, 3500) : rng.int(0, 50)),
        a: randInts(rng, sz(rng, size, 200, 6000), 1, 6000),
      };
    },
    solve: (x) => A(x).filter((v) => v >= (x.k as number) && v <= (x.t as number)).length,
    fast: { variant: 'chained-comparison', code: (v) => `${v.res} = sum(1 for x in ${v.a} if ${v.k} <= x <= ${v.t})` },
    slow: [
      {
        variant: 'range-list-in',
        code: (v) => py(`band = list(range(${v.k}, ${v.t} + 1))`, `${v.res} = sum(1 for x in ${v.a} if x in band)`),
      },
    ],
  },
  {
    name: 'slice-compare-vs-find',
    idea: 'comparing a slice at every position in a Python loop vs str.find jumping between matches',
    group: 'interpreter',
    title: 'Pattern hits',
    parts: [str('s', (th) => `the log of the ${th.items}`), words('ws', (th) => `the patterns in the ${th.query}`)],
    result: 'list',
    task: () => 'For each pattern, count the positions where it occurs in the log (occurrences may overlap).',
    output: () => 'Print the counts',
    gen: (rng, size) => ({
      s: randWord(rng, sz(rng, size, 300, 100000, 15), 'abc'),
      ws: Array.from({ length: sz(rng, size, 5, 40, 3) }, () => randWord(rng, rng.int(2, 4), 'abc')),
    }),
    solve: (x) =>
      (x.ws as string[]).map((p) => {
        const s = x.s as string;
        let c = 0;
        for (let i = s.indexOf(p); i >= 0; i = s.indexOf(p, i + 1)) c++;
        return c;
      }),
    fast: {
      variant: 'find-loop',
      code: (v) =>
        py(
          `${v.res} = []`,
          `for x in ${v.ws}:`,
          `    cnt = 0`,
          `    i = ${v.s}.find(x)`,
          `    while i >= 0:`,
          `        cnt += 1`,
          `        i = ${v.s}.find(x, i + 1)`,
          `    ${v.res}.append(cnt)`,
        ),
    },
    slow: [
      {
        variant: 'slice-compare',
        code: (v, c) =>
          listOf(
            c.comp,
            v.res,
            `sum(1 for i in range(len(${v.s}) - len(x) + 1) if ${v.s}[i:i + len(x)] == x)`,
            `for x in ${v.ws}`,
          ),
      },
    ],
  },
];
