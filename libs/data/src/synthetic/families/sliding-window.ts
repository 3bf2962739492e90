/** Longest/shortest window with a sum bound: all starts (quadratic) vs two pointers. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames, randInts } from '../text.js';

export const slidingWindow: Family = {
  name: 'all-windows-vs-two-pointers',
  idea: 'trying every start of a window (quadratic) vs moving two pointers (linear)',
  make(rng) {
    const v = pickNames(rng, {
      arr: ['a', 'arr', 'w', 'pages', 'load'],
      best: ['best', 'ans', 'res'],
      s: ['s', 'cur', 'window'],
      lo: ['lo', 'l', 'left', 'start'],
    });
    const longest = rng.bool(0.5);
    const make = (n: number, span: number) => {
      const a = randInts(rng, n, 1, 100);
      const S = rng.int(span * 30, span * 70);
      let best = longest ? 0 : n + 1;
      let lo = 0;
      let s = 0;
      for (let hi = 0; hi < n; hi++) {
        s += a[hi];
        if (longest) {
          while (s > S) s -= a[lo++];
          best = Math.max(best, hi - lo + 1);
        } else {
          while (s >= S) {
            best = Math.min(best, hi - lo + 1);
            s -= a[lo++];
          }
        }
      }
      const ans = !longest && best === n + 1 ? -1 : best;
      return { input: lines([n, S], a), output: lines(ans) };
    };
    const head = `n, S = map(int, input().split())\n${v.arr} = list(map(int, input().split()))\n`;
    let fast: string, slowBreak: string, slowFull: string;
    if (longest) {
      fast = `${head}${v.best} = 0\n${v.s} = 0\n${v.lo} = 0\nfor hi in range(n):\n    ${v.s} += ${v.arr}[hi]\n    while ${v.s} > S:\n        ${v.s} -= ${v.arr}[${v.lo}]\n        ${v.lo} += 1\n    ${v.best} = max(${v.best}, hi - ${v.lo} + 1)\nprint(${v.best})\n`;
      slowBreak = `${head}${v.best} = 0\nfor i in range(n):\n    ${v.s} = 0\n    for j in range(i, n):\n        ${v.s} += ${v.arr}[j]\n        if ${v.s} > S:\n            break\n        ${v.best} = max(${v.best}, j - i + 1)\nprint(${v.best})\n`;
      slowFull = `${head}${v.best} = 0\nfor i in range(n):\n    for j in range(i + ${v.best}, n):\n        if sum(${v.arr}[i:j + 1]) > S:\n            break\n        ${v.best} = j - i + 1\nprint(${v.best})\n`;
    } else {
      fast = `${head}${v.best} = n + 1\n${v.s} = 0\n${v.lo} = 0\nfor hi in range(n):\n    ${v.s} += ${v.arr}[hi]\n    while ${v.s} >= S:\n        ${v.best} = min(${v.best}, hi - ${v.lo} + 1)\n        ${v.s} -= ${v.arr}[${v.lo}]\n        ${v.lo} += 1\nprint(${v.best} if ${v.best} <= n else -1)\n`;
      slowBreak = `${head}${v.best} = n + 1\nfor i in range(n):\n    ${v.s} = 0\n    for j in range(i, n):\n        ${v.s} += ${v.arr}[j]\n        if ${v.s} >= S:\n            ${v.best} = min(${v.best}, j - i + 1)\n            break\nprint(${v.best} if ${v.best} <= n else -1)\n`;
      slowFull = `${head}${v.best} = -1\nfor length in range(1, n + 1):\n    if any(sum(${v.arr}[i:i + length]) >= S for i in range(n - length + 1)):\n        ${v.best} = length\n        break\nprint(${v.best})\n`;
    }
    return {
      title: rng.pick(
        longest
          ? ['Longest calm stretch', 'Fit the budget', 'Reading marathon']
          : ['Shortest busy stretch', 'Reach the goal', 'Quick collection'],
      ),
      difficulty: rng.pick(['1200', '1300', '1400']),
      body: longest
        ? 'Given n positive integers and a bound S, find the maximum length of a contiguous segment whose sum does not exceed S.'
        : 'Given n positive integers and a target S, find the minimum length of a contiguous segment whose sum is at least S, or -1 if there is none.',
      inputSpec: 'The first line contains n and S. The second line contains n integers (1 <= a_i <= 100).',
      outputSpec: 'Print one integer.',
      note: longest
        ? 'A segment of length 0 is allowed (answer 0) if every element exceeds S.'
        : 'Segments are contiguous.',
      samples: [make(6, 2), make(5, 2)],
      medium: make(200, 20),
      large: longest ? make(jitter(rng, 3000), 300) : make(jitter(rng, 2000), 120),
      fast: { variant: 'two-pointers', code: fast },
      slow: [
        { variant: 'all-starts-break', code: slowBreak },
        { variant: longest ? 'resum-slices' : 'every-length-resum', code: slowFull },
      ],
    };
  },
};
