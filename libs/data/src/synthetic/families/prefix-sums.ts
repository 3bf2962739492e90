/** Range sums: re-summing every range vs prefix sums. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames, randInts } from '../text.js';

export const prefixSums: Family = {
  name: 'resumming-vs-prefix-sums',
  idea: 'answering range-sum queries by summing the range each time vs one prefix-sum array',
  make(rng) {
    const v = pickNames(rng, {
      arr: ['a', 'arr', 'h', 'heights', 'cost'],
      pre: ['pre', 'prefix', 'ps', 'acc'],
      res: ['res', 'out', 'answers'],
      l: ['l', 'lo', 'left'],
      r: ['r', 'hi', 'right'],
    });
    const zeroBased = rng.bool(0.3);
    const make = (n: number, q: number) => {
      const a = randInts(rng, n, 1, 1000000);
      const qs: [number, number][] = [];
      const out: number[] = [];
      for (let i = 0; i < q; i++) {
        let l = rng.int(1, n);
        let r = rng.int(1, n);
        if (l > r) [l, r] = [r, l];
        qs.push(zeroBased ? [l - 1, r - 1] : [l, r]);
        let s = 0;
        for (let k = l - 1; k < r; k++) s += a[k];
        out.push(s);
      }
      return { input: lines([n, q], a, ...qs), output: lines(...out) };
    };
    const off = zeroBased ? '' : ' - 1';
    const head = `import sys\ndata = sys.stdin.buffer.read().split()\nn, q = int(data[0]), int(data[1])\n${v.arr} = list(map(int, data[2:2 + n]))\n${v.res} = []\npos = 2 + n\nfor _ in range(q):\n    ${v.l}, ${v.r} = int(data[pos])${off}, int(data[pos + 1])${off}\n    pos += 2\n`;
    const tail = `print('\\n'.join(map(str, ${v.res})))\n`;
    const fast = `import sys\ndata = sys.stdin.buffer.read().split()\nn, q = int(data[0]), int(data[1])\n${v.arr} = list(map(int, data[2:2 + n]))\n${v.pre} = [0] * (n + 1)\nfor i in range(n):\n    ${v.pre}[i + 1] = ${v.pre}[i] + ${v.arr}[i]\n${v.res} = []\npos = 2 + n\nfor _ in range(q):\n    ${v.l}, ${v.r} = int(data[pos])${off}, int(data[pos + 1])${off}\n    pos += 2\n    ${v.res}.append(${v.pre}[${v.r} + 1] - ${v.pre}[${v.l}])\n${tail}`;
    const slowSlice = `${head}    ${v.res}.append(sum(${v.arr}[${v.l}:${v.r} + 1]))\n${tail}`;
    const slowLoop = `${head}    s = 0\n    for i in range(${v.l}, ${v.r} + 1):\n        s += ${v.arr}[i]\n    ${v.res}.append(s)\n${tail}`;
    return {
      title: rng.pick(['Segment totals', 'Range sums', 'Fence sections', 'Daily revenue']),
      difficulty: rng.pick(['900', '1000', '1100']),
      body: `Given an array of n numbers, answer q questions: what is the sum of the elements from position l to position r inclusive?`,
      inputSpec: `The first line contains n and q. The second line contains n integers (1 <= a_i <= 10^6). Each of the next q lines contains l and r (${zeroBased ? '0 <= l <= r < n, positions counted from 0' : '1 <= l <= r <= n'}).`,
      outputSpec: 'For each question print the sum on its own line.',
      note: 'Sums can exceed 32-bit integers.',
      samples: [make(5, 3), make(4, 2)],
      medium: make(200, 200),
      large: make(jitter(rng, 3000), jitter(rng, 2000)),
      fast: { variant: 'prefix-sums', code: fast },
      slow: [
        { variant: 'slice-sum', code: slowSlice },
        { variant: 'loop-sum', code: slowLoop },
      ],
    };
  },
};
