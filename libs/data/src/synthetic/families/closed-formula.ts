/** Counting/summing over 1..N: a loop vs a closed formula. */
import type { Family } from '../family.js';
import { lines, pickNames } from '../text.js';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export const closedFormula: Family = {
  name: 'loop-vs-closed-formula',
  idea: 'iterating over 1..N vs inclusion-exclusion / arithmetic-series formulas',
  make(rng) {
    const v = pickNames(rng, {
      lim: ['n', 'N', 'limit', 'upto'],
      res: ['res', 'ans', 'total', 'cnt'],
      x: ['x', 'i', 'k'],
    });
    const mode = rng.pick(['count-or', 'sum-multiples', 'count-neither'] as const);
    const solve = (n: number, a: number, b: number): bigint => {
      const l = (a / gcd(a, b)) * b;
      const m = (k: number) => BigInt(Math.floor(n / k));
      if (mode === 'count-or') return m(a) + m(b) - m(l);
      if (mode === 'count-neither') return BigInt(n) - (m(a) + m(b) - m(l));
      const s = (k: number) => (BigInt(k) * m(k) * (m(k) + 1n)) / 2n;
      return s(a) + s(b) - s(l);
    };
    const make = (cases: number, maxN: number) => {
      const qs = Array.from({ length: cases }, () => [
        rng.int(Math.floor(maxN / 2), maxN),
        rng.int(2, 30),
        rng.int(2, 30),
      ]);
      return { input: lines(cases, ...qs), output: lines(...qs.map(([n, a, b]) => solve(n, a, b).toString())) };
    };
    const head = `import sys\ninput = sys.stdin.readline\nt = int(input())\nfor _ in range(t):\n    ${v.lim}, a, b = map(int, input().split())\n`;
    const cond = `${v.x} % a == 0 or ${v.x} % b == 0`;
    const term = mode === 'sum-multiples' ? v.x : '1';
    const loopCond = mode === 'count-neither' ? `not (${cond})` : cond;
    const slowLoop = `${head}    ${v.res} = 0\n    for ${v.x} in range(1, ${v.lim} + 1):\n        if ${loopCond}:\n            ${v.res} += ${term}\n    print(${v.res})\n`;
    const slowGen = `${head}    print(sum(${term} for ${v.x} in range(1, ${v.lim} + 1) if ${loopCond}))\n`;
    const slowWhile = `${head}    ${v.res} = 0\n    ${v.x} = 1\n    while ${v.x} <= ${v.lim}:\n        if ${loopCond}:\n            ${v.res} += ${term}\n        ${v.x} += 1\n    print(${v.res})\n`;
    const f =
      mode === 'sum-multiples'
        ? `def g(k):\n    c = ${v.lim} // k\n    return k * c * (c + 1) // 2\n`
        : `def g(k):\n    return ${v.lim} // k\n`;
    const combine = mode === 'count-neither' ? `${v.lim} - (g(a) + g(b) - g(l))` : `g(a) + g(b) - g(l)`;
    const fast = `import sys\nfrom math import gcd\ninput = sys.stdin.readline\nt = int(input())\nfor _ in range(t):\n    ${v.lim}, a, b = map(int, input().split())\n    l = a // gcd(a, b) * b\n${f
      .split('\n')
      .map((s) => (s ? '    ' + s : s))
      .join('\n')}    print(${combine})\n`;
    const what =
      mode === 'count-or'
        ? 'how many integers from 1 to N are divisible by a or by b'
        : mode === 'sum-multiples'
          ? 'the sum of all integers from 1 to N that are divisible by a or by b'
          : 'how many integers from 1 to N are divisible by neither a nor b';
    return {
      title: rng.pick(['Multiples', 'Divisible numbers', 'Fizz and buzz', 'Skip the multiples']),
      difficulty: rng.pick(['900', '1000', '1100']),
      body: `Answer t questions: given N, a and b, find ${what}.`,
      inputSpec:
        'The first line contains t. Each of the next t lines contains N, a and b (1 <= N <= 10^9, 2 <= a, b <= 30).',
      outputSpec: 'For each question print the answer on its own line.',
      note: 'Numbers divisible by both a and b count once.',
      samples: [make(2, 20), make(1, 15)],
      medium: make(3, 3000),
      large: make(3, 150000),
      fast: { variant: 'inclusion-exclusion', code: fast },
      slow: [
        { variant: 'for-loop', code: slowLoop },
        { variant: 'generator-sum', code: slowGen },
        { variant: 'while-loop', code: slowWhile },
      ],
    };
  },
};
