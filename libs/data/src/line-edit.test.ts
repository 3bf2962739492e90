import { describe, expect, it } from 'vitest';
import { makeCorpusInstance } from './corpus/corpus.js';
import { abstractIdentifiers } from './identifier-abstraction.js';
import { applyLineEdit, lineEdit, lineEditHunks, parseLineEdit } from './line-edit.js';
import { makeInstance } from './synthetic/generate.js';

const SLOW = `import sys

def solve(xs):
    answer = 0
    for x in xs:
        answer += x
    return answer

n = int(input())
print(solve(list(map(int, input().split()))))
`;
const FAST = `import sys

def solve(xs):
    answer = sum(xs)
    return answer

n = int(input())
print(solve(list(map(int, input().split()))))
`;

/** Names only the fast code has get placeholders from where the slow code's end, in order of appearance. */
function renumberNew(fast: string, slowNames: number): string {
  const seen = new Map<string, string>();
  return fast.replace(/(?<![\w.])v(\d+)\b/g, (m, d: string) => {
    if (Number(d) < slowNames) return m;
    if (!seen.has(m)) seen.set(m, `v${slowNames + seen.size}`);
    return seen.get(m)!;
  });
}

describe('lineEdit', () => {
  it('writes only the changed lines, without the indentation they share', () => {
    expect(lineEdit(SLOW, FAST)).toBe('@@\n-answer = 0\n-for x in xs:\n-    answer += x\n+answer = sum(xs)\n');
    expect(lineEdit(SLOW, SLOW)).toBe('');
  });

  it('takes the line before a pure insertion along, or the first line for an insertion at the top', () => {
    expect(lineEditHunks('a = 1\nb = 2\n', 'a = 1\nc = 3\nb = 2\n')).toEqual([
      { old: ['a = 1'], new: ['a = 1', 'c = 3'] },
    ]);
    expect(lineEditHunks('a = 1\n', 'import heapq\na = 1\n')).toEqual([
      { old: ['a = 1'], new: ['import heapq', 'a = 1'] },
    ]);
  });

  it('applies the same hunk at another indentation: the rewrite reads the same in a loop or at the top level', () => {
    const edit = lineEdit(SLOW, FAST);
    const topLevel = 'xs = [1, 2]\nanswer = 0\nfor x in xs:\n    answer += x\nprint(answer)\n';
    expect(applyLineEdit(topLevel, edit).code).toBe('xs = [1, 2]\nanswer = sum(xs)\nprint(answer)\n');
    const nested =
      'for _ in range(2):\n    for xs in [[1]]:\n        answer = 0\n        for x in xs:\n            answer += x\n';
    expect(applyLineEdit(nested, edit).code).toBe(
      'for _ in range(2):\n    for xs in [[1]]:\n        answer = sum(xs)\n',
    );
  });

  it('turns every corpus and family slow solution into its fast one, as written and with names abstracted', () => {
    const instances = [
      ...Array.from({ length: 60 }, (_, i) => makeCorpusInstance(11, i).instance),
      ...Array.from({ length: 14 }, (_, i) => makeInstance(11, i).instance),
    ];
    let pairs = 0;
    let editChars = 0;
    let fastChars = 0;
    for (const inst of instances)
      for (const slow of inst.slow) {
        const fast = inst.fast.code;
        expect(applyLineEdit(slow.code, lineEdit(slow.code, fast))).toEqual({
          code: fast,
          hunks: expect.any(Number),
          fuzzy: 0,
        });
        const a = abstractIdentifiers(slow.code);
        const f = abstractIdentifiers(fast, a.names).code;
        expect(applyLineEdit(a.code, lineEdit(a.code, f)).code).toBe(f);
        const local = lineEdit(a.code, f, { localNames: true });
        expect(local).not.toMatch(/^[-].*\bv\d+\b/m); // the replaced lines name what they use h0, h1, ...
        expect(applyLineEdit(a.code, local, { localNames: true }).code).toBe(renumberNew(f, a.names.length));
        editChars += lineEdit(a.code, f).length;
        fastChars += f.length;
        pairs++;
      }
    expect(pairs).toBeGreaterThan(100);
    // What a model writes instead of the fast program: 0.67 of its text here (0.58 on the corpus
    // alone; the families' short programs are often rewritten whole, so their edits are longer).
    expect(editChars / fastChars).toBeLessThan(0.75);
  });

  it('places hunks in order, each on lines no earlier hunk took', () => {
    const slow = 'x = 0\ny = 1\nx = 0\n';
    expect(applyLineEdit(slow, '@@\n-x = 0\n+x = 5\n@@\n-x = 0\n+x = 6\n').code).toBe('x = 5\ny = 1\nx = 6\n');
  });

  it('places a hunk whose copied lines are slightly off at its near match, and says so', () => {
    const r = applyLineEdit(SLOW, '@@\n-answer = 0\n-for x in xs :\n-    answer += x\n+answer = sum(xs)\n');
    expect(r).toEqual({ code: FAST, hunks: 1, fuzzy: 1 });
  });

  it('names what is wrong when an edit cannot be applied', () => {
    expect(applyLineEdit(SLOW, '-answer = 0\n').error).toBe("line 1: the edit must start with '@@'");
    expect(applyLineEdit(SLOW, '@@\n-total = 1\n+total = 2\n').error).toMatch(
      /^hunk 1: its 1 '-' line\(s\) are not in the slow code/,
    );
    expect(applyLineEdit(SLOW, '@@\n+x = 1\n').error).toBe("hunk 1: no '-' lines");
    expect(parseLineEdit('@@\n-a\n+b\n-c\n').error).toBe("line 4: a '-' line after the '+' lines of hunk 1");
    expect(parseLineEdit('@@\n-a\nprint(1)\n').error).toMatch(/^line 3: not '@@'/);
  });

  it('localNames: the same rewrite reads the same whatever the program around it numbers its names', () => {
    const slowA = 'v0 = int(input())\nv1 = 0\nfor v2 in range(v0):\n    v1 += v2\nprint(v1)\n';
    const fastA = 'v0 = int(input())\nv1 = sum(range(v0))\nprint(v1)\n';
    const slowB = 'v0 = 5\nv1 = [1]\nv2 = int(input())\nv3 = 0\nfor v4 in range(v2):\n    v3 += v4\nprint(v3, v0)\n';
    const fastB = 'v0 = 5\nv1 = [1]\nv2 = int(input())\nv3 = sum(range(v2))\nprint(v3, v0)\n';
    const edit = lineEdit(slowA, fastA, { localNames: true });
    expect(edit).toBe('@@\n-h0 = 0\n-for h1 in range(h2):\n-    h0 += h1\n+h0 = sum(range(h2))\n');
    expect(lineEdit(slowB, fastB, { localNames: true })).toBe(edit);
    expect(applyLineEdit(slowB, edit, { localNames: true }).code).toBe(fastB);
  });

  it('localNames: names new in the fast code are n0, n1, ... across hunks and become new placeholders', () => {
    const slow =
      'v0 = [3, 1]\nv1 = 0\nfor v2 in v0:\n    if v2 >= max(v0):\n        v1 += 1\nprint(v1)\nprint(max(v0))\n';
    const fast =
      'v0 = [3, 1]\nv3 = max(v0)\nv1 = 0\nfor v2 in v0:\n    if v2 >= v3:\n        v1 += 1\nprint(v1)\nprint(v3)\n';
    const edit = lineEdit(slow, fast, { localNames: true });
    expect(edit).toBe(
      '@@\n-h0 = [3, 1]\n+h0 = [3, 1]\n+n0 = max(h0)\n@@\n-if h0 >= max(h1):\n+if h0 >= n0:\n@@\n-print(max(h0))\n+print(n0)\n',
    );
    expect(applyLineEdit(slow, edit, { localNames: true }).code).toBe(fast);
  });

  it('localNames: a hunk that would match earlier lines takes its neighbours along until it matches where it belongs', () => {
    const slow = 'v0 = int(input())\nv1 = int(input())\nprint(v1)\n';
    const fast = 'v0 = int(input())\nv1 = int(input()) + 1\nprint(v1)\n';
    const edit = lineEdit(slow, fast, { localNames: true });
    // '-h0 = int(input())' alone would replace the first line
    expect(edit).toBe('@@\n-h0 = int(input())\n-h1 = int(input())\n+h0 = int(input())\n+h1 = int(input()) + 1\n');
    expect(applyLineEdit(slow, edit, { localNames: true }).code).toBe(fast);
  });
});
