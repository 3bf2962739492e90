/** Reading input: input() once per line vs reading stdin once. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames, randInts } from '../text.js';

export const inputReading: Family = {
  name: 'per-line-input-vs-bulk-read',
  idea: 'calling input() for each of many lines vs reading all of stdin once and splitting',
  make(rng) {
    const v = pickNames(rng, {
      n: ['n', 'cnt', 'lines_n', 'm'],
      rows: ['rows', 'table', 'records', 'pairs'],
      s: ['s', 'total', 'best', 'acc'],
      x: ['x', 'v', 'val', 'w'],
      y: ['y', 'c', 'cost', 'u'],
    });
    const mode = rng.pick(['sum', 'max-product', 'count-greater'] as const);
    const limit = rng.int(100, 900);
    const make = (n: number) => {
      const xs = randInts(rng, n, 1, 1000);
      const ys = randInts(rng, n, 1, 1000);
      let ans = 0;
      if (mode === 'sum') ans = xs.reduce((a, x, i) => a + x * ys[i], 0);
      else if (mode === 'max-product') ans = Math.max(...xs.map((x, i) => x * ys[i]));
      else ans = xs.filter((x, i) => x + ys[i] > limit).length;
      return { input: lines(n, ...xs.map((x, i) => [x, ys[i]])), output: lines(ans) };
    };
    const init = mode === 'max-product' ? '0' : '0';
    const step =
      mode === 'sum'
        ? `${v.s} += ${v.x} * ${v.y}`
        : mode === 'max-product'
          ? `${v.s} = max(${v.s}, ${v.x} * ${v.y})`
          : `${v.s} += ${v.x} + ${v.y} > ${limit}`;
    const slowInput = `${v.n} = int(input())\n${v.s} = ${init}\nfor _ in range(${v.n}):\n    ${v.x}, ${v.y} = map(int, input().split())\n    ${step}\nprint(${v.s})\n`;
    const slowList = `${v.n} = int(input())\n${v.rows} = []\nfor _ in range(${v.n}):\n    ${v.rows}.append([int(t) for t in input().split()])\n${v.s} = ${init}\nfor ${v.x}, ${v.y} in ${v.rows}:\n    ${step}\nprint(${v.s})\n`;
    const slowStrip = `${v.n} = int(input().strip())\n${v.s} = ${init}\nfor _ in range(${v.n}):\n    line = input().strip().split(' ')\n    ${v.x} = int(line[0])\n    ${v.y} = int(line[1])\n    ${step}\nprint(${v.s})\n`;
    const agg =
      mode === 'sum'
        ? `sum(map(mul, xs, ys))`
        : mode === 'max-product'
          ? `max(map(mul, xs, ys))`
          : `sum(1 for ${v.x}, ${v.y} in zip(xs, ys) if ${v.x} + ${v.y} > ${limit})`;
    const fast = `import sys\n${mode === 'count-greater' ? '' : 'from operator import mul\n'}data = sys.stdin.buffer.read().split()\n${v.n} = int(data[0])\nxs = map(int, data[1:2 * ${v.n} + 1:2])\nys = map(int, data[2:2 * ${v.n} + 2:2])\nprint(${agg})\n`;
    const what =
      mode === 'sum'
        ? 'the sum of x_i * y_i'
        : mode === 'max-product'
          ? 'the largest x_i * y_i'
          : `how many rows have x_i + y_i > ${limit}`;
    return {
      title: rng.pick(['Many rows', 'Ledger', 'Long receipt', 'Sensor log']),
      difficulty: rng.pick(['800', '900', '1000']),
      body: `A log has n rows, each with two numbers x_i and y_i. Compute ${what}.`,
      inputSpec:
        'The first line contains n (1 <= n <= 10^6). Each of the next n lines contains two integers x_i, y_i (1 <= x_i, y_i <= 1000).',
      outputSpec: 'Print one integer.',
      note: 'The input is large: read it efficiently.',
      samples: [make(3), make(4)],
      medium: make(500),
      large: make(jitter(rng, 40000)),
      fast: { variant: 'bulk-read', code: fast },
      slow: [
        { variant: 'input-per-line', code: slowInput },
        { variant: 'input-then-list', code: slowList },
        { variant: 'input-strip-split', code: slowStrip },
      ],
    };
  },
};
