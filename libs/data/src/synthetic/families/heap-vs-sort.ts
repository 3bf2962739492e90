/** A changing multiset with "take the smallest": re-sorting / min()+remove vs a heap. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames } from '../text.js';

export const heapVsSort: Family = {
  name: 'repeated-sort-vs-heap',
  idea: 'finding the extreme of a changing collection by sorting or scanning every time vs heapq',
  make(rng) {
    const v = pickNames(rng, {
      box: ['box', 'pool', 'items', 'pile', 'queue_'],
      q: ['q', 'ops', 'm'],
      res: ['res', 'out', 'taken', 'log'],
      x: ['x', 'v', 'w'],
    });
    const largest = rng.bool(0.4);
    const [addTok, takeTok] = rng.pick([
      ['+', '-'],
      ['add', 'take'],
      ['1', '2'],
      ['push', 'pop'],
    ]);
    const make = (q: number) => {
      const ops: string[] = [];
      const out: number[] = [];
      // A sorted array with binary-search insertion: the reference answer, fast enough in TS.
      const box: number[] = [];
      for (let i = 0; i < q; i++) {
        if (box.length === 0 || rng.bool(0.55)) {
          const x = rng.int(1, 1000000);
          let lo = 0;
          let hi = box.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (box[mid] < x) lo = mid + 1;
            else hi = mid;
          }
          box.splice(lo, 0, x);
          ops.push(`${addTok} ${x}`);
        } else {
          out.push(largest ? box.pop()! : box.shift()!);
          ops.push(takeTok);
        }
      }
      return { input: lines(q, ...ops), output: lines(...out) };
    };
    const head = `import sys\ninput = sys.stdin.readline\n${v.q} = int(input())\n${v.box} = []\n${v.res} = []\nfor _ in range(${v.q}):\n    parts = input().split()\n    if parts[0] == '${addTok}':\n`;
    const tail = `print('\\n'.join(map(str, ${v.res})))\n`;
    const fast = `import heapq\n${head}        heapq.heappush(${v.box}, ${largest ? '-' : ''}int(parts[1]))\n    else:\n        ${v.res}.append(${largest ? '-' : ''}heapq.heappop(${v.box}))\n${tail}`;
    const slowSort = `${head}        ${v.box}.append(int(parts[1]))\n    else:\n        ${v.box}.sort(${largest ? 'reverse=True' : ''})\n        ${v.res}.append(${v.box}.pop(0))\n${tail}`;
    const slowMin = `${head}        ${v.box}.append(int(parts[1]))\n    else:\n        ${v.x} = ${largest ? 'max' : 'min'}(${v.box})\n        ${v.box}.remove(${v.x})\n        ${v.res}.append(${v.x})\n${tail}`;
    const slowSorted = `${head}        ${v.box} = sorted(${v.box} + [int(parts[1])])\n    else:\n        ${v.res}.append(${v.box}.pop(${largest ? '' : '0'}))\n${tail}`;
    return {
      title: rng.pick(['Priority desk', 'Smallest first', 'Auction', 'Take the best']),
      difficulty: rng.pick(['1100', '1200', '1300']),
      body: `Process q operations on an initially empty bag of numbers: "${addTok} x" puts x into the bag; "${takeTok}" removes the ${largest ? 'largest' : 'smallest'} number from the bag and reports it.`,
      inputSpec: `The first line contains q. Each of the next q lines is an operation. "${takeTok}" never comes when the bag is empty.`,
      outputSpec: `For every "${takeTok}" print the removed number on its own line.`,
      note: 'The bag may hold equal numbers.',
      samples: [make(6), make(7)],
      medium: make(300),
      large: make(jitter(rng, 15000)),
      fast: { variant: 'heapq', code: fast },
      slow: [
        { variant: 'sort-then-pop0', code: slowSort },
        { variant: largest ? 'max-remove' : 'min-remove', code: slowMin },
        { variant: 'sorted-copy-each-add', code: slowSorted },
      ],
    };
  },
};
