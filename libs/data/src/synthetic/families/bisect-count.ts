/** Counting elements below a bound: scanning the array per query vs sorting once + bisect. */
import type { Family } from '../family.js';
import { jitter, lines, PEOPLE, pickNames, randInts } from '../text.js';

export const bisectCount: Family = {
  name: 'linear-scan-vs-bisect',
  idea: 'counting elements <= x by scanning per query vs binary search on a sorted copy',
  make(rng) {
    const v = pickNames(rng, {
      arr: ['prices', 'a', 'arr', 'heights', 'scores'],
      srt: ['srt', 'sorted_a', 'order', 'b'],
      res: ['res', 'out', 'answers'],
      x: ['x', 'budget', 'cap', 'limit'],
    });
    const strict = rng.bool(0.4);
    const who = rng.pick(PEOPLE);
    const make = (n: number, q: number) => {
      const a = randInts(rng, n, 1, 100000);
      const qs = randInts(rng, q, 1, 100000);
      const sorted = [...a].sort((x, y) => x - y);
      const below = (x: number) => {
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (strict ? sorted[mid] < x : sorted[mid] <= x) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      const out = qs.map(below);
      return { input: lines(n, a, q, ...qs), output: lines(...out) };
    };
    const cmp = strict ? '<' : '<=';
    const head = `import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\n${v.arr} = [int(t) for t in data[1:n + 1]]\nq = int(data[n + 1])\n${v.res} = []\nfor t in data[n + 2:n + 2 + q]:\n    ${v.x} = int(t)\n`;
    const tail = `print('\\n'.join(map(str, ${v.res})))\n`;
    const fast = `import bisect\nimport sys\ndata = sys.stdin.read().split()\nn = int(data[0])\n${v.srt} = sorted(int(t) for t in data[1:n + 1])\nq = int(data[n + 1])\n${v.res} = []\nfor t in data[n + 2:n + 2 + q]:\n    ${v.res}.append(bisect.${strict ? 'bisect_left' : 'bisect_right'}(${v.srt}, int(t)))\n${tail}`;
    const slowGen = `${head}    ${v.res}.append(sum(1 for y in ${v.arr} if y ${cmp} ${v.x}))\n${tail}`;
    const slowSortedScan = `import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\n${v.srt} = sorted(int(t) for t in data[1:n + 1])\nq = int(data[n + 1])\n${v.res} = []\nfor t in data[n + 2:n + 2 + q]:\n    ${v.x} = int(t)\n    c = 0\n    while c < n and ${v.srt}[c] ${cmp} ${v.x}:\n        c += 1\n    ${v.res}.append(c)\n${tail}`;
    const slowLen = `${head}    ${v.res}.append(len([y for y in ${v.arr} if y ${cmp} ${v.x}]))\n${tail}`;
    return {
      title: rng.pick([`${who} goes shopping`, 'Affordable items', 'How many fit', 'Below the bar']),
      difficulty: rng.pick(['1000', '1100', '1200']),
      body: `There are n items with given values. For each of q questions with a number x, tell how many items have value ${strict ? 'strictly less than' : 'at most'} x.`,
      inputSpec:
        'The first line contains n, the second n integers (1 <= a_i <= 10^5). Then q, then q lines with one integer x each.',
      outputSpec: 'For each question print the count on its own line.',
      note: 'Values may repeat.',
      samples: [make(5, 3), make(6, 2)],
      medium: make(200, 100),
      large: make(jitter(rng, 2000), jitter(rng, 1500)),
      fast: { variant: 'sort-bisect', code: fast },
      slow: [
        { variant: 'generator-scan', code: slowGen },
        { variant: 'sorted-linear-walk', code: slowSortedScan },
        { variant: 'filtered-list-len', code: slowLen },
      ],
    };
  },
};
