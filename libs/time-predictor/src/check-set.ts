/**
 * A small check set of realistic programs for the execution-time predictor, written for this
 * project (not taken from CodeNet, AtCoder or PIE) in styles the synthetic corpus does not use:
 * classes, generators, decorators, try/except, itertools, `open(0)`, manual while-loop indexing,
 * f-strings, `if __name__` guards. Each problem has 3 programs with different costs on one large
 * test; expected outputs are computed here in TypeScript. `ecode timedb train` measures them in the
 * sandbox like any database row (never trained on) and reports the predictor's pairwise accuracy.
 */
import { Rng, type Problem } from '@ecode/data';

interface CheckProblem {
  id: string;
  title: string;
  input: (rng: Rng) => string;
  expected: (input: string) => string;
  programs: { variant: string; code: string }[];
}

const ints = (rng: Rng, n: number, lo: number, hi: number) => Array.from({ length: n }, () => rng.int(lo, hi));

const PROBLEMS: CheckProblem[] = [
  {
    id: 'distinct-words',
    title: 'Distinct words, ignoring case',
    input: (rng) => {
      const vocab = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);
      const lines = Array.from({ length: 400 }, () =>
        Array.from({ length: 20 }, () => {
          const w = rng.pick(vocab);
          return rng.bool() ? w.toUpperCase() : w;
        }).join(' '),
      );
      return lines.join('\n') + '\n';
    },
    expected: (input) =>
      `${
        new Set(
          input
            .split(/\s+/)
            .filter(Boolean)
            .map((w) => w.toLowerCase()),
        ).size
      }\n`,
    programs: [
      {
        variant: 'class-dict',
        code: `import sys


class WordCounter:
    def __init__(self):
        self.counts = {}

    def feed(self, line):
        for word in line.split():
            key = word.lower()
            try:
                self.counts[key] += 1
            except KeyError:
                self.counts[key] = 1

    def distinct(self):
        return len(self.counts)


if __name__ == "__main__":
    wc = WordCounter()
    for raw in sys.stdin:
        wc.feed(raw)
    print(wc.distinct())
`,
      },
      {
        variant: 'list-seen',
        code: `lines = open(0).read().splitlines()
seen = []
for ln in lines:
    for token in ln.split():
        token = token.lower()
        if token not in seen:
            seen.append(token)
print(f"{len(seen)}")
`,
      },
      { variant: 'set-comprehension', code: `print(len({w.lower() for w in open(0).read().split()}))\n` },
    ],
  },
  {
    id: 'first-overdraft',
    title: 'First day the balance goes negative',
    input: (rng) => {
      const n = 6000;
      const tx = ints(rng, n, -100, 101);
      tx[n - 50] = -10000000;
      return `${rng.int(0, 1000)}\n${n}\n${tx.join(' ')}\n`;
    },
    expected: (input) => {
      const [start, , txs] = input.trim().split('\n');
      let bal = Number(start);
      const tx = txs.split(' ').map(Number);
      for (let i = 0; i < tx.length; i++) {
        bal += tx[i];
        if (bal < 0) return `${i + 1}\n`;
      }
      return '-1\n';
    },
    programs: [
      {
        variant: 'while-index',
        code: `balance = int(input())
n = int(input())
tx = [int(t) for t in input().split()]
day = 0
answer = -1
while day < n:
    balance += tx[day]
    day += 1
    if balance < 0:
        answer = day
        break
print(answer)
`,
      },
      {
        variant: 'accumulate-next',
        code: `from itertools import accumulate

start = int(input())
input()
tx = map(int, input().split())
running = accumulate(tx, initial=start)
next(running)
print(next((i for i, b in enumerate(running, 1) if b < 0), -1))
`,
      },
      {
        variant: 'resum-prefix',
        code: `start = int(input())
n = int(input())
tx = list(map(int, input().split()))
res = -1
for i in range(n):
    if start + sum(tx[: i + 1]) < 0:
        res = i + 1
        break
print(res)
`,
      },
    ],
  },
  {
    id: 'grid-lines',
    title: 'Largest row or column total',
    input: (rng) => {
      const r = 220;
      const c = 220;
      return `${r} ${c}\n${Array.from({ length: r }, () => ints(rng, c, 0, 99).join(' ')).join('\n')}\n`;
    },
    expected: (input) => {
      const [head, ...rows] = input.trim().split('\n');
      const c = Number(head.split(' ')[1]);
      const g = rows.map((l) => l.split(' ').map(Number));
      let best = Math.max(...g.map((row) => row.reduce((s, v) => s + v, 0)));
      for (let j = 0; j < c; j++)
        best = Math.max(
          best,
          g.reduce((s, row) => s + row[j], 0),
        );
      return `${best}\n`;
    },
    programs: [
      {
        variant: 'zip-transpose',
        code: `import sys

def main():
    rows, cols = map(int, sys.stdin.readline().split())
    grid = [list(map(int, sys.stdin.readline().split())) for _ in range(rows)]
    print(max(max(map(sum, grid)), max(map(sum, zip(*grid)))))

main()
`,
      },
      {
        variant: 'index-loops',
        code: `r, c = map(int, input().split())
g = []
for _ in range(r):
    g.append([int(x) for x in input().split()])
best = 0
for i in range(r):
    s = 0
    for j in range(c):
        s += g[i][j]
    best = max(best, s)
for j in range(c):
    s = 0
    for i in range(r):
        s += g[i][j]
    best = max(best, s)
print(best)
`,
      },
      {
        variant: 'column-per-cell',
        code: `r, c = map(int, input().split())
g = [list(map(int, input().split())) for _ in range(r)]
best = max(sum(row) for row in g)
for i in range(r):
    for j in range(c):
        col = [g[k][j] for k in range(r)]
        best = max(best, sum(col))
print(best)
`,
      },
    ],
  },
  {
    id: 'longest-palindrome',
    title: 'Longest palindromic substring',
    input: (rng) => `${Array.from({ length: 260 }, () => rng.pick(['a', 'b'])).join('')}\n`,
    expected: (input) => {
      const s = input.trim();
      let best = 1;
      for (let c = 0; c < s.length; c++)
        for (const [l0, r0] of [
          [c, c],
          [c, c + 1],
        ]) {
          let l = l0;
          let r = r0;
          while (l >= 0 && r < s.length && s[l] === s[r]) {
            l--;
            r++;
          }
          best = Math.max(best, r - l - 1);
        }
      return `${best}\n`;
    },
    programs: [
      {
        variant: 'expand-center',
        code: `def expand(s, lo, hi):
    while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
        lo -= 1
        hi += 1
    return hi - lo - 1


text = input().strip()
print(max(max(expand(text, k, k), expand(text, k, k + 1)) for k in range(len(text))))
`,
      },
      {
        variant: 'all-substrings',
        code: `s = input().strip()
longest = 1
for a in range(len(s)):
    for b in range(a + 1, len(s) + 1):
        piece = s[a:b]
        if piece == piece[::-1] and len(piece) > longest:
            longest = len(piece)
print(longest)
`,
      },
      {
        variant: 'dp-table',
        code: `s = input().strip()
n = len(s)
pal = [[False] * n for _ in range(n)]
best = 1
for length in range(1, n + 1):
    for i in range(n - length + 1):
        j = i + length - 1
        if s[i] == s[j] and (length <= 2 or pal[i + 1][j - 1]):
            pal[i][j] = True
            best = max(best, length)
print(best)
`,
      },
    ],
  },
  {
    id: 'top-students',
    title: 'Top k students by grade, then name',
    input: (rng) => {
      const n = 1500;
      const rows = Array.from({ length: n }, (_, i) => `s${(i * 7919) % 10007} ${rng.int(0, 100)}`);
      return `${n} 10\n${rows.join('\n')}\n`;
    },
    expected: (input) => {
      const [head, ...rows] = input.trim().split('\n');
      const k = Number(head.split(' ')[1]);
      const st = rows.map((l) => {
        const [name, g] = l.split(' ');
        return { name, g: Number(g) };
      });
      st.sort((a, b) => b.g - a.g || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return (
        st
          .slice(0, k)
          .map((s) => `${s.name} ${s.g}`)
          .join('\n') + '\n'
      );
    },
    programs: [
      {
        variant: 'sorted-key',
        code: `import sys

n, k = map(int, sys.stdin.readline().split())
people = []
for line in sys.stdin:
    name, grade = line.split()
    people.append((name, int(grade)))
for name, grade in sorted(people, key=lambda p: (-p[1], p[0]))[:k]:
    print(name, grade)
`,
      },
      {
        variant: 'heap-nsmallest',
        code: `import heapq

data = open(0).read().split()
n, k = int(data[0]), int(data[1])
entries = ((-int(data[3 + 2 * i]), data[2 + 2 * i]) for i in range(n))
print("\\n".join(f"{name} {-neg}" for neg, name in heapq.nsmallest(k, entries)))
`,
      },
      {
        variant: 'bubble-sort',
        code: `n, k = map(int, input().split())
st = []
for _ in range(n):
    nm, gr = input().split()
    st.append([nm, int(gr)])
swapped = True
while swapped:
    swapped = False
    for i in range(len(st) - 1):
        a, b = st[i], st[i + 1]
        if (b[1] > a[1]) or (b[1] == a[1] and b[0] < a[0]):
            st[i], st[i + 1] = b, a
            swapped = True
for nm, gr in st[:k]:
    print(nm, gr)
`,
      },
    ],
  },
  {
    id: 'count-primes',
    title: 'Primes below each bound',
    input: (rng) => `${ints(rng, 25, 1000, 30000).join(' ')}\n`,
    expected: (input) => {
      const qs = input.trim().split(' ').map(Number);
      const top = Math.max(...qs);
      const sieve = new Uint8Array(top + 1).fill(1);
      sieve[0] = 0;
      sieve[1] = 0;
      for (let i = 2; i * i <= top; i++) if (sieve[i]) for (let j = i * i; j <= top; j += i) sieve[j] = 0;
      const pre = [0];
      for (let i = 1; i <= top; i++) pre.push(pre[i - 1] + sieve[i]);
      return qs.map((q) => pre[q - 1]).join(' ') + '\n';
    },
    programs: [
      {
        variant: 'generator-primes',
        code: `def primes_below(limit):
    found = []
    for cand in range(2, limit):
        if all(cand % p for p in found if p * p <= cand):
            found.append(cand)
            yield cand


bounds = list(map(int, input().split()))
cache = list(primes_below(max(bounds)))
from bisect import bisect_left
print(*[bisect_left(cache, b) for b in bounds])
`,
      },
      {
        variant: 'sieve-prefix',
        code: `import sys
from itertools import accumulate

qs = [int(x) for x in sys.stdin.read().split()]
top = max(qs)
flags = bytearray([1]) * top
flags[:2] = b"\\x00\\x00"
for i in range(2, int(top ** 0.5) + 1):
    if flags[i]:
        flags[i * i :: i] = bytes(len(range(i * i, top, i)))
counts = list(accumulate(flags))
print(" ".join(str(counts[q - 1]) for q in qs))
`,
      },
      {
        variant: 'trial-per-query',
        code: `def is_prime(v):
    return v > 1 and all(v % d for d in range(2, int(v ** 0.5) + 1))


out = []
for b in map(int, input().split()):
    out.append(sum(1 for v in range(b) if is_prime(v)))
print(*out)
`,
      },
    ],
  },
  {
    id: 'round-robin',
    title: 'Order in which round-robin jobs finish',
    input: (rng) => {
      const n = 20000;
      return `${n}\n${ints(rng, n, 1, 3).join(' ')}\n`;
    },
    expected: (input) => {
      const need = input.trim().split('\n')[1].split(' ').map(Number);
      const queue = need.map((_, i) => i);
      const done: number[] = [];
      for (let h = 0; h < queue.length; h++) {
        const j = queue[h];
        need[j]--;
        if (need[j] === 0) done.push(j + 1);
        else queue.push(j);
      }
      return `${done.join(' ')}\n`;
    },
    programs: [
      {
        variant: 'list-pop-front',
        code: `n = int(input())
need = list(map(int, input().split()))
queue = list(range(n))
finished = []
while len(queue) > 0:
    job = queue.pop(0)
    need[job] = need[job] - 1
    if need[job] == 0:
        finished.append(str(job + 1))
    else:
        queue.append(job)
print(" ".join(finished))
`,
      },
      {
        variant: 'deque-class',
        code: `from collections import deque


class Scheduler:
    def __init__(self, work):
        self.left = work
        self.ready = deque(range(len(work)))

    def run(self):
        ready, left = self.ready, self.left
        while ready:
            job = ready.popleft()
            left[job] -= 1
            if left[job]:
                ready.append(job)
            else:
                yield job + 1


input()
print(*Scheduler([int(t) for t in input().split()]).run())
`,
      },
      {
        variant: 'head-pointer',
        code: `import sys

def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    rem = [int(x) for x in data[1 : n + 1]]
    q = list(range(n))
    head = 0
    out = []
    while head < len(q):
        j = q[head]
        head += 1
        rem[j] -= 1
        if rem[j]:
            q.append(j)
        else:
            out.append(j + 1)
    sys.stdout.write(" ".join(map(str, out)) + "\\n")

main()
`,
      },
    ],
  },
  {
    id: 'pairs-with-sum',
    title: 'Pairs of values adding up to a target',
    input: (rng) => {
      const n = 3000;
      return `${n} 1000\n${ints(rng, n, 0, 1000).join(' ')}\n`;
    },
    expected: (input) => {
      const [head, body] = input.trim().split('\n');
      const k = Number(head.split(' ')[1]);
      const seen = new Map<number, number>();
      let pairs = 0;
      for (const v of body.split(' ').map(Number)) {
        pairs += seen.get(k - v) ?? 0;
        seen.set(v, (seen.get(v) ?? 0) + 1);
      }
      return `${pairs}\n`;
    },
    programs: [
      {
        variant: 'combinations',
        code: `from itertools import combinations

n, k = map(int, input().split())
vals = list(map(int, input().split()))
print(sum(1 for x, y in combinations(vals, 2) if x + y == k))
`,
      },
      {
        variant: 'dict-get',
        code: `n, k = map(int, input().split())
seen = {}
pairs = 0
for v in map(int, input().split()):
    pairs += seen.get(k - v, 0)
    seen[v] = seen.get(v, 0) + 1
print(pairs)
`,
      },
      {
        variant: 'sorted-two-pointers',
        code: `import sys
input = sys.stdin.readline

def count_pairs(a, k):
    a.sort()
    i, j, total = 0, len(a) - 1, 0
    while i < j:
        s = a[i] + a[j]
        if s < k:
            i += 1
        elif s > k:
            j -= 1
        elif a[i] == a[j]:
            m = j - i + 1
            total += m * (m - 1) // 2
            break
        else:
            ci = cj = 1
            while i + ci < j and a[i + ci] == a[i]:
                ci += 1
            while j - cj > i and a[j - cj] == a[j]:
                cj += 1
            total += ci * cj
            i += ci
            j -= cj
    return total

n, k = map(int, input().split())
print(count_pairs(list(map(int, input().split())), k))
`,
      },
    ],
  },
  {
    id: 'range-totals',
    title: 'Totals of many index ranges',
    input: (rng) => {
      const n = 20000;
      const q = 8000;
      const lines = [`${n} ${q}`, ints(rng, n, 1, 1000).join(' ')];
      for (let i = 0; i < q; i++) {
        const l = rng.int(1, n);
        lines.push(`${l} ${rng.int(l, n)}`);
      }
      return lines.join('\n') + '\n';
    },
    expected: (input) => {
      const [, body, ...qs] = input.trim().split('\n');
      const pre = [0];
      for (const v of body.split(' ').map(Number)) pre.push(pre[pre.length - 1] + v);
      const totals = qs.map((line) => {
        const [l, r] = line.split(' ').map(Number);
        return pre[r] - pre[l - 1];
      });
      return `${totals.join('\n')}\n`;
    },
    programs: [
      {
        variant: 'accumulate',
        code: `import sys
from itertools import accumulate

n, q, *rest = map(int, sys.stdin.read().split())
pre = [0, *accumulate(rest[:n])]
qs = rest[n:]
print("\\n".join(str(pre[qs[i + 1]] - pre[qs[i] - 1]) for i in range(0, 2 * q, 2)))
`,
      },
      {
        variant: 'slice-sum',
        code: `n, q = map(int, input().split())
a = list(map(int, input().split()))
for _ in range(q):
    l, r = map(int, input().split())
    print(sum(a[l - 1:r]))
`,
      },
      {
        variant: 'recursive-segment-tree',
        code: `import sys
sys.setrecursionlimit(10000)
read = sys.stdin.readline


class SegTree:
    def __init__(self, vals):
        self.n = len(vals)
        self.t = [0] * (4 * self.n)
        self.build(1, 0, self.n - 1, vals)

    def build(self, node, lo, hi, vals):
        if lo == hi:
            self.t[node] = vals[lo]
            return
        mid = (lo + hi) // 2
        self.build(2 * node, lo, mid, vals)
        self.build(2 * node + 1, mid + 1, hi, vals)
        self.t[node] = self.t[2 * node] + self.t[2 * node + 1]

    def query(self, node, lo, hi, l, r):
        if r < lo or hi < l:
            return 0
        if l <= lo and hi <= r:
            return self.t[node]
        mid = (lo + hi) // 2
        return self.query(2 * node, lo, mid, l, r) + self.query(2 * node + 1, mid + 1, hi, l, r)


n, q = map(int, read().split())
tree = SegTree(list(map(int, read().split())))
res = []
for _ in range(q):
    l, r = map(int, read().split())
    res.append(tree.query(1, 0, n - 1, l - 1, r - 1))
print("\\n".join(map(str, res)))
`,
      },
    ],
  },
  {
    id: 'top-words',
    title: 'The ten most frequent words',
    input: (rng) => {
      const vocab = Array.from({ length: 1500 }, (_, i) => `w${(i * 7919).toString(36)}`);
      return (
        Array.from({ length: 600 }, () => Array.from({ length: 15 }, () => rng.pick(vocab)).join(' ')).join('\n') + '\n'
      );
    },
    expected: (input) => {
      const c = new Map<string, number>();
      for (const w of input.split(/\s+/).filter(Boolean)) c.set(w, (c.get(w) ?? 0) + 1);
      const top = [...c.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 10);
      return top.map(([w, n]) => `${w} ${n}`).join('\n') + '\n';
    },
    programs: [
      {
        variant: 'eof-loop-list-count',
        code: `words = []
while True:
    try:
        line = input()
    except EOFError:
        break
    words += line.split()
uniq = []
for w in words:
    if w not in uniq:
        uniq.append(w)
ranked = sorted(uniq, key=lambda w: (-words.count(w), w))
for w in ranked[:10]:
    print(w, words.count(w))
`,
      },
      {
        variant: 'counter-most-common',
        code: `import sys
from collections import Counter

freq = Counter(sys.stdin.read().split())
best = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
sys.stdout.write("".join(f"{w} {c}\\n" for w, c in best))
`,
      },
      {
        variant: 'dict-rescan-max',
        code: `import sys

counts = {}
for line in sys.stdin:
    for w in line.split():
        counts[w] = counts.get(w, 0) + 1
for _ in range(10):
    top = None
    for w, c in counts.items():
        if top is None or c > counts[top] or (c == counts[top] and w < top):
            top = w
    print(top, counts.pop(top))
`,
      },
    ],
  },
  {
    id: 'connected-groups',
    title: 'Number of connected groups in a friendship graph',
    input: (rng) => {
      // Chains of 60 friends in a random order: groups with long paths.
      const n = 3000;
      const order = rng.shuffle(Array.from({ length: n }, (_, i) => i + 1));
      const edges: string[] = [];
      for (let i = 0; i + 1 < n; i++) if ((i + 1) % 60 !== 0) edges.push(`${order[i]} ${order[i + 1]}`);
      const shuffled = rng.shuffle(edges);
      return `${n} ${shuffled.length}\n${shuffled.join('\n')}\n`;
    },
    expected: (input) => {
      const [head, ...lines] = input.trim().split('\n');
      const n = Number(head.split(' ')[0]);
      const parent = Array.from({ length: n + 1 }, (_, i) => i);
      const find = (x: number): number => {
        while (parent[x] !== x) x = parent[x] = parent[parent[x]];
        return x;
      };
      let groups = n;
      for (const line of lines) {
        const [a, b] = line.split(' ').map(Number).map(find);
        if (a !== b) {
          parent[a] = b;
          groups--;
        }
      }
      return `${groups}\n`;
    },
    programs: [
      {
        variant: 'recursive-dfs',
        code: `import sys
sys.setrecursionlimit(100000)


def dfs(u, adj, seen):
    seen[u] = True
    for v in adj[u]:
        if not seen[v]:
            dfs(v, adj, seen)


def main():
    n, m = map(int, sys.stdin.readline().split())
    adj = [[] for _ in range(n + 1)]
    for _ in range(m):
        a, b = map(int, sys.stdin.readline().split())
        adj[a].append(b)
        adj[b].append(a)
    seen = [False] * (n + 1)
    groups = 0
    for u in range(1, n + 1):
        if not seen[u]:
            groups += 1
            dfs(u, adj, seen)
    print(groups)


main()
`,
      },
      {
        variant: 'union-find-class',
        code: `class DSU:
    def __init__(self, n):
        self.p = list(range(n))
        self.count = n

    def find(self, x):
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[ra] = rb
            self.count -= 1


data = open(0).read().split()
n, m = int(data[0]), int(data[1])
dsu = DSU(n + 1)
for k in range(m):
    dsu.union(int(data[2 + 2 * k]), int(data[3 + 2 * k]))
print(dsu.count - 1)
`,
      },
      {
        variant: 'label-propagation',
        code: `n, m = map(int, input().split())
edges = [tuple(map(int, input().split())) for _ in range(m)]
label = list(range(n + 1))
changed = True
while changed:
    changed = False
    for a, b in edges:
        low = min(label[a], label[b])
        if label[a] != low or label[b] != low:
            label[a] = label[b] = low
            changed = True
print(len(set(label[1:])))
`,
      },
    ],
  },
  {
    id: 'ceiling-queries',
    title: 'Smallest stock price at or above each budget',
    input: (rng) => {
      const n = 5000;
      const q = 1500;
      return `${n} ${q}\n${ints(rng, n, 1, 1000000).join(' ')}\n${ints(rng, q, 1, 1000000).join(' ')}\n`;
    },
    expected: (input) => {
      const [, a, qs] = input.trim().split('\n');
      const vals = a.split(' ').map(Number);
      return (
        qs
          .split(' ')
          .map(Number)
          .map((q) => vals.filter((v) => v >= q).reduce((m, v) => (m < 0 || v < m ? v : m), -1))
          .join('\n') + '\n'
      );
    },
    programs: [
      {
        variant: 'bisect-sorted',
        code: `import sys
from bisect import bisect_left

def main():
    n, q = map(int, sys.stdin.readline().split())
    prices = sorted(map(int, sys.stdin.readline().split()))
    out = []
    for budget in map(int, sys.stdin.readline().split()):
        i = bisect_left(prices, budget)
        out.append(prices[i] if i < n else -1)
    print("\\n".join(map(str, out)))

main()
`,
      },
      {
        variant: 'filtered-min',
        code: `n, q = map(int, input().split())
prices = list(map(int, input().split()))
for budget in map(int, input().split()):
    print(min((p for p in prices if p >= budget), default=-1))
`,
      },
      {
        variant: 'manual-binary-search',
        code: `def lower_bound(arr, x):
    lo, hi = 0, len(arr)
    while lo < hi:
        mid = (lo + hi) >> 1
        if arr[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


n, q = [int(t) for t in input().split()]
prices = [int(t) for t in input().split()]
prices.sort()
answers = []
for budget in [int(t) for t in input().split()]:
    k = lower_bound(prices, budget)
    answers.append(str(prices[k]) if k < n else "-1")
print("\\n".join(answers))
`,
      },
    ],
  },
];

/** The check set as dataset problems (split `test`), deterministic. */
export function checkSetProblems(seed = 1): Problem[] {
  return PROBLEMS.map((p) => {
    const input = p.input(new Rng(seed, 'check-set', p.id));
    const output = p.expected(input);
    return {
      id: `check/${p.id}`,
      source: 'check-set',
      split: 'test',
      title: p.title,
      difficulty: '',
      fields: {
        titleDifficulty: `Title:${p.title}\nDifficulty:`,
        body: p.title,
        inputSpec: 'Input:',
        outputSpec: 'Output:',
        samplesNote: 'I/O test:\nNote:',
      },
      tests: [{ input, output, large: true }],
      solutions: p.programs.map((s) => ({ role: 'slow' as const, variant: s.variant, code: s.code })),
    };
  });
}
