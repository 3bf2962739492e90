/** Building the output: repeated string concatenation (quadratic) vs str.join. */
import type { Family } from '../family.js';
import { jitter, lines, PEOPLE, pickNames, randInts } from '../text.js';

export const stringBuilding: Family = {
  name: 'concatenation-vs-join',
  idea: 'building a long output with s = s + ... (copies every time) vs collecting parts and joining once',
  make(rng) {
    const v = pickNames(rng, {
      arr: ['a', 'arr', 'nums', 'scores', 'xs'],
      s: ['s', 'out', 'line', 'text', 'buf'],
      x: ['x', 'v', 'val', 'e'],
      parts: ['parts', 'pieces', 'chunks', 'res'],
    });
    const mul = rng.int(2, 9);
    const add = rng.int(0, 50);
    const reverse = rng.bool(0.4);
    const sep = rng.pick([' ', ',', ';']);
    const sepName = sep === ' ' ? 'spaces' : sep === ',' ? 'commas' : 'semicolons';
    const f = (x: number) => x * mul + add;
    const make = (n: number) => {
      const a = randInts(rng, n, 0, 1000000);
      const b = a.map(f);
      if (reverse) b.reverse();
      return { input: lines(n, a), output: lines(b.join(sep)) };
    };
    const head = `n = int(input())\n${v.arr} = list(map(int, input().split()))\n`;
    const order = reverse ? `reversed(${v.arr})` : v.arr;
    const expr = `${v.x} * ${mul} + ${add}`.replace(' + 0', '');
    const fast = `${head}print('${sep}'.join(str(${expr}) for ${v.x} in ${order}))\n`;
    const slowConcat = `${head}${v.s} = ''\nfor ${v.x} in ${order}:\n    ${v.s} = ${v.s} + str(${expr}) + '${sep}'\nprint(${v.s}[:-1])\n`;
    const slowFormat = reverse
      ? `${head}${v.s} = ''\nfor ${v.x} in ${v.arr}:\n    ${v.s} = str(${expr}) + '${sep}' + ${v.s}\nprint(${v.s}[:-1])\n`
      : `${head}${v.s} = ''\nfor ${v.x} in ${v.arr}:\n    ${v.s} = '%s%d${sep}' % (${v.s}, ${expr})\nprint(${v.s}[:-1])\n`;
    const slowFstring = `${head}${v.s} = ''\nfor ${v.x} in ${order}:\n    ${v.s} = f'{${v.s}}{${expr}}${sep}'\nprint(${v.s}.rstrip('${sep}'))\n`;
    const who = rng.pick(PEOPLE);
    return {
      title: rng.pick(['Scaled report', `${who} rewrites the list`, 'Transform and print']),
      difficulty: rng.pick(['800', '900']),
      body: `${who} has n numbers. Replace every number x by ${mul}*x${add ? ` + ${add}` : ''} and print the results${reverse ? ' in reverse order' : ''}, separated by ${sepName}.`,
      inputSpec: 'The first line contains n. The second line contains n integers between 0 and 10^6.',
      outputSpec: `One line with the n transformed numbers separated by ${sepName}${reverse ? ', last number first' : ''}.`,
      note: 'No separator after the last number.',
      samples: [make(4), make(3)],
      medium: make(300),
      large: make(jitter(rng, 30000)),
      fast: { variant: 'join', code: fast },
      slow: [
        { variant: 'plus-concat', code: slowConcat },
        { variant: reverse ? 'prepend-concat' : 'percent-format-concat', code: slowFormat },
        { variant: 'fstring-concat', code: slowFstring },
      ],
    };
  },
};
