/** Primes up to N: trial division per number vs the sieve of Eratosthenes. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames } from '../text.js';

export const sieve: Family = {
  name: 'trial-division-vs-sieve',
  idea: 'testing every number by trial division vs one sieve of Eratosthenes',
  make(rng) {
    const v = pickNames(rng, {
      lim: ['n', 'limit', 'top', 'N'],
      is: ['is_prime', 'prime', 'mark', 'ok'],
      res: ['res', 'ans', 'total', 'cnt'],
      x: ['x', 'k', 'num', 'c'],
      d: ['d', 'p', 'div'],
    });
    const mode = rng.pick(['count', 'sum', 'range-count'] as const);
    const primesUpTo = (n: number) => {
      const ok = new Uint8Array(n + 1).fill(1);
      ok[0] = 0;
      if (n >= 1) ok[1] = 0;
      for (let i = 2; i * i <= n; i++) if (ok[i]) for (let j = i * i; j <= n; j += i) ok[j] = 0;
      return ok;
    };
    const make = (hi: number) => {
      const lo = mode === 'range-count' ? rng.int(1, Math.max(1, Math.floor(hi / 2))) : 1;
      const ok = primesUpTo(hi);
      let ans = 0;
      for (let x = lo; x <= hi; x++) if (ok[x]) ans += mode === 'sum' ? x : 1;
      return { input: mode === 'range-count' ? lines([lo, hi]) : lines(hi), output: lines(ans) };
    };
    const read =
      mode === 'range-count' ? `lo, ${v.lim} = map(int, input().split())\n` : `${v.lim} = int(input())\nlo = 1\n`;
    const acc = mode === 'sum' ? `${v.res} += ${v.x}` : `${v.res} += 1`;
    const fast = `${read}${v.is} = [True] * (${v.lim} + 1)\n${v.is}[0] = False\nif ${v.lim} >= 1:\n    ${v.is}[1] = False\n${v.d} = 2\nwhile ${v.d} * ${v.d} <= ${v.lim}:\n    if ${v.is}[${v.d}]:\n        ${v.is}[${v.d} * ${v.d}::${v.d}] = [False] * len(range(${v.d} * ${v.d}, ${v.lim} + 1, ${v.d}))\n    ${v.d} += 1\n${v.res} = 0\nfor ${v.x} in range(lo, ${v.lim} + 1):\n    if ${v.is}[${v.x}]:\n        ${acc}\nprint(${v.res})\n`;
    const slowTrial = `${read}def check(${v.x}):\n    if ${v.x} < 2:\n        return False\n    ${v.d} = 2\n    while ${v.d} * ${v.d} <= ${v.x}:\n        if ${v.x} % ${v.d} == 0:\n            return False\n        ${v.d} += 1\n    return True\n${v.res} = 0\nfor ${v.x} in range(lo, ${v.lim} + 1):\n    if check(${v.x}):\n        ${acc}\nprint(${v.res})\n`;
    const slowAll = `${read}${v.res} = 0\nfor ${v.x} in range(max(lo, 2), ${v.lim} + 1):\n    if all(${v.x} % ${v.d} for ${v.d} in range(2, int(${v.x} ** 0.5) + 1)):\n        ${acc}\nprint(${v.res})\n`;
    const slowList = `${read}found = []\nfor ${v.x} in range(2, ${v.lim} + 1):\n    if all(${v.x} % ${v.d} for ${v.d} in found if ${v.d} * ${v.d} <= ${v.x}):\n        found.append(${v.x})\n${v.res} = ${mode === 'sum' ? `sum(p for p in found if p >= lo)` : `len([p for p in found if p >= lo])`}\nprint(${v.res})\n`;
    const what =
      mode === 'count'
        ? 'how many primes are at most N'
        : mode === 'sum'
          ? 'the sum of all primes not exceeding N'
          : 'how many primes lie in the segment [L, R]';
    return {
      title: rng.pick(['Prime count', 'Prime time', 'Sum of primes', 'Primes in a segment']),
      difficulty: rng.pick(['1000', '1100', '1200']),
      body: `Find ${what}.`,
      inputSpec:
        mode === 'range-count' ? 'One line with L and R (1 <= L <= R <= 10^6).' : 'One line with N (1 <= N <= 10^6).',
      outputSpec: 'Print one integer.',
      note: '1 is not a prime.',
      samples: [make(10), make(30)],
      medium: make(2000),
      large: make(jitter(rng, 30000)),
      fast: { variant: 'sieve', code: fast },
      slow: [
        { variant: 'trial-division-sqrt', code: slowTrial },
        { variant: 'all-generator-trial', code: slowAll },
        { variant: 'divide-by-found-primes', code: slowList },
      ],
    };
  },
};
