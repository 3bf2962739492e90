/** I/O idioms and data-structure idioms. */
import type { Idiom } from '../types.js';
import { int, ints, listOf, py, queriesOf, randInts, randWord, str, sz, valuesOf, words, yesNo } from './util.js';

const A = (x: { a?: unknown }) => x.a as number[];

export const IO_STRUCTURE_IDIOMS: Idiom[] = [
  {
    name: 'per-line-input-vs-bulk-read',
    idea: 'many lines read with input() one by one vs one bulk read of stdin',
    group: 'io',
    title: 'Total',
    parts: [ints('a', valuesOf)],
    result: 'scalar',
    task: (th) => `Find the total ${th.value} of all ${th.items}.`,
    output: () => 'Print the total',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 300, 150000), 1, 1000000) }),
    solve: (x) => A(x).reduce((s, v) => s + v, 0),
    fast: { variant: 'bulk-read', code: (v) => `${v.res} = sum(${v.a})` },
    slow: [{ variant: 'per-line-input', code: (v) => `${v.res} = sum(${v.a})` }],
    io: { read: { slow: 'input', fast: 'tokens' }, layout: 'column' },
  },
  {
    name: 'print-loop-vs-join',
    idea: 'one print() call per output line vs one joined write',
    group: 'io',
    title: 'Doubled list',
    parts: [ints('a', valuesOf)],
    result: 'list',
    task: (th) => `Double the ${th.value} of every one of the ${th.items} and list the results in order.`,
    output: () => 'Print the doubled values',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 300, 150000), 1, 1000000) }),
    solve: (x) => A(x).map((v) => 2 * v),
    fast: { variant: 'joined-print', code: (v, c) => listOf(c.comp, v.res, 'x * 2', `for x in ${v.a}`) },
    slow: [{ variant: 'print-per-line', code: (v, c) => listOf(c.comp, v.res, 'x * 2', `for x in ${v.a}`) }],
    io: { write: { slow: 'loop', fast: 'join' } },
  },
  {
    name: 'concatenation-vs-join',
    idea: "building a string with + in a loop (a copy per step) vs ''.join",
    group: 'io',
    title: 'Report lines',
    parts: [ints('a', valuesOf)],
    result: 'text',
    task: (th) => `For every one of the ${th.items}, write a report line: its ${th.value} times 3 plus 1.`,
    output: () => 'Print the report lines, one per item, in order',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 300, 10000), 0, 1000000) }),
    solve: (x) =>
      A(x)
        .map((v) => 3 * v + 1)
        .join('\n'),
    fast: { variant: 'join', code: (v) => `${v.res} = '\\n'.join(str(x * 3 + 1) for x in ${v.a})` },
    slow: [
      {
        variant: 'plus-concat',
        code: (v) =>
          py(`acc = ''`, `for x in ${v.a}:`, `    acc = acc + str(x * 3 + 1) + '\\n'`, `${v.res} = acc[:-1]`),
      },
      {
        variant: 'percent-format-concat',
        code: (v) =>
          py(`acc = ''`, `for x in ${v.a}:`, `    acc = '%s%d\\n' % (acc, x * 3 + 1)`, `${v.res} = acc[:-1]`),
      },
    ],
  },
  {
    name: 'list-vs-set-membership',
    idea: 'membership tests against a list (linear each) vs a set (constant each)',
    group: 'data-structure',
    title: 'Is it there?',
    parts: [ints('a', valuesOf), ints('qs', queriesOf)],
    result: 'list',
    task: (th) =>
      `For each of the ${th.query} (a ${th.value}), answer YES if one of the ${th.items} has exactly that ${th.value}, NO otherwise.`,
    output: () => 'Print YES or NO for each query',
    gen: (rng, size) => {
      const a = randInts(rng, sz(rng, size, 200, 10000), 1, 100000);
      const qs = Array.from({ length: sz(rng, size, 200, 8000) }, () =>
        rng.bool() ? rng.pick(a) : rng.int(1, 100000),
      );
      return { a, qs };
    },
    solve: (x) => {
      const s = new Set(A(x));
      return (x.qs as number[]).map((q) => yesNo(s.has(q)));
    },
    fast: {
      variant: 'set',
      code: (v, c) =>
        py(`seen = set(${v.a})`, listOf(c.comp, v.res, `'YES' if x in seen else 'NO'`, `for x in ${v.qs}`)),
    },
    slow: [
      {
        variant: 'list-in',
        code: (v, c) => listOf(c.comp, v.res, `'YES' if x in ${v.a} else 'NO'`, `for x in ${v.qs}`),
      },
      {
        variant: 'list-count',
        code: (v, c) => listOf(c.comp, v.res, `'YES' if ${v.a}.count(x) > 0 else 'NO'`, `for x in ${v.qs}`),
      },
    ],
  },
  {
    name: 'list-pop0-vs-deque',
    idea: 'a FIFO queue on a list (pop(0) shifts every element) vs collections.deque',
    group: 'data-structure',
    title: 'Round robin',
    parts: [int('k', () => 'how much one turn serves'), ints('a', (th) => `how much each of the ${th.items} needs`)],
    result: 'list',
    task: (th) =>
      `The ${th.items} wait in a queue in the given order. The first one in the queue is served k units; if it still needs more it goes to the back, otherwise it leaves. List the positions (1-based) of the ${th.items} in the order they leave.`,
    output: () => 'Print the positions in leaving order',
    gen: (rng, size) => {
      const k = rng.int(1, 3);
      return { k, a: randInts(rng, sz(rng, size, 200, 40000), 1, 3 * k) };
    },
    solve: (x) => {
      const k = x.k as number;
      const left = A(x).slice();
      const q = left.map((_, i) => i);
      const order: number[] = [];
      for (let h = 0; h < q.length; h++) {
        const i = q[h];
        left[i] -= Math.min(k, left[i]);
        if (left[i] === 0) order.push(i + 1);
        else q.push(i);
      }
      return order;
    },
    fast: {
      variant: 'deque',
      imports: ['from collections import deque'],
      code: (v) =>
        py(
          `left = list(${v.a})`,
          `line = deque(range(len(left)))`,
          `${v.res} = []`,
          `while line:`,
          `    i = line.popleft()`,
          `    left[i] -= min(${v.k}, left[i])`,
          `    if left[i] == 0:`,
          `        ${v.res}.append(i + 1)`,
          `    else:`,
          `        line.append(i)`,
        ),
    },
    slow: [
      {
        variant: 'list-pop0',
        code: (v) =>
          py(
            `left = list(${v.a})`,
            `line = list(range(len(left)))`,
            `${v.res} = []`,
            `while line:`,
            `    i = line.pop(0)`,
            `    left[i] -= min(${v.k}, left[i])`,
            `    if left[i] == 0:`,
            `        ${v.res}.append(i + 1)`,
            `    else:`,
            `        line.append(i)`,
          ),
      },
      {
        variant: 'list-insert0',
        code: (v) =>
          py(
            `left = list(${v.a})`,
            `line = list(range(len(left) - 1, -1, -1))`,
            `${v.res} = []`,
            `while line:`,
            `    i = line.pop()`,
            `    left[i] -= min(${v.k}, left[i])`,
            `    if left[i] == 0:`,
            `        ${v.res}.append(i + 1)`,
            `    else:`,
            `        line.insert(0, i)`,
          ),
      },
    ],
  },
  {
    name: 'count-in-loop-vs-counter',
    idea: 'counting each value with list.count (a scan each) vs one Counter pass',
    group: 'data-structure',
    title: 'Most common',
    parts: [ints('a', valuesOf)],
    result: 'scalar',
    task: (th) =>
      `Find the ${th.value} shared by the most ${th.items} (the smallest such ${th.value} on a tie) and how many have it.`,
    output: () => 'Print the value and its count, separated by a space',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 200, 7000), 1, rng.pick([50, 500, 5000])) }),
    solve: (x) => {
      const m = new Map<number, number>();
      for (const v of A(x)) m.set(v, (m.get(v) ?? 0) + 1);
      let best = Infinity;
      let bc = 0;
      for (const [v, c] of m) if (c > bc || (c === bc && v < best)) [best, bc] = [v, c];
      return `${best} ${bc}`;
    },
    fast: {
      variant: 'counter',
      imports: ['from collections import Counter'],
      code: (v) =>
        py(
          `cnt = Counter(${v.a})`,
          `best = min(cnt, key=lambda x: (-cnt[x], x))`,
          `${v.res} = str(best) + ' ' + str(cnt[best])`,
        ),
    },
    slow: [
      {
        variant: 'count-each',
        code: (v) =>
          py(
            `best, best_c = 0, 0`,
            `for x in ${v.a}:`,
            `    c = ${v.a}.count(x)`,
            `    if c > best_c or (c == best_c and x < best):`,
            `        best, best_c = x, c`,
            `${v.res} = str(best) + ' ' + str(best_c)`,
          ),
      },
    ],
  },
  {
    name: 'repeated-sort-vs-heap',
    idea: 'taking the two smallest by re-sorting or min() each step vs a heap',
    group: 'data-structure',
    title: 'Merging piles',
    parts: [ints('a', valuesOf)],
    result: 'scalar',
    task: (th) =>
      `Repeatedly merge the two ${th.items} with the smallest ${th.value}s into one whose ${th.value} is their sum; each merge costs that sum. Find the total cost until one remains.`,
    output: () => 'Print the total cost',
    gen: (rng, size) => ({ a: randInts(rng, Math.max(2, sz(rng, size, 150, 8000)), 1, 1000) }),
    solve: (x) => {
      const a = A(x)
        .slice()
        .sort((p, q) => p - q);
      // Two queues (the merged sums come out in non-decreasing order): the standard O(n) method.
      const merged: number[] = [];
      let i = 0;
      let j = 0;
      let cost = 0;
      const take = () => (j >= merged.length || (i < a.length && a[i] <= merged[j]) ? a[i++] : merged[j++]);
      for (let n = a.length; n > 1; n--) {
        const s = take() + take();
        cost += s;
        merged.push(s);
      }
      return cost;
    },
    fast: {
      variant: 'heap',
      imports: ['import heapq'],
      code: (v) =>
        py(
          `h = list(${v.a})`,
          `heapq.heapify(h)`,
          `${v.res} = 0`,
          `while len(h) > 1:`,
          `    x = heapq.heappop(h) + heapq.heappop(h)`,
          `    ${v.res} += x`,
          `    heapq.heappush(h, x)`,
        ),
    },
    slow: [
      {
        variant: 'min-remove',
        code: (v) =>
          py(
            `h = list(${v.a})`,
            `${v.res} = 0`,
            `while len(h) > 1:`,
            `    x = min(h)`,
            `    h.remove(x)`,
            `    y = min(h)`,
            `    h.remove(y)`,
            `    ${v.res} += x + y`,
            `    h.append(x + y)`,
          ),
      },
      {
        variant: 'sort-each-step',
        code: (v) =>
          py(
            `h = list(${v.a})`,
            `${v.res} = 0`,
            `while len(h) > 1:`,
            `    h = sorted(h)`,
            `    x = h[0] + h[1]`,
            `    h = h[2:] + [x]`,
            `    ${v.res} += x`,
          ),
      },
    ],
  },
  {
    name: 'linear-scan-vs-bisect',
    idea: 'counting values <= x by scanning everything per query vs sorting once and bisecting',
    group: 'data-structure',
    title: 'How many at most',
    parts: [ints('a', valuesOf), ints('qs', queriesOf)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (a number x), count the ${th.items} whose ${th.value} is at most x.`,
    output: () => 'Print the counts',
    gen: (rng, size) => ({
      a: randInts(rng, sz(rng, size, 200, 3000), 1, 100000),
      qs: randInts(rng, sz(rng, size, 100, 2000), 1, 100000),
    }),
    solve: (x) => (x.qs as number[]).map((q) => A(x).filter((v) => v <= q).length),
    fast: {
      variant: 'sort-bisect',
      imports: ['from bisect import bisect_right'],
      code: (v, c) => py(`srt = sorted(${v.a})`, listOf(c.comp, v.res, 'bisect_right(srt, x)', `for x in ${v.qs}`)),
    },
    slow: [
      {
        variant: 'generator-count',
        code: (v, c) => listOf(c.comp, v.res, `sum(1 for y in ${v.a} if y <= x)`, `for x in ${v.qs}`),
      },
      {
        variant: 'loop-count',
        code: (v) =>
          py(
            `${v.res} = []`,
            `for x in ${v.qs}:`,
            `    cnt = 0`,
            `    for y in ${v.a}:`,
            `        if y <= x:`,
            `            cnt += 1`,
            `    ${v.res}.append(cnt)`,
          ),
      },
    ],
  },
  {
    name: 'list-dedupe-vs-set',
    idea: 'collecting distinct values in a list (a scan per value) vs a set',
    group: 'data-structure',
    title: 'Distinct values',
    parts: [ints('a', valuesOf)],
    result: 'scalar',
    task: (th) => `How many different ${th.value}s occur among the ${th.items}?`,
    output: () => 'Print the number of different values',
    gen: (rng, size) => {
      const n = sz(rng, size, 200, 7000);
      return { a: randInts(rng, n, 1, n) };
    },
    solve: (x) => new Set(A(x)).size,
    fast: { variant: 'set', code: (v) => `${v.res} = len(set(${v.a}))` },
    slow: [
      {
        variant: 'list-not-in',
        code: (v) =>
          py(
            `uniq = []`,
            `for x in ${v.a}:`,
            `    if x not in uniq:`,
            `        uniq.append(x)`,
            `${v.res} = len(uniq)`,
          ),
      },
    ],
  },
  {
    name: 'list-index-vs-dict',
    idea: 'finding positions with list.index (a scan each) vs a dict built once',
    group: 'data-structure',
    title: 'Where is it?',
    parts: [ints('a', (th) => `the distinct ${th.value}s of the ${th.items}, in order`), ints('qs', queriesOf)],
    result: 'list',
    task: (th) =>
      `For each of the ${th.query} (a ${th.value} that occurs), give the 1-based position of the item that has it.`,
    output: () => 'Print the positions',
    gen: (rng, size) => {
      const n = sz(rng, size, 200, 10000);
      const a = rng.shuffle(Array.from({ length: n }, (_, i) => 3 * i + 7));
      return { a, qs: Array.from({ length: sz(rng, size, 200, 8000) }, () => rng.pick(a)) };
    },
    solve: (x) => {
      const pos = new Map(A(x).map((v, i) => [v, i + 1]));
      return (x.qs as number[]).map((q) => pos.get(q)!);
    },
    fast: {
      variant: 'dict',
      code: (v, c) =>
        py(`where = {x: i + 1 for i, x in enumerate(${v.a})}`, listOf(c.comp, v.res, 'where[x]', `for x in ${v.qs}`)),
    },
    slow: [{ variant: 'list-index', code: (v, c) => listOf(c.comp, v.res, `${v.a}.index(x) + 1`, `for x in ${v.qs}`) }],
  },
  {
    name: 'resorting-vs-insort',
    idea: 'keeping a list sorted by re-sorting a copy after each insertion vs bisect.insort',
    group: 'data-structure',
    title: 'Running median',
    parts: [ints('a', valuesOf)],
    result: 'list',
    task: (th) =>
      `The ${th.items} arrive one by one. After each arrival, report the lower median of the ${th.value}s so far (the element at position (m+1)//2 in sorted order, m items so far).`,
    output: () => 'Print the medians',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 200, 7000), 1, 1000000) }),
    solve: (x) => {
      const cur: number[] = [];
      return A(x).map((v) => {
        let lo = 0;
        let hi = cur.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cur[mid] <= v) lo = mid + 1;
          else hi = mid;
        }
        cur.splice(lo, 0, v);
        return cur[(cur.length - 1) >> 1];
      });
    },
    fast: {
      variant: 'insort',
      imports: ['from bisect import insort'],
      code: (v) =>
        py(
          `cur = []`,
          `${v.res} = []`,
          `for x in ${v.a}:`,
          `    insort(cur, x)`,
          `    ${v.res}.append(cur[(len(cur) - 1) // 2])`,
        ),
    },
    slow: [
      {
        variant: 'sorted-copy',
        code: (v) =>
          py(
            `cur = []`,
            `${v.res} = []`,
            `for x in ${v.a}:`,
            `    cur = sorted(cur + [x])`,
            `    ${v.res}.append(cur[(len(cur) - 1) // 2])`,
          ),
      },
    ],
  },
  {
    name: 'pairwise-compare-vs-dict-keys',
    idea: 'comparing every pair of words (sorting both each time) vs grouping by a canonical key',
    group: 'data-structure',
    title: 'Anagram pairs',
    parts: [words('ws', (th) => `the code words of the ${th.items}`)],
    result: 'scalar',
    task: (th) => `Two ${th.items} match when their code words are anagrams of each other. Count the matching pairs.`,
    output: () => 'Print the number of pairs',
    gen: (rng, size) => ({
      ws: Array.from({ length: sz(rng, size, 60, 900) }, () => randWord(rng, rng.int(3, 5), 'abc')),
    }),
    solve: (x) => {
      const m = new Map<string, number>();
      for (const w of x.ws as string[]) {
        const key = [...w].sort().join('');
        m.set(key, (m.get(key) ?? 0) + 1);
      }
      let s = 0;
      for (const c of m.values()) s += (c * (c - 1)) / 2;
      return s;
    },
    fast: {
      variant: 'canonical-key-dict',
      code: (v) =>
        py(
          `groups = {}`,
          `for x in ${v.ws}:`,
          `    key = ''.join(sorted(x))`,
          `    groups[key] = groups.get(key, 0) + 1`,
          `${v.res} = sum(c * (c - 1) // 2 for c in groups.values())`,
        ),
    },
    slow: [
      {
        variant: 'pairwise-sorted',
        code: (v) =>
          py(
            `${v.res} = 0`,
            `for i in range(len(${v.ws})):`,
            `    for j in range(i + 1, len(${v.ws})):`,
            `        if sorted(${v.ws}[i]) == sorted(${v.ws}[j]):`,
            `            ${v.res} += 1`,
          ),
      },
    ],
  },
  {
    name: 'char-loop-vs-counter',
    idea: 'counting a letter by scanning the string per query vs counting all letters once',
    group: 'data-structure',
    title: 'Letter counts',
    parts: [
      str('s', (th) => `the log of the ${th.items}, one letter per event`),
      words('ws', (th) => `the letters in the ${th.query}`),
    ],
    result: 'list',
    task: (th) => `For each of the ${th.query} (a letter), count how often it occurs in the log.`,
    output: () => 'Print the counts',
    gen: (rng, size) => ({
      s: randWord(rng, sz(rng, size, 300, 100000, 12), 'abcdefgh'),
      ws: Array.from({ length: sz(rng, size, 10, 60) }, () => randWord(rng, 1, 'abcdefghij')),
    }),
    solve: (x) => (x.ws as string[]).map((w) => [...(x.s as string)].filter((ch) => ch === w).length),
    fast: {
      variant: 'counter',
      imports: ['from collections import Counter'],
      code: (v, c) => py(`cnt = Counter(${v.s})`, listOf(c.comp, v.res, 'cnt[x]', `for x in ${v.ws}`)),
    },
    slow: [
      {
        variant: 'generator-scan',
        code: (v, c) => listOf(c.comp, v.res, `sum(1 for ch in ${v.s} if ch == x)`, `for x in ${v.ws}`),
      },
    ],
  },
  {
    name: 'replace-loop-vs-stack',
    idea: "checking brackets by deleting '()' pairs until none are left (a pass per level) vs one stack pass",
    group: 'data-structure',
    title: 'Balanced brackets',
    parts: [str('s', (th) => `the bracket log of the ${th.items}, made of ( ) [ ]`)],
    result: 'scalar',
    task: () => 'Is the bracket sequence balanced (every bracket closed by the matching kind, properly nested)?',
    output: () => 'Print YES or NO',
    gen: (rng, size) => {
      const n = sz(rng, size, 100, 9000, 5);
      let s = '';
      for (let i = 0; i < n; i++) {
        const kind = rng.bool(0.5) ? '()' : '[]';
        s = rng.bool(0.8) ? kind[0] + s + kind[1] : s + kind;
      }
      if (rng.bool(0.5)) {
        const i = rng.int(0, s.length - 1);
        const flip: Record<string, string> = { '(': '[', '[': '(', ')': ']', ']': ')' };
        s = s.slice(0, i) + flip[s[i]] + s.slice(i + 1);
      }
      return { s };
    },
    solve: (x) => {
      const st: string[] = [];
      const open: Record<string, string> = { ')': '(', ']': '[' };
      for (const ch of x.s as string) {
        if (ch === '(' || ch === '[') st.push(ch);
        else if (st.pop() !== open[ch]) return 'NO';
      }
      return yesNo(st.length === 0);
    },
    fast: {
      variant: 'stack',
      code: (v) =>
        py(
          `st = []`,
          `ok = True`,
          `for ch in ${v.s}:`,
          `    if ch in '([':`,
          `        st.append(ch)`,
          `    elif not st or st.pop() != ('(' if ch == ')' else '['):`,
          `        ok = False`,
          `        break`,
          `${v.res} = 'YES' if ok and not st else 'NO'`,
        ),
    },
    slow: [
      {
        variant: 'replace-loop',
        code: (v) =>
          py(
            `cur = ${v.s}`,
            `while '()' in cur or '[]' in cur:`,
            `    cur = cur.replace('()', '').replace('[]', '')`,
            `${v.res} = 'NO' if cur else 'YES'`,
          ),
      },
    ],
  },
];
