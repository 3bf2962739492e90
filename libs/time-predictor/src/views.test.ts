import { describe, expect, it } from 'vitest';
import { deriveViews, parseViews, randomDelete } from './views.js';

const PROGRAM = [
  'import sys',
  'data = sys.stdin.read().split()',
  'n = int(data[0])',
  'def fib(k):',
  '    if k < 2:',
  '        return k',
  '    return fib(k - 1) + fib(k - 2)',
  'total = 0',
  'for i in range(n):',
  '    total += fib(i)',
  'res = sorted(data, key=lambda v: len(v))',
  'print(total, res.count(1), fib(k=3))',
  '',
].join('\n');

describe('views (python ast + tokenize)', () => {
  it('renames user identifiers in order of definition, keeping attributes, imports and foreign keywords', async () => {
    const [r] = await parseViews([PROGRAM]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.views.uni).toBe(
      [
        'import sys',
        'var1 = sys.stdin.read().split()',
        'var2 = int(var1[0])',
        'def function1(var3):',
        '    if var3 < 2:',
        '        return var3',
        '    return function1(var3 - 1) + function1(var3 - 2)',
        'var4 = 0',
        'for var5 in range(var2):',
        '    var4 += function1(var5)',
        'var6 = sorted(var1, key=lambda var7: len(var7))',
        'print(var4, var6.count(1), function1(var3=3))',
        '',
      ].join('\n'),
    );
  });

  it('keeps only loops and recursive functions in looprec', async () => {
    const [r] = await parseViews([PROGRAM]);
    if (!r.ok) throw new Error(r.error);
    expect(r.views.looprec).toBe(
      [
        'def function1(var3):',
        '    if var3 < 2:',
        '        return var3',
        '    return function1(var3 - 1) + function1(var3 - 2)',
        'for var5 in range(var2):',
        '    var4 += function1(var5)',
        '',
      ].join('\n'),
    );
    const [flat] = await parseViews(['x = 1\nprint(x)\n']);
    expect(flat.ok && flat.views.looprec).toBe('');
  });

  it('gives token spans that cover exactly the tokens (non-ASCII included)', async () => {
    const code = "s = 'é😀'\nprint(s)\n";
    const [r] = await parseViews([code]);
    if (!r.ok) throw new Error(r.error);
    expect(r.views.spans.map(([a, b]) => r.views.uni.slice(a, b))).toEqual([
      'var1',
      '=',
      "'é😀'",
      'print',
      '(',
      'var1',
      ')',
    ]);
  });

  it('reports code Python cannot parse instead of failing the batch', async () => {
    const rs = await parseViews(['def f(:\n', 'print(1)\n']);
    expect(rs[0]).toEqual({ ok: false, error: expect.stringMatching(/^SyntaxError/) });
    expect(rs[1].ok).toBe(true);
  });

  it('deletes round(fraction * tokens) tokens, the same ones for the same seed and key', () => {
    const code = 'a b c d e f g h i j';
    const spans: [number, number][] = code.split(' ').map((_, i) => [2 * i, 2 * i + 1]);
    const once = randomDelete(code, spans, 0.2, 5, 'row-1');
    expect(once).toBe(randomDelete(code, spans, 0.2, 5, 'row-1'));
    expect(once.replace(/ /g, '').length).toBe(8);
    const others = new Set([1, 2, 3, 4, 5, 6].map((s) => randomDelete(code, spans, 0.2, s, 'row-1')));
    expect(others.size).toBeGreaterThan(1);
    expect(randomDelete(code, spans, 0, 5, 'k')).toBe(code);
    expect(randomDelete(code, spans, 1, 5, 'k').trim()).toBe('');
  });

  it('derives all four views', async () => {
    const [v] = await deriveViews([{ key: 'p#0', code: PROGRAM }], { seed: 1 });
    if (!v.ok) throw new Error(v.error);
    expect(v.views.ori).toBe(PROGRAM);
    expect(v.views.uni).toContain('function1');
    expect(v.views.randdel.length).toBeLessThan(v.views.uni.length);
  });
});
