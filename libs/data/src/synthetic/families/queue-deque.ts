/** A round-robin queue: list.pop(0) / insert(0) vs collections.deque. */
import type { Family } from '../family.js';
import { jitter, lines, pickNames, randInts } from '../text.js';

export const queueDeque: Family = {
  name: 'list-pop0-vs-deque',
  idea: 'a FIFO queue on a list (pop(0) shifts every element) vs collections.deque',
  make(rng) {
    const v = pickNames(rng, {
      q: ['q', 'line', 'queue', 'waiting'],
      order: ['order', 'done', 'res', 'finished'],
      need: ['need', 't', 'left', 'rest'],
    });
    const quantum = rng.int(1, 3);
    const what = rng.pick(['tickets', 'portions', 'documents', 'exercises']);
    const make = (n: number, maxNeed: number) => {
      const need = randInts(rng, n, 1, maxNeed);
      const left = need.slice();
      const q: number[] = need.map((_, i) => i);
      const order: number[] = [];
      let head = 0;
      while (head < q.length) {
        const i = q[head++];
        left[i] -= Math.min(quantum, left[i]);
        if (left[i] === 0) order.push(i + 1);
        else q.push(i);
      }
      return { input: lines(n, need), output: lines(order) };
    };
    const head = `n = int(input())\n${v.need} = list(map(int, input().split()))\n`;
    const step = `    ${v.need}[i] -= min(${quantum}, ${v.need}[i])\n    if ${v.need}[i] == 0:\n        ${v.order}.append(i + 1)\n    else:\n`;
    const tail = `print(' '.join(map(str, ${v.order})))\n`;
    const fast = `from collections import deque\n${head}${v.q} = deque(range(n))\n${v.order} = []\nwhile ${v.q}:\n    i = ${v.q}.popleft()\n${step}        ${v.q}.append(i)\n${tail}`;
    const slowPop = `${head}${v.q} = list(range(n))\n${v.order} = []\nwhile ${v.q}:\n    i = ${v.q}.pop(0)\n${step}        ${v.q}.append(i)\n${tail}`;
    const slowInsert = `${head}${v.q} = list(range(n - 1, -1, -1))\n${v.order} = []\nwhile len(${v.q}) > 0:\n    i = ${v.q}.pop()\n${step}        ${v.q}.insert(0, i)\n${tail}`;
    const slowSlice = `${head}${v.q} = list(range(n))\n${v.order} = []\nwhile ${v.q}:\n    i = ${v.q}[0]\n    ${v.q} = ${v.q}[1:]\n${step}        ${v.q}.append(i)\n${tail}`;
    return {
      title: rng.pick(['Round robin', 'The queue', `Waiting for ${what}`, 'Take turns']),
      difficulty: rng.pick(['1000', '1100', '1200']),
      body: `n people stand in a queue; person i needs t_i ${what}. The person at the front receives ${quantum === 1 ? 'one' : `up to ${quantum}`} ${what}; if they still need more they go to the back of the queue, otherwise they leave. Print the order in which people leave.`,
      inputSpec: `The first line contains n. The second line contains t_1..t_n (1 <= t_i <= 10^4).`,
      outputSpec: 'Print the numbers of the people (1-based) in the order they leave, separated by spaces.',
      note: 'People are numbered by their initial position in the queue.',
      samples: [make(4, 4), make(3, 5)],
      medium: make(200, 5),
      large: make(jitter(rng, 10000), 3 * quantum),
      fast: { variant: 'deque', code: fast },
      slow: [
        { variant: 'list-pop0', code: slowPop },
        { variant: 'list-insert0', code: slowInsert },
        { variant: 'slice-copy', code: slowSlice },
      ],
    };
  },
};
