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
