import { describe, expect, it } from 'vitest';
import { COST_SIZES, costFeatures, explainCost, WORK_KINDS } from './cost-features.js';

const py = (...lines: string[]) => lines.join('\n') + '\n';
/** The highest degree of one kind of work in a program. */
const degreeOf = (code: string, kind: string, line?: RegExp) =>
  Math.max(
    -1,
    ...explainCost(code)
      .filter((w) => w.kind === kind && (!line || line.test(w.line)))
      .map((w) => w.degree),
  );

describe('cost-structure features', () => {
  it('counts loop nesting over input-sized ranges, not over literal ones', () => {
    const nested = py(
      'n = int(input())',
      'a = list(map(int, input().split()))',
      'c = 0',
      'for i in range(n):',
      '    for j in range(i + 1, n):',
      '        if a[i] + a[j] == 0:',
      '            c += 1',
      'print(c)',
    );
    expect(costFeatures(nested).maxPythonDegree).toBe(2);
    const letters = py('s = input()', 'for ch in "abcdefghijklmnopqrstuvwxyz":', '    print(s.count(ch))');
    expect(degreeOf(letters, 'py', /print/)).toBe(0);
    expect(degreeOf(letters, 'scan', /count/)).toBe(1);
    expect(degreeOf(py('for k in range(3):', '    for x in a:', '        t += x'), 'py', /t \+=/)).toBe(1);
  });

  it('adds a degree per comprehension for the element, not for what is outside the brackets', () => {
    const code = py('a = list(map(int, input().split()))', 'print(sum(1 for x in a for y in a if x < y))');
    expect(degreeOf(code, 'py', /sum/)).toBe(2);
    // list(...) around a generator is one pass over the input, not one per element
    expect(degreeOf(py('v = list(map(int, (next(it) for _ in range(n))))'), 'copy', /list/)).toBe(1);
  });

  it('prices linear C work inside loops one degree up: pop(0), `in` on a list, slices, count', () => {
    const pop0 = py('q = list(range(n))', 'while q:', '    x = q.pop(0)');
    const deque = py('from collections import deque', 'q = deque(range(n))', 'while q:', '    x = q.popleft()');
    expect(degreeOf(pop0, 'copy', /pop/)).toBe(2);
    expect(degreeOf(deque, 'copy', /popleft/)).toBe(-1);
    const inList = py('seen = []', 'for w in words:', '    if w not in seen:', '        seen.append(w)');
    const inSet = py('seen = set()', 'for w in words:', '    if w not in seen:', '        seen.add(w)');
    expect(degreeOf(inList, 'scan', /not in/)).toBe(2);
    expect(degreeOf(inSet, 'scan', /not in/)).toBe(-1);
    expect(degreeOf(py('for i in range(n):', '    t = sum(a[:i])'), 'scan', /sum/)).toBe(2);
    expect(degreeOf(py('for i in range(n):', '    t = sum(a[:i])'), 'copy', /sum/)).toBe(2);
    expect(degreeOf(py('for x in a:', '    c = a.count(x)'), 'scan')).toBe(2);
    expect(degreeOf(py('s = ""', 'for x in a:', '    s += str(x)'), 'copy', /\+=/)).toBe(2);
  });

  it('prices sorting in a loop and I/O calls per execution', () => {
    expect(degreeOf(py('for q in qs:', '    b = sorted(a)'), 'sort')).toBe(2);
    expect(degreeOf(py('b = sorted(a)'), 'sort')).toBe(1);
    const perLine = py('n = int(input())', 'for _ in range(n):', '    x = int(input())', '    print(x)');
    expect(degreeOf(perLine, 'io', /input/)).toBe(1);
    expect(degreeOf(perLine, 'io', /print/)).toBe(1);
    expect(degreeOf(py('import sys', 'data = sys.stdin.read().split()', "print('\\n'.join(data))"), 'io')).toBe(0);
  });

  it('tells a halving while loop, a square-root loop and amortised pointers from a linear loop', () => {
    const bisect = py(
      'lo, hi = 0, n',
      'while lo < hi:',
      '    mid = (lo + hi) // 2',
      '    if ok(mid): hi = mid',
      '    else: lo = mid + 1',
    );
    expect(costFeatures(bisect).maxDegree).toBeLessThan(0.5);
    const sqrt = py('d = 1', 'while d * d <= x:', '    d += 1');
    expect(costFeatures(sqrt).maxDegree).toBe(0.5);
    const twoPointers = py(
      'lo = 0',
      'cur = 0',
      'for hi in range(n):',
      '    cur += a[hi]',
      '    while cur > cap:',
      '        cur -= a[lo]',
      '        lo += 1',
    );
    expect(costFeatures(twoPointers).maxPythonDegree).toBe(1);
    const stack = py(
      'st = []',
      'for i, x in enumerate(a):',
      '    while st and a[st[-1]] < x:',
      '        st.pop()',
      '    st.append(i)',
    );
    expect(costFeatures(stack).maxPythonDegree).toBe(1);
    // a pointer the outer loop resets is not amortised
    const reset = py('for i in range(n):', '    j = i', '    while j < n:', '        j += 1');
    expect(costFeatures(reset).maxPythonDegree).toBe(2);
  });

  it('prices recursion: exponential without a cache, one degree per parameter with one', () => {
    const fib = py('def f(n):', '    if n < 2: return n', '    return f(n - 1) + f(n - 2)', 'print(f(int(input())))');
    const memo = py(
      'from functools import lru_cache',
      '@lru_cache(None)',
      fib.split('\n').slice(0, 3).join('\n'),
      'print(f(30))',
    );
    const a = costFeatures(fib);
    const b = costFeatures(memo);
    expect(a.expRecursion).toBe(true);
    expect(b.expRecursion).toBe(false);
    expect(b.memoRecursion).toBe(true);
    expect(a.maxDegree).toBeGreaterThan(b.maxDegree);
    // a recursive function nobody else calls (the looprec view) is still priced as recursion
    expect(costFeatures(fib.split('\n').slice(0, 3).join('\n')).expRecursion).toBe(true);
    // a graph search guarded by a visited mark enters each node once: not exponential
    const dfs = py(
      'def dfs(u):',
      '    seen[u] = True',
      '    for v in adj[u]:',
      '        if not seen[v]:',
      '            dfs(v)',
      'dfs(0)',
    );
    expect(costFeatures(dfs).expRecursion).toBe(false);
    expect(costFeatures(dfs).maxPythonDegree).toBe(2);
    // work of a function is added where it is called: once per iteration in a loop
    const called = py('def cost(x):', '    return sum(range(x))', 'for x in a:', '    t = cost(x)');
    expect(degreeOf(called, 'scan', /sum/)).toBe(2);
  });

  it('knows itertools loops, sort keys run per element, and divide-and-conquer recursion', () => {
    expect(costFeatures(py('print(sum(1 for x, y in combinations(a, 2) if x + y == k))')).maxPythonDegree).toBe(2);
    expect(costFeatures(py('for i, j, k in product(a, b, c):', '    t += 1')).maxPythonDegree).toBe(3);
    expect(degreeOf(py('r = sorted(u, key=lambda w: (-words.count(w), w))'), 'scan', /sorted/)).toBe(2);
    const tree = py(
      'def query(node, lo, hi, l, r):',
      '    if r < lo or hi < l: return 0',
      '    mid = (lo + hi) // 2',
      '    return query(2 * node, lo, mid, l, r) + query(2 * node + 1, mid + 1, hi, l, r)',
    );
    expect(costFeatures(tree).expRecursion).toBe(false);
    // a function called outside a comprehension's element runs once, not once per element
    const once = py(
      'def run(xs):',
      '    for x in xs:',
      '        yield x',
      'print(*run([int(t) for t in input().split()]))',
    );
    expect(costFeatures(once).maxPythonDegree).toBe(1);
  });

  it('counts a loop over a part of the outer element (tokens, a row, neighbours) as one pass over the input', () => {
    expect(
      costFeatures(py('for line in sys.stdin:', '    for w in line.split():', '        t += 1')).maxPythonDegree,
    ).toBe(1);
    expect(costFeatures(py('for row in grid:', '    for x in row:', '        t += x')).maxPythonDegree).toBe(1);
    expect(costFeatures(py('for u in range(n):', '    for v in adj[u]:', '        t += v')).maxPythonDegree).toBe(1);
    expect(
      costFeatures(py('for i in range(n):', '    for j in range(i + 1, n):', '        t += 1')).maxPythonDegree,
    ).toBe(2);
    expect(costFeatures(py('for x in a:', '    for y in a:', '        t += 1')).maxPythonDegree).toBe(2);
  });

  it('prices functions nobody calls (the looprec view drops calls) and survives broken code', () => {
    const looprec = py(
      'def function1():',
      '    for var1 in var2:',
      '        for var3 in var2:',
      '            var4 += 1',
    );
    expect(costFeatures(looprec).maxPythonDegree).toBe(2);
    const randdel = py(
      'def function1(:',
      '    var2 = map(int, input)split))',
      '    for var7 in (len(var3))',
      '        var6 += var3[',
      '    printvar4)',
    );
    const f = costFeatures(randdel);
    expect(f.maxPythonDegree).toBe(1);
    expect(f.costs).toHaveLength(WORK_KINDS.length);
    for (const c of f.costs) expect(c).toHaveLength(COST_SIZES.length);
    expect(
      costFeatures('')
        .costs.flat()
        .every((x) => x === 0),
    ).toBe(true);
  });

  it('ignores loops in strings and comments', () => {
    const code = py('s = "for x in a: for y in a:"  # for i in range(n):', 'print(s)');
    expect(costFeatures(code).maxDegree).toBe(0);
  });
});
