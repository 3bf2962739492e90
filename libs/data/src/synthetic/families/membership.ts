/** List vs set membership: answer "is x in the collection?" for many queries. */
import type { Family } from '../family.js';
import { jitter, lines, PEOPLE, pickNames, randInts } from '../text.js';

export const membership: Family = {
  name: 'list-vs-set-membership',
  idea: 'membership tests against a list (linear each) vs a set (constant each)',
  make(rng) {
    const v = pickNames(rng, {
      arr: ['a', 'arr', 'nums', 'stock', 'have', 'owned'],
      q: ['q', 'm', 'k'],
      x: ['x', 'v', 'item', 'code'],
      res: ['res', 'out', 'answer', 'lines'],
      look: ['seen', 'lookup', 'pool', 'bag'],
    });
    const [yes, no] = rng.pick([
      ['YES', 'NO'],
      ['Yes', 'No'],
      ['1', '0'],
      ['FOUND', 'MISSING'],
    ]);
    const countOnly = rng.bool(0.3);
    const who = rng.pick(PEOPLE);
    const thing = rng.pick(['stamps', 'cards', 'coins', 'badges', 'tickets']);
    const maxV = rng.pick([1000, 5000, 100000, 1000000]);
    const make = (n: number, q: number) => {
      const a = randInts(rng, n, 1, maxV);
      const have = new Set(a);
      const qs = Array.from({ length: q }, () => (rng.bool(0.5) ? rng.pick(a) : rng.int(1, maxV)));
      const answers = qs.map((x) => have.has(x));
      const input = lines(n, a, q, qs);
      const output = countOnly ? lines(answers.filter(Boolean).length) : lines(...answers.map((h) => (h ? yes : no)));
      return { input, output };
    };
    const read = `${v.arr} = [int(t) for t in data[1:1 + int(data[0])]]\nqs = data[2 + len(${v.arr}):]`;
    const head = `import sys\ndata = sys.stdin.read().split()\n${read}\n`;
    const emit = countOnly ? `print(${v.res})` : `print('\\n'.join(${v.res}))`;
    const acc = (cond: string) =>
      countOnly
        ? `${v.res} = 0\nfor t in qs:\n    if ${cond}:\n        ${v.res} += 1`
        : `${v.res} = []\nfor t in qs:\n    ${v.res}.append('${yes}' if ${cond} else '${no}')`;
    const fast = `${head}${v.look} = set(${v.arr})\n${acc(`int(t) in ${v.look}`)}\n${emit}\n`;
    const slowIn = `${head}${acc(`int(t) in ${v.arr}`)}\n${emit}\n`;
    const slowLoop = `${head}def has(${v.x}):\n    for y in ${v.arr}:\n        if y == ${v.x}:\n            return True\n    return False\n${acc('has(int(t))')}\n${emit}\n`;
    const slowCount = `${head}${acc(`${v.arr}.count(int(t)) > 0`)}\n${emit}\n`;
    const samples = [make(5, 4), make(6, 3)];
    return {
      title: rng.pick([`${who} and the ${thing}`, `Collection check`, `Do I have it?`]),
      difficulty: rng.pick(['800', '900', '1000']),
      body: `${who} collects ${thing}; each has a number. ${rng.pick(['Friends ask', 'Visitors ask', 'A shop asks'])} about several numbers: ${countOnly ? `how many of the asked numbers are in the collection?` : `for each asked number, is it in the collection?`}`,
      inputSpec: `The first line contains n (1 <= n <= 2*10^5), the second n integers between 1 and ${maxV}. Then a line with q, and a line with q integers.`,
      outputSpec: countOnly
        ? 'Print one integer: how many of the q numbers occur in the collection.'
        : `Print q lines: ${yes} if the number occurs in the collection, ${no} otherwise.`,
      note: 'Numbers in the collection may repeat.',
      samples,
      medium: make(200, 200),
      large: make(jitter(rng, 4000), jitter(rng, 2000)),
      fast: { variant: 'set', code: fast },
      slow: [
        { variant: 'list-in', code: slowIn },
        { variant: 'linear-loop', code: slowLoop },
        { variant: 'list-count', code: slowCount },
      ],
    };
  },
};
