/** Maximum subarray sum: all segments (quadratic) vs Kadane's scan. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames, randInts } from '../text.js';

export const maxSubarray: Family = {
  name: 'all-segments-vs-kadane',
  idea: 'maximum segment sum over all O(n^2) segments vs one pass keeping the best suffix',
  make(rng) {
    const v = pickNames(rng, {
      arr: ['a', 'profit', 'delta', 'gains', 'arr'],
      best: ['best', 'ans', 'res', 'top'],
      cur: ['cur', 'run', 'here', 'tail'],
      pre: ['pre', 'prefix', 'ps'],
    });
    const allowEmpty = rng.bool(0.3);
    const make = (n: number) => {
      const a = randInts(rng, n, -1000, 1000);
      let best = allowEmpty ? 0 : -Infinity;
      let cur = 0;
      for (const x of a) {
        cur = Math.max(x, cur + x);
        best = Math.max(best, cur);
      }
      return { input: lines(n, a), output: lines(best) };
    };
    const head = `n = int(input())\n${v.arr} = list(map(int, input().split()))\n`;
    const init = allowEmpty ? '0' : `${v.arr}[0]`;
    const fast = `${head}${v.best} = ${init}\n${v.cur} = 0\nfor x in ${v.arr}:\n    ${v.cur} = max(x, ${v.cur} + x)\n    ${v.best} = max(${v.best}, ${v.cur})\nprint(${v.best})\n`;
    const slowPairs = `${head}${v.best} = ${init}\nfor i in range(n):\n    ${v.cur} = 0\n    for j in range(i, n):\n        ${v.cur} += ${v.arr}[j]\n        if ${v.cur} > ${v.best}:\n            ${v.best} = ${v.cur}\nprint(${v.best})\n`;
    const slowPrefix = `${head}${v.pre} = [0]\nfor x in ${v.arr}:\n    ${v.pre}.append(${v.pre}[-1] + x)\n${v.best} = ${init}\nfor i in range(n):\n    for j in range(i + 1, n + 1):\n        ${v.best} = max(${v.best}, ${v.pre}[j] - ${v.pre}[i])\nprint(${v.best})\n`;
    const slowMax = `${head}${v.best} = ${init}\nfor i in range(n):\n    ${v.cur} = 0\n    sums = []\n    for x in ${v.arr}[i:]:\n        ${v.cur} += x\n        sums.append(${v.cur})\n    ${v.best} = max(${v.best}, max(sums))\nprint(${v.best})\n`;
    return {
      title: rng.pick(['Best period', 'Maximum gain', 'Lucky streak', 'Best segment']),
      difficulty: rng.pick(['1100', '1200', '1300']),
      body: `Given n integers (possibly negative), find the largest possible sum of a contiguous segment${allowEmpty ? '; the empty segment (sum 0) is allowed' : ' of at least one element'}.`,
      inputSpec: 'The first line contains n. The second line contains n integers between -1000 and 1000.',
      outputSpec: 'Print the maximum sum.',
      note: allowEmpty ? 'If all numbers are negative the answer is 0.' : 'The segment must not be empty.',
      samples: [make(6), make(5)],
      medium: make(150),
      large: make(jitter(rng, 1100)),
      fast: { variant: 'kadane', code: fast },
      slow: [
        { variant: 'all-segments-running-sum', code: slowPairs },
        { variant: 'prefix-pairs', code: slowPrefix },
        { variant: 'suffix-lists', code: slowMax },
      ],
    };
  },
};
