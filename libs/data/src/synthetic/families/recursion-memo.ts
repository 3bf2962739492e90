/** Counting compositions: naive recursion (exponential) vs dynamic programming. */
import type { Family } from '../family.js';
import { lines, PEOPLE, pickNames } from '../text.js';

export const recursionMemo: Family = {
  name: 'naive-recursion-vs-dp',
  idea: 'counting ways by plain recursion (exponential calls) vs a bottom-up table',
  make(rng) {
    const v = pickNames(rng, {
      fn: ['ways', 'count', 'go', 'f', 'solve'],
      n: ['n', 'h', 'steps', 'length'],
      dp: ['dp', 'table', 'memo', 'cnt'],
      i: ['i', 'k', 'pos'],
    });
    const steps = rng.pick([
      [1, 2],
      [1, 3],
      [1, 2, 3],
      [2, 3],
      [1, 4],
      [1, 2, 4],
    ]);
    const mod = rng.pick([1000000007, 998244353, 10007]);
    const ways = (n: number) => {
      const dp = [1];
      for (let i = 1; i <= n; i++) dp.push(steps.reduce((a, s) => (i >= s ? (a + dp[i - s]) % mod : a), 0));
      return dp[n];
    };
    // Calls the naive recursion makes for n (each call recurses into every step that fits).
    const calls = (n: number) => {
      const c = [1];
      for (let i = 1; i <= n; i++) c.push(1 + steps.reduce((a, s) => (i >= s ? a + c[i - s] : a), 0));
      return c[n];
    };
    let big = 1;
    const budget = rng.int(60000, 120000);
    while (calls(big + 1) <= budget) big++;
    const make = (ns: number[]) => ({ input: lines(ns.length, ...ns), output: lines(...ns.map(ways)) });
    const stepsPy = `(${steps.join(', ')}${steps.length === 1 ? ',' : ''})`;
    const head = `import sys\nMOD = ${mod}\nSTEPS = ${stepsPy}\n`;
    const read = `t = int(input())\nfor _ in range(t):\n    print(${v.fn}(int(input())) % MOD)\n`;
    const slowRec = `${head}def ${v.fn}(${v.n}):\n    if ${v.n} == 0:\n        return 1\n    total = 0\n    for s in STEPS:\n        if ${v.n} >= s:\n            total += ${v.fn}(${v.n} - s)\n    return total\n${read}`;
    const slowUp = `${head}def ${v.fn}(target, at=0):\n    if at == target:\n        return 1\n    return sum(${v.fn}(target, at + s) for s in STEPS if at + s <= target)\n${read}`;
    const fast = `${head}def ${v.fn}(${v.n}):\n    ${v.dp} = [1] + [0] * ${v.n}\n    for ${v.i} in range(1, ${v.n} + 1):\n        for s in STEPS:\n            if ${v.i} >= s:\n                ${v.dp}[${v.i}] = (${v.dp}[${v.i}] + ${v.dp}[${v.i} - s]) % MOD\n    return ${v.dp}[${v.n}]\n${read}`;
    const who = rng.pick(PEOPLE);
    const story = rng.pick([
      `${who} climbs a staircase of n steps; one move climbs one of these numbers of steps: ${steps.join(', ')}.`,
      `A strip of length n is tiled with tiles whose lengths are ${steps.join(', ')}, in order from left to right.`,
      `Write n as an ordered sum of parts, each part being one of ${steps.join(', ')}.`,
    ]);
    return {
      title: rng.pick(['Counting ways', `${who} and the stairs`, 'Tilings', 'Ordered sums']),
      difficulty: rng.pick(['1000', '1100', '1200']),
      body: `${story} In how many different ways can this be done? Answer t questions.`,
      inputSpec: `The first line contains t. Each of the next t lines contains n (0 <= n <= ${big}).`,
      outputSpec: `For each n print the number of ways modulo ${mod}.`,
      note: 'Two ways differ if the sequences of moves differ.',
      samples: [make([1, 3, 4]), make([5])],
      medium: make([Math.max(1, big - 6), Math.max(1, big - 8)]),
      large: make([big]),
      fast: { variant: 'bottom-up-dp', code: fast },
      slow: [
        { variant: 'naive-recursion', code: slowRec },
        { variant: 'naive-forward-recursion', code: slowUp },
      ],
    };
  },
};
