/** Pair counting: nested loops vs one pass with a hash map. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames, randInts } from '../text.js';

export const pairSum: Family = {
  name: 'pair-counting-vs-hashing',
  idea: 'counting pairs with a nested loop (quadratic) vs a Counter (linear)',
  make(rng) {
    const v = pickNames(rng, {
      arr: ['a', 'arr', 'nums', 'w', 'h'],
      n: ['n', 'cnt', 'size'],
      res: ['res', 'ans', 'pairs', 'total'],
      k: ['k', 'target', 'goal', 'd'],
      seen: ['seen', 'freq', 'counts', 'c'],
    });
    const diff = rng.bool(0.4);
    const maxV = rng.pick([20, 50, 100, 1000]);
    const make = (n: number) => {
      const a = randInts(rng, n, 1, maxV);
      const k = diff ? rng.int(0, Math.max(1, Math.floor(maxV / 4))) : rng.int(2, 2 * maxV);
      let count = 0;
      const cnt = new Map<number, number>();
      for (const x of a) {
        if (diff) count += (cnt.get(x - k) ?? 0) + (k === 0 ? 0 : (cnt.get(x + k) ?? 0));
        else count += cnt.get(k - x) ?? 0;
        cnt.set(x, (cnt.get(x) ?? 0) + 1);
      }
      return { input: lines([n, k], a), output: lines(count) };
    };
    const head = `${v.n}, ${v.k} = map(int, input().split())\n${v.arr} = list(map(int, input().split()))\n`;
    const cond = diff ? `abs(${v.arr}[i] - ${v.arr}[j]) == ${v.k}` : `${v.arr}[i] + ${v.arr}[j] == ${v.k}`;
    const slowNested = `${head}${v.res} = 0\nfor i in range(${v.n}):\n    for j in range(i + 1, ${v.n}):\n        if ${cond}:\n            ${v.res} += 1\nprint(${v.res})\n`;
    const slowSlice = diff
      ? `${head}${v.res} = 0\nfor i in range(${v.n}):\n    rest = ${v.arr}[i + 1:]\n    ${v.res} += rest.count(${v.arr}[i] + ${v.k})\n    if ${v.k}:\n        ${v.res} += rest.count(${v.arr}[i] - ${v.k})\nprint(${v.res})\n`
      : `${head}${v.res} = 0\nfor i in range(${v.n}):\n    ${v.res} += ${v.arr}[i + 1:].count(${v.k} - ${v.arr}[i])\nprint(${v.res})\n`;
    const slowEnum = `${head}${v.res} = sum(1 for i, x in enumerate(${v.arr}) for y in ${v.arr}[i + 1:] if ${diff ? `abs(x - y) == ${v.k}` : `x + y == ${v.k}`})\nprint(${v.res})\n`;
    const fast = diff
      ? `from collections import Counter\n${head}${v.seen} = Counter()\n${v.res} = 0\nfor x in ${v.arr}:\n    ${v.res} += ${v.seen}[x - ${v.k}]\n    if ${v.k}:\n        ${v.res} += ${v.seen}[x + ${v.k}]\n    ${v.seen}[x] += 1\nprint(${v.res})\n`
      : `from collections import Counter\n${head}${v.seen} = Counter()\n${v.res} = 0\nfor x in ${v.arr}:\n    ${v.res} += ${v.seen}[${v.k} - x]\n    ${v.seen}[x] += 1\nprint(${v.res})\n`;
    return {
      title: rng.pick(diff ? ['Pairs with a gap', 'Exact difference'] : ['Two that sum up', 'Pairs with a given sum']),
      difficulty: rng.pick(['1100', '1200', '1300']),
      body: diff
        ? `Given n integers and k, count the pairs of positions i < j with |a_i - a_j| = k.`
        : `Given n integers and a number k, count the pairs of positions i < j such that a_i + a_j = k.`,
      inputSpec: `The first line contains n and k. The second line contains n integers a_1..a_n (1 <= a_i <= ${maxV}).`,
      outputSpec: 'Print the number of such pairs.',
      note: 'Pairs are counted by positions, so equal values at different positions form different pairs.',
      samples: [make(6), make(5)],
      medium: make(150),
      large: make(jitter(rng, 1400)),
      fast: { variant: 'counter', code: fast },
      slow: [
        { variant: 'nested-loops', code: slowNested },
        { variant: 'slice-count', code: slowSlice },
        { variant: 'generator-pairs', code: slowEnum },
      ],
    };
  },
};
