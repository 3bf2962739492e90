import { describe, expect, it } from 'vitest';
import { makeCorpusInstance } from './corpus/corpus.js';
import { abstractIdentifiers, restoreIdentifiers } from './identifier-abstraction.js';
import { makeInstance } from './synthetic/generate.js';
import { VerifierPool } from './synthetic/verifier.js';

const SLOW = `import sys
from collections import deque
input = sys.stdin.readline

def solve(items, limit=3):
    # keep items under the limit
    seen = []
    for x in items:
        if x < limit and x not in seen:
            seen.append(x)
    return sorted(seen, key=lambda v: -v)

n = int(input())
arr = list(map(int, input().split()))
q = deque(arr)
res = solve(arr, limit=n)
print(f'{len(res)} items: {res!r}', end='\\n')
print("res is", res)
`;

describe('abstractIdentifiers', () => {
  it("numbers the program's own names in order of first appearance and keeps the language's", () => {
    const a = abstractIdentifiers(SLOW);
    expect(a.names).toEqual(['solve', 'items', 'limit', 'seen', 'x', 'v', 'n', 'arr', 'q', 'res']);
    expect(a.code).toBe(`import sys
from collections import deque
input = sys.stdin.readline

def v0(v1, v2=3):
    # keep items under the limit
    v3 = []
    for v4 in v1:
        if v4 < v2 and v4 not in v3:
            v3.append(v4)
    return sorted(v3, key=lambda v5: -v5)

v6 = int(input())
v7 = list(map(int, input().split()))
v8 = deque(v7)
v9 = v0(v7, v2=v6)
print(f'{len(v9)} items: {v9!r}', end='\\n')
print("res is", v9)
`);
  });

  it('continues the slow program numbering in the fast one: shared names keep their number, new ones get the next', () => {
    const slow = abstractIdentifiers('a = [1]\nb = 2 in a\nprint(b)\n');
    const fast = abstractIdentifiers('a = {1}\ntotal = 2 in a\nprint(total)\n', slow.names);
    expect(slow.code).toBe('v0 = [1]\nv1 = 2 in v0\nprint(v1)\n');
    expect(fast.code).toBe('v0 = {1}\nv2 = 2 in v0\nprint(v2)\n');
    expect(fast.names).toEqual(['a', 'b', 'total']);
  });

  it('keeps names bound by imports, aliases included, and attributes', () => {
    const a = abstractIdentifiers(
      'import heapq as hq\nfrom bisect import bisect_left as bl\nh = []\nhq.heappush(h, bl(h, 1))\n',
    );
    expect(a.code).toBe(
      'import heapq as hq\nfrom bisect import bisect_left as bl\nv0 = []\nhq.heappush(v0, bl(v0, 1))\n',
    );
  });

  it('does not fail on code that does not lex (an unterminated string, unbalanced brackets)', () => {
    const a = abstractIdentifiers("x = 'abc\ny = (x + ]\nprint(y\n");
    expect(a.code).toBe("v0 = 'abc\nv1 = (v0 + ]\nprint(v1\n");
    expect(restoreIdentifiers(a.code, a.names)).toBe("x = 'abc\ny = (x + ]\nprint(y\n");
  });
});

describe('restoreIdentifiers', () => {
  it('restores the names, and gives a placeholder the model introduced a name that clashes with none', () => {
    const names = ['total', 'v3'];
    expect(restoreIdentifiers('v0 = 0\nfor v3 in v1:\n    v0 += v3\nprint(v0, v2)\n', names)).toBe(
      'total = 0\nfor v3_ in v3:\n    total += v3_\nprint(total, v2)\n',
    );
  });
});

describe('on the generated data', () => {
  it('every abstracted solution (corpus and families) restores exactly and, like the original, prints the expected output', async () => {
    const instances = [
      ...Array.from({ length: 40 }, (_, i) => makeCorpusInstance(7, i).instance),
      ...Array.from({ length: 14 }, (_, i) => makeInstance(7, i).instance),
    ];
    const jobs: { code: string; tests: { input: string; output: string }[] }[] = [];
    for (const inst of instances) {
      const slow = abstractIdentifiers(inst.slow[0].code);
      const pairs = [
        [inst.slow[0].code, slow],
        [inst.fast.code, abstractIdentifiers(inst.fast.code, slow.names)],
        ...inst.slow.slice(1).map((s) => [s.code, abstractIdentifiers(s.code)] as const),
      ] as const;
      for (const [code, a] of pairs) {
        expect(restoreIdentifiers(a.code, a.names)).toBe(code);
        expect(a.code).not.toBe(code);
        const tests = [...inst.samples, inst.medium];
        jobs.push({ code, tests }, { code: a.code, tests });
      }
    }
    expect(jobs.length / 2).toBeGreaterThan(100);
    const pool = new VerifierPool();
    try {
      const results = await Promise.all(jobs.map((j) => pool.run(j)));
      results.forEach((r, i) => expect(r.find((t) => !t.ok)?.reason, jobs[i].code).toBeUndefined());
    } finally {
      pool.close();
    }
  }, 60_000);
});
