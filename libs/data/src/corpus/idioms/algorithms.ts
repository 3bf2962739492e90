/** Algorithmic idioms: a better algorithm for the same answer. */
import type { Idiom } from '../types.js';
import { int, ints, listOf, pairs, py, queriesOf, randInts, ranges, sz, valuesOf, words, yesNo } from './util.js';

const A = (x: { a?: unknown }) => x.a as number[];
const MOD = 1000000007;

export const ALGORITHM_IDIOMS: Idiom[] = [
  {
    name: 'pair-counting-vs-hashing',
    idea: 'checking every pair with nested loops vs counting complements in a dict',
    group: 'algorithm',
    title: 'Matching pairs',
    parts: [int('k', () => 'the target sum'), ints('a', valuesOf)],
    result: 'scalar',
    task: (th) => `Count the pairs of different ${th.items} (unordered) whose ${th.value}s add up to exactly k.`,
    output: () => 'Print the number of pairs',
    gen: (rng, size) => ({ k: rng.int(50, 150), a: randInts(rng, sz(rng, size, 150, 2800), 1, 140) }),
    solve: (x) => {
      const seen = new Map<number, number>();
      let c = 0;
      for (const v of A(x)) {
        c += seen.get((x.k as number) - v) ?? 0;
        seen.set(v, (seen.get(v) ?? 0) + 1);
      }
      return c;
    },
    fast: {
      variant: 'hash-complements',
      code: (v) =>
        py(
          `seen = {}`,
          `${v.res} = 0`,
          `for x in ${v.a}:`,
          `    ${v.res} += seen.get(${v.k} - x, 0)`,
          `    seen[x] = seen.get(x, 0) + 1`,
        ),
    },
    slow: [
      {
        variant: 'nested-loops',
        code: (v) =>
          py(
            `${v.res} = 0`,
            `for i in range(len(${v.a})):`,
            `    for j in range(i + 1, len(${v.a})):`,
            `        if ${v.a}[i] + ${v.a}[j] == ${v.k}:`,
            `            ${v.res} += 1`,
          ),
      },
    ],
  },
  {
    name: 'resumming-vs-prefix-sums',
    idea: 'summing each range again vs prefix sums computed once',
    group: 'algorithm',
    title: 'Range totals',
    parts: [ints('a', valuesOf), pairs('ps', (th) => `the ${th.query}, each a range l r (1-based, inclusive)`)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (l, r), find the total ${th.value} of the items l..r.`,
    output: () => 'Print the totals',
    gen: (rng, size) => {
      const n = sz(rng, size, 200, 20000);
      return { a: randInts(rng, n, 1, 1000), ps: ranges(rng, n, sz(rng, size, 100, 8000)) };
    },
    solve: (x) => {
      const pre = [0];
      for (const v of A(x)) pre.push(pre[pre.length - 1] + v);
      return (x.ps as [number, number][]).map(([l, r]) => pre[r] - pre[l - 1]);
    },
    fast: {
      variant: 'prefix-sums',
      code: (v, c) =>
        py(
          `pre = [0]`,
          `for x in ${v.a}:`,
          `    pre.append(pre[-1] + x)`,
          listOf(c.comp, v.res, 'pre[r] - pre[l - 1]', `for l, r in ${v.ps}`),
        ),
    },
    slow: [
      { variant: 'slice-sum', code: (v, c) => listOf(c.comp, v.res, `sum(${v.a}[l - 1:r])`, `for l, r in ${v.ps}`) },
    ],
  },
  {
    name: 'trial-division-vs-sieve',
    idea: 'testing each number by trial division vs one sieve of Eratosthenes',
    group: 'algorithm',
    title: 'Prime count',
    parts: [ints('a', valuesOf)],
    result: 'scalar',
    task: (th) => `How many of the ${th.items} have a ${th.value} that is a prime number?`,
    output: () => 'Print the count',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 200, 50000), 1, size === 'large' ? 1000000 : 1000) }),
    solve: (x) => {
      const isPrime = (v: number) => {
        if (v < 2) return false;
        for (let d = 2; d * d <= v; d++) if (v % d === 0) return false;
        return true;
      };
      return A(x).filter(isPrime).length;
    },
    fast: {
      variant: 'sieve',
      code: (v) =>
        py(
          `top = max(${v.a}) + 1`,
          `sieve = bytearray([1]) * top`,
          `sieve[0] = 0`,
          `if top > 1:`,
          `    sieve[1] = 0`,
          `for i in range(2, int(top ** 0.5) + 1):`,
          `    if sieve[i]:`,
          `        sieve[i * i::i] = bytearray(len(range(i * i, top, i)))`,
          `${v.res} = sum(sieve[x] for x in ${v.a})`,
        ),
    },
    slow: [
      {
        variant: 'trial-division',
        code: (v) =>
          py(
            `${v.res} = 0`,
            `for x in ${v.a}:`,
            `    ok = x >= 2`,
            `    d = 2`,
            `    while d * d <= x:`,
            `        if x % d == 0:`,
            `            ok = False`,
            `            break`,
            `        d += 1`,
            `    if ok:`,
            `        ${v.res} += 1`,
          ),
      },
    ],
  },
  {
    name: 'naive-recursion-vs-dp',
    idea: 'plain recursion that recomputes subproblems vs bottom-up dynamic programming',
    group: 'algorithm',
    title: 'Ways to climb',
    parts: [int('k', () => 'the longest step'), int('t', () => 'the number of stairs')],
    result: 'scalar',
    task: (th) =>
      `${th.who} climbs t stairs taking steps of 1 to k stairs. In how many different ways can the top be reached (modulo 1000000007)?`,
    output: () => 'Print the number of ways modulo 1000000007',
    gen: (rng, size) => {
      const k = rng.int(2, 3);
      const t =
        size === 'sample' ? rng.int(1, 8) : size === 'medium' ? 12 : k === 2 ? rng.int(27, 28) : rng.int(22, 23);
      return { k, t };
    },
    solve: (x) => {
      const k = x.k as number;
      const t = x.t as number;
      const w = [1];
      for (let i = 1; i <= t; i++) {
        let s = 0;
        for (let j = 1; j <= k && j <= i; j++) s += w[i - j];
        w.push(s % MOD);
      }
      return w[t];
    },
    fast: {
      variant: 'bottom-up',
      code: (v) =>
        py(
          `ways = [1] + [0] * ${v.t}`,
          `for i in range(1, ${v.t} + 1):`,
          `    ways[i] = sum(ways[max(0, i - ${v.k}):i]) % 1000000007`,
          `${v.res} = ways[${v.t}]`,
        ),
    },
    slow: [
      {
        variant: 'plain-recursion',
        code: (v) =>
          py(
            `def ways(i):`,
            `    if i == 0:`,
            `        return 1`,
            `    return sum(ways(i - j) for j in range(1, min(${v.k}, i) + 1))`,
            `${v.res} = ways(${v.t}) % 1000000007`,
          ),
      },
    ],
  },
  {
    name: 'loop-vs-closed-formula',
    idea: 'adding up a series term by term vs its closed formula',
    group: 'algorithm',
    title: 'Sum of squares',
    parts: [ints('qs', queriesOf)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (a number N), find 1*1 + 2*2 + ... + N*N.`,
    output: () => 'Print the sums',
    gen: (rng, size) => ({ qs: randInts(rng, sz(rng, size, 20, 35), 1, size === 'large' ? 200000 : 1000) }),
    solve: (x) => (x.qs as number[]).map((n) => Number((BigInt(n) * BigInt(n + 1) * BigInt(2 * n + 1)) / 6n)),
    fast: {
      variant: 'formula',
      code: (v, c) => listOf(c.comp, v.res, 'x * (x + 1) * (2 * x + 1) // 6', `for x in ${v.qs}`),
    },
    slow: [
      {
        variant: 'loop',
        code: (v) =>
          py(
            `${v.res} = []`,
            `for x in ${v.qs}:`,
            `    acc = 0`,
            `    for i in range(1, x + 1):`,
            `        acc += i * i`,
            `    ${v.res}.append(acc)`,
          ),
      },
      {
        variant: 'generator-sum',
        code: (v, c) => listOf(c.comp, v.res, 'sum(i * i for i in range(1, x + 1))', `for x in ${v.qs}`),
      },
    ],
  },
  {
    name: 'all-windows-vs-two-pointers',
    idea: 'trying every start with an inner loop vs a two-pointer sliding window',
    group: 'algorithm',
    title: 'Longest affordable stretch',
    parts: [int('k', () => 'the budget'), ints('a', valuesOf)],
    result: 'scalar',
    task: (th) =>
      `Find the largest number of consecutive ${th.items} whose ${th.value}s add up to at most k (0 if none).`,
    output: () => 'Print the length',
    gen: (rng, size) => {
      const n = sz(rng, size, 200, 2500);
      return { k: size === 'large' ? rng.int(20000, 30000) : rng.int(20, 400), a: randInts(rng, n, 1, 100) };
    },
    solve: (x) => {
      const a = A(x);
      let best = 0;
      let l = 0;
      let s = 0;
      for (let r = 0; r < a.length; r++) {
        s += a[r];
        while (s > (x.k as number)) s -= a[l++];
        best = Math.max(best, r - l + 1);
      }
      return best;
    },
    fast: {
      variant: 'two-pointers',
      code: (v) =>
        py(
          `${v.res} = 0`,
          `lo = 0`,
          `cur = 0`,
          `for hi in range(len(${v.a})):`,
          `    cur += ${v.a}[hi]`,
          `    while cur > ${v.k}:`,
          `        cur -= ${v.a}[lo]`,
          `        lo += 1`,
          `    ${v.res} = max(${v.res}, hi - lo + 1)`,
        ),
    },
    slow: [
      {
        variant: 'every-start',
        code: (v) =>
          py(
            `${v.res} = 0`,
            `for lo in range(len(${v.a})):`,
            `    cur = 0`,
            `    for hi in range(lo, len(${v.a})):`,
            `        cur += ${v.a}[hi]`,
            `        if cur > ${v.k}:`,
            `            break`,
            `        ${v.res} = max(${v.res}, hi - lo + 1)`,
          ),
      },
    ],
  },
  {
    name: 'all-segments-vs-kadane',
    idea: 'the best segment over all O(n^2) segments vs Kadane in one pass',
    group: 'algorithm',
    title: 'Best streak',
    parts: [ints('a', (th) => `the change in ${th.value} for each of the ${th.items} (may be negative)`)],
    result: 'scalar',
    task: (th) => `Find the largest total change over a non-empty run of consecutive ${th.items}.`,
    output: () => 'Print the largest total',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 150, 1400), -1000, 1000) }),
    solve: (x) => {
      let best = -Infinity;
      let cur = 0;
      for (const v of A(x)) {
        cur = Math.max(v, cur + v);
        best = Math.max(best, cur);
      }
      return best;
    },
    fast: {
      variant: 'kadane',
      code: (v) =>
        py(
          `${v.res} = ${v.a}[0]`,
          `cur = 0`,
          `for x in ${v.a}:`,
          `    cur = max(x, cur + x)`,
          `    ${v.res} = max(${v.res}, cur)`,
        ),
    },
    slow: [
      {
        variant: 'all-segments',
        code: (v) =>
          py(
            `${v.res} = ${v.a}[0]`,
            `for i in range(len(${v.a})):`,
            `    cur = 0`,
            `    for j in range(i, len(${v.a})):`,
            `        cur += ${v.a}[j]`,
            `        if cur > ${v.res}:`,
            `            ${v.res} = cur`,
          ),
      },
    ],
  },
  {
    name: 'linear-search-vs-binary-search-on-answer',
    idea: 'trying every candidate answer in turn vs binary search on the answer with a monotone check',
    group: 'algorithm',
    title: 'Smallest capacity',
    parts: [int('k', () => 'the number of trips'), ints('a', valuesOf)],
    result: 'scalar',
    task: (th) =>
      `The ${th.items} must be carried in the given order in at most k trips; one trip carries consecutive items with total ${th.value} at most C. Find the smallest C.`,
    output: () => 'Print the smallest capacity',
    gen: (rng, size) => ({
      k: size === 'large' ? rng.int(12, 16) : rng.int(1, 5),
      a: randInts(rng, sz(rng, size, 100, 1200), 1, 100),
    }),
    solve: (x) => {
      const a = A(x);
      const fits = (cap: number) => {
        let trips = 1;
        let cur = 0;
        for (const v of a) {
          if (cur + v > cap) {
            trips++;
            cur = 0;
          }
          cur += v;
        }
        return trips <= (x.k as number);
      };
      let lo = Math.max(...a);
      let hi = a.reduce((s, v) => s + v, 0);
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (fits(mid)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
    fast: {
      variant: 'binary-search',
      code: (v) =>
        py(
          `def fits(cap):`,
          `    trips, cur = 1, 0`,
          `    for x in ${v.a}:`,
          `        if cur + x > cap:`,
          `            trips += 1`,
          `            cur = 0`,
          `        cur += x`,
          `    return trips <= ${v.k}`,
          `lo, hi = max(${v.a}), sum(${v.a})`,
          `while lo < hi:`,
          `    mid = (lo + hi) // 2`,
          `    if fits(mid):`,
          `        hi = mid`,
          `    else:`,
          `        lo = mid + 1`,
          `${v.res} = lo`,
        ),
    },
    slow: [
      {
        variant: 'linear-search',
        code: (v) =>
          py(
            `def fits(cap):`,
            `    trips, cur = 1, 0`,
            `    for x in ${v.a}:`,
            `        if cur + x > cap:`,
            `            trips += 1`,
            `            cur = 0`,
            `        cur += x`,
            `    return trips <= ${v.k}`,
            `${v.res} = max(${v.a})`,
            `while not fits(${v.res}):`,
            `    ${v.res} += 1`,
          ),
      },
    ],
  },
  {
    name: 'subset-recursion-vs-dp',
    idea: 'enumerating all subsets recursively vs a DP over reachable sums',
    group: 'algorithm',
    title: 'Exact total',
    parts: [int('k', () => 'the wanted total'), ints('a', valuesOf)],
    result: 'scalar',
    task: (th) => `In how many ways can a set of the ${th.items} be chosen whose ${th.value}s add up to exactly k?`,
    output: () => 'Print the number of ways',
    gen: (rng, size) => {
      const a = randInts(rng, size === 'sample' ? rng.int(3, 6) : size === 'medium' ? 10 : rng.int(20, 21), 1, 20);
      return { k: Math.floor(a.reduce((s, v) => s + v, 0) / 2), a };
    },
    solve: (x) => {
      const k = x.k as number;
      const dp = new Array<number>(k + 1).fill(0);
      dp[0] = 1;
      for (const v of A(x)) for (let s = k; s >= v; s--) dp[s] += dp[s - v];
      return dp[k];
    },
    fast: {
      variant: 'dp-over-sums',
      code: (v) =>
        py(
          `dp = [1] + [0] * ${v.k}`,
          `for x in ${v.a}:`,
          `    for total in range(${v.k}, x - 1, -1):`,
          `        dp[total] += dp[total - x]`,
          `${v.res} = dp[${v.k}]`,
        ),
    },
    slow: [
      {
        variant: 'recursion',
        code: (v) =>
          py(
            `def count(i, left):`,
            `    if i == len(${v.a}):`,
            `        return 1 if left == 0 else 0`,
            `    return count(i + 1, left) + count(i + 1, left - ${v.a}[i])`,
            `${v.res} = count(0, ${v.k})`,
          ),
      },
    ],
  },
  {
    name: 'path-recursion-vs-grid-dp',
    idea: 'counting grid paths by plain recursion vs a DP table',
    group: 'algorithm',
    title: 'Paths on the map',
    parts: [
      words('ws', (th) => `the rows of the map of the ${th.items} ('.' free, '#' blocked), all of the same length`),
    ],
    result: 'scalar',
    task: () =>
      'Moving only right or down through free cells, in how many ways can one go from the top-left cell to the bottom-right cell? (0 if either is blocked.)',
    output: () => 'Print the number of paths',
    gen: (rng, size) => {
      const r = size === 'sample' ? rng.int(2, 4) : size === 'medium' ? 7 : rng.int(12, 13);
      const c = size === 'sample' ? rng.int(2, 4) : size === 'medium' ? 7 : 26 - r;
      return {
        ws: Array.from({ length: r }, () => Array.from({ length: c }, () => (rng.bool(0.06) ? '#' : '.')).join('')),
      };
    },
    solve: (x) => {
      const g = x.ws as string[];
      const c = g[0].length;
      const dp = new Array<number>(c).fill(0);
      for (let i = 0; i < g.length; i++)
        for (let j = 0; j < c; j++) {
          if (g[i][j] === '#') dp[j] = 0;
          else if (i === 0 && j === 0) dp[j] = 1;
          else dp[j] = dp[j] + (j > 0 ? dp[j - 1] : 0);
        }
      return dp[c - 1];
    },
    fast: {
      variant: 'grid-dp',
      code: (v) =>
        py(
          `dp = [0] * len(${v.ws}[0])`,
          `for i, row in enumerate(${v.ws}):`,
          `    for j, cell in enumerate(row):`,
          `        if cell == '#':`,
          `            dp[j] = 0`,
          `        elif i == 0 and j == 0:`,
          `            dp[j] = 1`,
          `        elif j > 0:`,
          `            dp[j] += dp[j - 1]`,
          `${v.res} = dp[-1]`,
        ),
    },
    slow: [
      {
        variant: 'plain-recursion',
        code: (v) =>
          py(
            `def paths(i, j):`,
            `    if i >= len(${v.ws}) or j >= len(${v.ws}[0]) or ${v.ws}[i][j] == '#':`,
            `        return 0`,
            `    if i == len(${v.ws}) - 1 and j == len(${v.ws}[0]) - 1:`,
            `        return 1`,
            `    return paths(i + 1, j) + paths(i, j + 1)`,
            `${v.res} = paths(0, 0)`,
          ),
      },
    ],
  },
  {
    name: 'nested-count-vs-fenwick',
    idea: 'counting inversions over all pairs vs a Fenwick tree',
    group: 'algorithm',
    title: 'Out of order',
    parts: [ints('a', valuesOf)],
    result: 'scalar',
    task: (th) =>
      `Count the pairs of ${th.items} where the earlier one has a strictly larger ${th.value} than the later one.`,
    output: () => 'Print the number of such pairs',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 150, 3000), 1, 100000) }),
    solve: (x) => {
      const a = A(x);
      let c = 0;
      for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) if (a[i] > a[j]) c++;
      return c;
    },
    fast: {
      variant: 'fenwick',
      code: (v) =>
        py(
          `rank = {x: i + 1 for i, x in enumerate(sorted(set(${v.a})))}`,
          `tree = [0] * (len(rank) + 1)`,
          `${v.res} = 0`,
          `for seen_cnt, x in enumerate(${v.a}):`,
          `    i = rank[x]`,
          `    le = 0`,
          `    while i > 0:`,
          `        le += tree[i]`,
          `        i -= i & -i`,
          `    ${v.res} += seen_cnt - le`,
          `    i = rank[x]`,
          `    while i < len(tree):`,
          `        tree[i] += 1`,
          `        i += i & -i`,
        ),
    },
    slow: [
      {
        variant: 'all-pairs',
        code: (v) =>
          py(
            `${v.res} = 0`,
            `for i in range(len(${v.a})):`,
            `    for j in range(i + 1, len(${v.a})):`,
            `        if ${v.a}[i] > ${v.a}[j]:`,
            `            ${v.res} += 1`,
          ),
      },
    ],
  },
  {
    name: 'forward-scan-vs-monotonic-stack',
    idea: 'scanning right for the next greater element vs a monotonic stack',
    group: 'algorithm',
    title: 'Next higher',
    parts: [ints('a', valuesOf)],
    result: 'list',
    task: (th) =>
      `For each of the ${th.items}, find the first later one with a strictly larger ${th.value}; report that ${th.value}, or -1.`,
    output: () => 'Print the answers',
    gen: (rng, size) => {
      const n = sz(rng, size, 150, 5000);
      return { a: Array.from({ length: n }, (_, i) => (n - i) * 10 + rng.int(0, 25)) };
    },
    solve: (x) => {
      const a = A(x);
      return a.map((v, i) => {
        for (let j = i + 1; j < a.length; j++) if (a[j] > v) return a[j];
        return -1;
      });
    },
    fast: {
      variant: 'monotonic-stack',
      code: (v) =>
        py(
          `${v.res} = [-1] * len(${v.a})`,
          `st = []`,
          `for i, x in enumerate(${v.a}):`,
          `    while st and ${v.a}[st[-1]] < x:`,
          `        ${v.res}[st.pop()] = x`,
          `    st.append(i)`,
        ),
    },
    slow: [
      {
        variant: 'forward-scan',
        code: (v) =>
          py(
            `${v.res} = []`,
            `for i in range(len(${v.a})):`,
            `    found = -1`,
            `    for j in range(i + 1, len(${v.a})):`,
            `        if ${v.a}[j] > ${v.a}[i]:`,
            `            found = ${v.a}[j]`,
            `            break`,
            `    ${v.res}.append(found)`,
          ),
      },
    ],
  },
  {
    name: 'range-updates-vs-difference-array',
    idea: 'adding to every cell of each range vs a difference array and one prefix sum',
    group: 'algorithm',
    title: 'Busiest point',
    parts: [
      int('t', () => 'the number of positions'),
      pairs('ps', (th) => `the ${th.query}, each covering positions l..r (1-based)`),
    ],
    result: 'scalar',
    task: (th) =>
      `Each of the ${th.query} covers a range of positions. Find the largest number of them covering one position.`,
    output: () => 'Print the largest coverage',
    gen: (rng, size) => {
      const t = sz(rng, size, 200, 5000);
      return { t, ps: ranges(rng, t, sz(rng, size, 100, 1500)) };
    },
    solve: (x) => {
      const d = new Array<number>((x.t as number) + 2).fill(0);
      for (const [l, r] of x.ps as [number, number][]) {
        d[l]++;
        d[r + 1]--;
      }
      let cur = 0;
      let best = 0;
      for (const v of d) best = Math.max(best, (cur += v));
      return best;
    },
    fast: {
      variant: 'difference-array',
      code: (v) =>
        py(
          `diff = [0] * (${v.t} + 2)`,
          `for l, r in ${v.ps}:`,
          `    diff[l] += 1`,
          `    diff[r + 1] -= 1`,
          `cur = ${v.res} = 0`,
          `for x in diff:`,
          `    cur += x`,
          `    ${v.res} = max(${v.res}, cur)`,
        ),
    },
    slow: [
      {
        variant: 'per-cell',
        code: (v) =>
          py(
            `cover = [0] * (${v.t} + 1)`,
            `for l, r in ${v.ps}:`,
            `    for i in range(l, r + 1):`,
            `        cover[i] += 1`,
            `${v.res} = max(cover)`,
          ),
      },
    ],
  },
  {
    name: 'sort-per-query-vs-sort-once',
    idea: 'sorting again inside the query loop vs hoisting the sort out of it',
    group: 'algorithm',
    title: 'k-th smallest',
    parts: [ints('a', valuesOf), ints('qs', (th) => `the ${th.query}, each a rank k (1-based)`)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (a rank k), report the k-th smallest ${th.value}.`,
    output: () => 'Print the values',
    gen: (rng, size) => {
      const a = randInts(rng, sz(rng, size, 200, 4000), 1, 1000000);
      return { a, qs: randInts(rng, sz(rng, size, 50, 300), 1, a.length) };
    },
    solve: (x) => {
      const s = A(x)
        .slice()
        .sort((p, q) => p - q);
      return (x.qs as number[]).map((k) => s[k - 1]);
    },
    fast: {
      variant: 'sort-once',
      code: (v, c) => py(`srt = sorted(${v.a})`, listOf(c.comp, v.res, 'srt[x - 1]', `for x in ${v.qs}`)),
    },
    slow: [
      { variant: 'sort-per-query', code: (v, c) => listOf(c.comp, v.res, `sorted(${v.a})[x - 1]`, `for x in ${v.qs}`) },
    ],
  },
  {
    name: 'recomputed-max-vs-hoisted',
    idea: 'calling max() on the whole list inside the loop vs computing it once before',
    group: 'algorithm',
    title: 'Near the top',
    parts: [ints('a', valuesOf)],
    result: 'scalar',
    task: (th) => `Count the ${th.items} whose ${th.value} is at least half of the largest ${th.value}.`,
    output: () => 'Print the count',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 200, 5000), 1, 1000000) }),
    solve: (x) => {
      const m = Math.max(...A(x));
      return A(x).filter((v) => 2 * v >= m).length;
    },
    fast: {
      variant: 'hoisted',
      code: (v) => py(`top = max(${v.a})`, `${v.res} = sum(1 for x in ${v.a} if 2 * x >= top)`),
    },
    slow: [
      {
        variant: 'max-in-loop',
        code: (v) => py(`${v.res} = 0`, `for x in ${v.a}:`, `    if 2 * x >= max(${v.a}):`, `        ${v.res} += 1`),
      },
    ],
  },
  {
    name: 'full-scan-vs-early-exit',
    idea: 'scanning everything with a flag vs any() that stops at the first hit',
    group: 'algorithm',
    title: 'Any multiple?',
    parts: [ints('a', valuesOf), ints('qs', queriesOf)],
    result: 'list',
    task: (th) =>
      `For each of the ${th.query} (a number d), answer YES if some ${th.value} is divisible by d, NO otherwise.`,
    output: () => 'Print YES or NO for each query',
    gen: (rng, size) => ({
      a: randInts(rng, sz(rng, size, 200, 3000), 1, 1000000),
      qs: Array.from({ length: sz(rng, size, 50, 1200) }, () =>
        rng.bool(0.9) ? rng.int(1, 30) : rng.int(2000000, 3000000),
      ),
    }),
    solve: (x) => (x.qs as number[]).map((d) => yesNo(A(x).some((v) => v % d === 0))),
    fast: {
      variant: 'any-early-exit',
      code: (v, c) => listOf(c.comp, v.res, `'YES' if any(y % x == 0 for y in ${v.a}) else 'NO'`, `for x in ${v.qs}`),
    },
    slow: [
      {
        variant: 'full-scan-flag',
        code: (v) =>
          py(
            `${v.res} = []`,
            `for x in ${v.qs}:`,
            `    found = False`,
            `    for y in ${v.a}:`,
            `        if y % x == 0:`,
            `            found = True`,
            `    ${v.res}.append('YES' if found else 'NO')`,
          ),
      },
    ],
  },
  {
    name: 'divisors-to-n-vs-to-sqrt',
    idea: 'trying every divisor up to n vs pairs of divisors up to sqrt(n)',
    group: 'algorithm',
    title: 'Number of divisors',
    parts: [ints('qs', queriesOf)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (a number N), count the positive divisors of N.`,
    output: () => 'Print the counts',
    gen: (rng, size) => ({ qs: randInts(rng, sz(rng, size, 30, 100), 1, size === 'large' ? 100000 : 2000) }),
    solve: (x) =>
      (x.qs as number[]).map((n) => {
        let c = 0;
        for (let d = 1; d * d <= n; d++) if (n % d === 0) c += d * d === n ? 1 : 2;
        return c;
      }),
    fast: {
      variant: 'to-sqrt',
      code: (v) =>
        py(
          `${v.res} = []`,
          `for x in ${v.qs}:`,
          `    cnt = 0`,
          `    d = 1`,
          `    while d * d <= x:`,
          `        if x % d == 0:`,
          `            cnt += 1 if d * d == x else 2`,
          `        d += 1`,
          `    ${v.res}.append(cnt)`,
        ),
    },
    slow: [
      {
        variant: 'to-n',
        code: (v, c) => listOf(c.comp, v.res, 'sum(1 for d in range(1, x + 1) if x % d == 0)', `for x in ${v.qs}`),
      },
    ],
  },
  {
    name: 'repeated-multiply-vs-pow',
    idea: 'multiplying e times in a loop vs three-argument pow (fast exponentiation)',
    group: 'algorithm',
    title: 'Growth',
    parts: [pairs('ps', (th) => `the ${th.query}, each a base b and an exponent e`)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (b, e), compute b to the power e modulo 1000000007.`,
    output: () => 'Print the powers modulo 1000000007',
    gen: (rng, size) => ({
      ps: Array.from(
        { length: sz(rng, size, 30, 120) },
        () => [rng.int(2, 1000000), rng.int(1, size === 'large' ? 60000 : 300)] as [number, number],
      ),
    }),
    solve: (x) =>
      (x.ps as [number, number][]).map(([b, e]) => {
        let r = 1n;
        let base = BigInt(b) % BigInt(MOD);
        let k = e;
        while (k > 0) {
          if (k & 1) r = (r * base) % BigInt(MOD);
          base = (base * base) % BigInt(MOD);
          k >>= 1;
        }
        return Number(r);
      }),
    fast: { variant: 'pow', code: (v, c) => listOf(c.comp, v.res, 'pow(b, e, 1000000007)', `for b, e in ${v.ps}`) },
    slow: [
      {
        variant: 'loop-multiply',
        code: (v) =>
          py(
            `${v.res} = []`,
            `for b, e in ${v.ps}:`,
            `    acc = 1`,
            `    for _ in range(e):`,
            `        acc = acc * b % 1000000007`,
            `    ${v.res}.append(acc)`,
          ),
      },
    ],
  },
  {
    name: 'countdown-gcd-vs-math-gcd',
    idea: 'trying every candidate divisor downwards vs Euclid (math.gcd)',
    group: 'algorithm',
    title: 'Common measure',
    parts: [pairs('ps', (th) => `the ${th.query}, each two numbers x y`)],
    result: 'list',
    task: (th) => `For each of the ${th.query} (x, y), find the greatest common divisor of x and y.`,
    output: () => 'Print the divisors',
    gen: (rng, size) => ({
      ps: Array.from({ length: sz(rng, size, 50, 2800) }, () => {
        const g = rng.int(1, 6);
        const hi = size === 'large' ? 3000 : 50;
        return [g * rng.int(1, hi), g * rng.int(1, hi)] as [number, number];
      }),
    }),
    solve: (x) =>
      (x.ps as [number, number][]).map(([a, b]) => {
        while (b) [a, b] = [b, a % b];
        return a;
      }),
    fast: {
      variant: 'math-gcd',
      imports: ['from math import gcd'],
      code: (v, c) => listOf(c.comp, v.res, 'gcd(x, y)', `for x, y in ${v.ps}`),
    },
    slow: [
      {
        variant: 'countdown',
        code: (v) =>
          py(
            `${v.res} = []`,
            `for x, y in ${v.ps}:`,
            `    d = min(x, y)`,
            `    while x % d or y % d:`,
            `        d -= 1`,
            `    ${v.res}.append(d)`,
          ),
      },
    ],
  },
  {
    name: 'nested-pairs-vs-two-pointers',
    idea: 'checking all pairs vs sorting and moving two pointers',
    group: 'algorithm',
    title: 'Affordable pairs',
    parts: [int('k', () => 'the limit'), ints('a', valuesOf)],
    result: 'scalar',
    task: (th) => `Count the pairs of different ${th.items} (unordered) whose ${th.value}s add up to at most k.`,
    output: () => 'Print the number of pairs',
    gen: (rng, size) => ({ k: rng.int(100, 1500), a: randInts(rng, sz(rng, size, 150, 2600), 1, 1000) }),
    solve: (x) => {
      const a = A(x)
        .slice()
        .sort((p, q) => p - q);
      let c = 0;
      let r = a.length - 1;
      for (let l = 0; l < a.length; l++) {
        while (r > l && a[l] + a[r] > (x.k as number)) r--;
        if (r <= l) break;
        c += r - l;
      }
      return c;
    },
    fast: {
      variant: 'sort-two-pointers',
      code: (v) =>
        py(
          `srt = sorted(${v.a})`,
          `${v.res} = 0`,
          `hi = len(srt) - 1`,
          `for lo in range(len(srt)):`,
          `    while hi > lo and srt[lo] + srt[hi] > ${v.k}:`,
          `        hi -= 1`,
          `    if hi <= lo:`,
          `        break`,
          `    ${v.res} += hi - lo`,
        ),
    },
    slow: [
      {
        variant: 'all-pairs',
        code: (v) =>
          py(
            `${v.res} = 0`,
            `for i in range(len(${v.a})):`,
            `    for j in range(i + 1, len(${v.a})):`,
            `        if ${v.a}[i] + ${v.a}[j] <= ${v.k}:`,
            `            ${v.res} += 1`,
          ),
      },
    ],
  },
  {
    name: 'sliced-max-vs-running-max',
    idea: 'max() of a growing slice at every step vs a running maximum',
    group: 'algorithm',
    title: 'Record so far',
    parts: [ints('a', valuesOf)],
    result: 'list',
    task: (th) => `For each position i, report the largest ${th.value} among the first i ${th.items}.`,
    output: () => 'Print the running records',
    gen: (rng, size) => ({ a: randInts(rng, sz(rng, size, 200, 7000), 1, 1000000) }),
    solve: (x) => {
      let m = -Infinity;
      return A(x).map((v) => (m = Math.max(m, v)));
    },
    fast: {
      variant: 'running-max',
      code: (v) =>
        py(`${v.res} = []`, `top = 0`, `for x in ${v.a}:`, `    top = max(top, x)`, `    ${v.res}.append(top)`),
    },
    slow: [
      {
        variant: 'max-of-slice',
        code: (v, c) => listOf(c.comp, v.res, `max(${v.a}[:i + 1])`, `for i in range(len(${v.a}))`),
      },
    ],
  },
  {
    name: 'sliced-binary-search-vs-bisect',
    idea: 'binary search that slices the list at each halving (a copy each time) vs bisect on indices',
    group: 'algorithm',
    title: 'Below the mark',
    parts: [ints('a', valuesOf), ints('qs', queriesOf)],
    result: 'list',
    task: (th) =>
      `For each of the ${th.query} (a number x), count the ${th.items} whose ${th.value} is strictly below x.`,
    output: () => 'Print the counts',
    gen: (rng, size) => ({
      a: randInts(rng, sz(rng, size, 200, 20000), 1, 1000000),
      qs: randInts(rng, sz(rng, size, 100, 4000), 1, 1000000),
    }),
    solve: (x) => {
      const s = A(x)
        .slice()
        .sort((p, q) => p - q);
      return (x.qs as number[]).map((q) => {
        let lo = 0;
        let hi = s.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (s[mid] < q) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      });
    },
    fast: {
      variant: 'bisect',
      imports: ['from bisect import bisect_left'],
      code: (v, c) => py(`srt = sorted(${v.a})`, listOf(c.comp, v.res, 'bisect_left(srt, x)', `for x in ${v.qs}`)),
    },
    slow: [
      {
        variant: 'sliced-halves',
        code: (v) =>
          py(
            `srt = sorted(${v.a})`,
            `${v.res} = []`,
            `for x in ${v.qs}:`,
            `    part = srt`,
            `    below = 0`,
            `    while part:`,
            `        mid = len(part) // 2`,
            `        if part[mid] < x:`,
            `            below += mid + 1`,
            `            part = part[mid + 1:]`,
            `        else:`,
            `            part = part[:mid]`,
            `    ${v.res}.append(below)`,
          ),
      },
    ],
  },
  {
    name: 'recursive-min-coins-vs-dp',
    idea: 'minimum coins by plain recursion over amounts vs a DP table',
    group: 'algorithm',
    title: 'Fewest coins',
    parts: [int('t', () => 'the amount'), ints('a', (th) => `the coin ${th.value}s (distinct, one of them 1)`)],
    result: 'scalar',
    task: () =>
      'Using coins of the given values (as many of each as needed), find the fewest coins that add up to the amount.',
    output: () => 'Print the fewest number of coins',
    gen: (rng, size) => {
      const a = [1, ...rng.sample([2, 3, 4, 5, 6, 7], 2)].sort((p, q) => p - q);
      // The plain recursion makes calls(t) = 1 + sum(calls(t - c)) calls: take the largest t under a budget.
      const budget = size === 'sample' ? 200 : size === 'medium' ? 5000 : 1000000;
      const calls = [1];
      let t = 0;
      while (calls[t] <= budget) {
        t++;
        calls.push(1 + a.filter((c) => c <= t).reduce((s, c) => s + calls[t - c], 0));
      }
      return { t: t - 1, a };
    },
    solve: (x) => {
      const t = x.t as number;
      const best = [0];
      for (let s = 1; s <= t; s++)
        best.push(
          1 +
            Math.min(
              ...A(x)
                .filter((c) => c <= s)
                .map((c) => best[s - c]),
            ),
        );
      return best[t];
    },
    fast: {
      variant: 'dp-table',
      code: (v) =>
        py(
          `best = [0] * (${v.t} + 1)`,
          `for total in range(1, ${v.t} + 1):`,
          `    best[total] = 1 + min(best[total - c] for c in ${v.a} if c <= total)`,
          `${v.res} = best[${v.t}]`,
        ),
    },
    slow: [
      {
        variant: 'plain-recursion',
        code: (v) =>
          py(
            `def fewest(total):`,
            `    if total == 0:`,
            `        return 0`,
            `    return 1 + min(fewest(total - c) for c in ${v.a} if c <= total)`,
            `${v.res} = fewest(${v.t})`,
          ),
      },
    ],
  },
];
