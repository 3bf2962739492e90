/** Frequencies: list.count() inside a loop vs one Counter. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames, randInts } from '../text.js';

export const counterFrequency: Family = {
  name: 'count-in-loop-vs-counter',
  idea: 'calling list.count for every element (quadratic) vs counting once with collections.Counter',
  make(rng) {
    const v = pickNames(rng, {
      arr: ['a', 'votes', 'words', 'tags', 'colors'],
      cnt: ['cnt', 'freq', 'counter', 'occ'],
      best: ['best', 'winner', 'top'],
      res: ['res', 'ans', 'k'],
    });
    const words = rng.bool(0.5);
    const mode = rng.pick(['most-frequent', 'unique-count'] as const);
    const vocab = Array.from({ length: 3000 }, (_, i) => (words ? `w${(i * 7919) % 10007}` : String(i + 1)));
    const make = (n: number) => {
      const d = Math.max(2, Math.floor(n / rng.int(2, 5)));
      const a = randInts(rng, n, 0, Math.min(d, vocab.length) - 1).map((i) => vocab[i]);
      const cnt = new Map<string, number>();
      for (const x of a) cnt.set(x, (cnt.get(x) ?? 0) + 1);
      let out: string;
      if (mode === 'most-frequent') {
        // Ties: the one that appears first in the input.
        let best = a[0];
        for (const x of a) if ((cnt.get(x) ?? 0) > (cnt.get(best) ?? 0)) best = x;
        out = lines(`${best} ${cnt.get(best)}`);
      } else out = lines([...cnt.values()].filter((c) => c === 1).length);
      return { input: lines(n, a), output: out };
    };
    const head = `n = int(input())\n${v.arr} = input().split()\n`;
    let fast: string, slowLoop: string, slowSet: string;
    if (mode === 'most-frequent') {
      fast = `from collections import Counter\n${head}${v.cnt} = Counter(${v.arr})\n${v.best} = ${v.arr}[0]\nfor x in ${v.arr}:\n    if ${v.cnt}[x] > ${v.cnt}[${v.best}]:\n        ${v.best} = x\nprint(${v.best}, ${v.cnt}[${v.best}])\n`;
      slowLoop = `${head}${v.best} = ${v.arr}[0]\nbest_c = ${v.arr}.count(${v.best})\nfor x in ${v.arr}:\n    c = ${v.arr}.count(x)\n    if c > best_c:\n        ${v.best}, best_c = x, c\nprint(${v.best}, best_c)\n`;
      slowSet = `${head}${v.best} = max(${v.arr}, key=${v.arr}.count)\nprint(${v.best}, ${v.arr}.count(${v.best}))\n`;
    } else {
      fast = `from collections import Counter\n${head}${v.cnt} = Counter(${v.arr})\nprint(sum(1 for c in ${v.cnt}.values() if c == 1))\n`;
      slowLoop = `${head}${v.res} = 0\nfor x in ${v.arr}:\n    if ${v.arr}.count(x) == 1:\n        ${v.res} += 1\nprint(${v.res})\n`;
      slowSet = `${head}${v.res} = len([x for x in set(${v.arr}) if ${v.arr}.count(x) == 1])\nprint(${v.res})\n`;
    }
    const thing = words ? 'word' : 'number';
    return {
      title: rng.pick(
        mode === 'most-frequent'
          ? ['Most popular', 'Election', 'Trending tag']
          : ['Lonely values', 'Seen once', 'Unique entries'],
      ),
      difficulty: rng.pick(['900', '1000', '1100']),
      body:
        mode === 'most-frequent'
          ? `Given a list of n ${thing}s, find the ${thing} that occurs most often and how many times it occurs. If several are tied, take the one whose first occurrence comes first.`
          : `Given a list of n ${thing}s, count how many distinct ${thing}s occur exactly once.`,
      inputSpec: `The first line contains n. The second line contains n ${thing}s separated by spaces.`,
      outputSpec: mode === 'most-frequent' ? `Print the ${thing} and its number of occurrences.` : 'Print one integer.',
      note: words ? 'Words consist of lowercase letters and digits.' : 'Numbers are positive.',
      samples: [make(6), make(8)],
      medium: make(300),
      large: make(jitter(rng, 3000)),
      fast: { variant: 'counter', code: fast },
      slow: [
        { variant: 'count-in-loop', code: slowLoop },
        { variant: mode === 'most-frequent' ? 'max-key-count' : 'set-then-count', code: slowSet },
      ],
    };
  },
};
