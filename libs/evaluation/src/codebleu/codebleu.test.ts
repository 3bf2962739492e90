import { describe, expect, it } from 'vitest';
import { codeBleu, corpusCodeBleu, perProgramCodeBleu } from './codebleu.js';
import { ngramMatch, weightedNgramMatch } from './ngram.js';
import { PYTHON_KEYWORDS } from './python-keywords.js';
import { loadPythonParser } from './python-parser.js';
import { dataFlow, normalizeDataflow } from './dataflow-match.js';
import { subtreeSexps } from './syntax-match.js';
import { removeCommentsAndDocstrings } from './tree-utils.js';

const split = (s: string) => s.split(/\s+/).filter(Boolean);

describe('CodeBLEU n-gram parts', () => {
  it('NLTK corpus BLEU: the doc example 0.5920 (hyp1 vs 3 refs, hyp2 vs 1 ref)', () => {
    const hyp1 = split(
      'It is a guide to action which ensures that the military always obeys the commands of the party',
    );
    const r1a = split('It is a guide to action that ensures that the military will forever heed Party commands');
    const r1b = split(
      'It is the guiding principle which guarantees the military forces always being under the command of the Party',
    );
    const r1c = split('It is the practical guide for the army always to heed the directions of the party');
    const hyp2 = split('he read the book because he was interested in world history');
    const r2a = split('he was interested in world history because he read the book');
    expect(ngramMatch([[r1a, r1b, r1c], [r2a]], [hyp1, hyp2])).toBeCloseTo(0.5920778868801042, 12);
  });
  it('weighted n-gram: keywords weigh 1, other unigrams 0.2, recall against the reference', () => {
    // ref: def f ( x ) : return x  (9 tokens; keywords def, return)
    // hyp: def g ( x ) : pass       (8 tokens)
    const ref = split('def f ( x ) : return x');
    const hyp = split('def g ( x ) : pass');
    // unigrams: ref weights def 1, return 1, others 0.2 x6 tokens (f ( x ) : x) -> total 1+1+0.2*6 = 3.2
    // matched: def 1, ( .2, x .2 (ref count 2, hyp 1), ) .2, : .2 -> 1.8
    // bigrams: ref 7, matched "( x", "x )", ") :" -> 3; trigrams ref 6, matched "( x )", "x ) :" -> 2;
    // 4-grams ref 5, matched "( x ) :" -> 1; bp = exp(1 - 8/7)
    const expected =
      Math.exp(1 - 8 / 7) *
      Math.exp(0.25 * (Math.log(1.8 / 3.2) + Math.log(3 / 7) + Math.log(2 / 6) + Math.log(1 / 5)));
    expect(weightedNgramMatch([[ref]], [hyp], PYTHON_KEYWORDS)).toBeCloseTo(expected, 12);
  });
});

describe('CodeBLEU tree parts (tree-sitter-python)', () => {
  it('subtrees and data flow of a small function', async () => {
    const parser = await loadPythonParser();
    const tree = parser.parse('def foo ( x ) :\n    return x')!;
    // module, function_definition, parameters, block, return_statement
    expect(subtreeSexps(tree.rootNode).length).toBe(5);
    // x (param, token 3) and x (returned, token 7) comes from it
    expect(dataFlow(tree.rootNode)).toEqual([
      ['x', 3, 'comesFrom', [], []],
      ['x', 7, 'comesFrom', ['x'], [3]],
    ]);
    expect(normalizeDataflow(dataFlow(tree.rootNode))).toEqual([
      ['var_0', 'comesFrom', []],
      ['var_0', 'comesFrom', ['var_0']],
    ]);
    tree.delete();
  });
  it('assignments are computedFrom their right-hand side', async () => {
    const parser = await loadPythonParser();
    const tree = parser.parse('a = 1\nb = a + 2\nprint(b)')!;
    const flows = dataFlow(tree.rootNode);
    // tokens: a0 =1 12 b3 =4 a5 +6 27 print8 (9 b10 )11; literals count as variables (as in CodeXGLUE)
    expect(flows).toEqual([
      ['a', 0, 'computedFrom', ['1'], [2]],
      ['1', 2, 'comesFrom', [], []],
      ['b', 3, 'computedFrom', ['a', '2'], [5, 7]],
      ['a', 5, 'comesFrom', ['a'], [0]],
      ['2', 7, 'comesFrom', [], []],
      ['b', 10, 'comesFrom', ['b'], [3]],
    ]);
    tree.delete();
  });
  it('loops and branches: same flow under renaming matches fully, a changed flow does not', async () => {
    const ref =
      'n = int(input())\ns = 0\nfor i in range(n):\n    if i % 2:\n        s += i\n    else:\n        s -= 1\nwhile s > 10:\n    s //= 2\nprint(s)\n';
    const renamed = ref.replace(/\bs\b/g, 'total').replace(/\bi\b/g, 'k');
    const changed = ref.replace('print(s)', 'print(n)').replace('s += i', 's += n');
    const parser = await loadPythonParser();
    const tree = parser.parse(ref)!;
    const flows = dataFlow(tree.rootNode);
    // the loop makes s at "s += i" depend on itself from the previous iteration and on s = 0
    const sPlus = flows.find((f) => f[0] === 's' && f[2] === 'computedFrom' && f[3].includes('i'));
    expect(sPlus).toBeDefined();
    tree.delete();
    expect((await codeBleu(ref, renamed)).dataflowMatch).toBe(1);
    const c = await codeBleu(ref, changed);
    expect(c.dataflowMatch).toBeLessThan(1);
    expect(c.dataflowMatch).toBeGreaterThan(0.5);
  });
  it('drops comments and docstrings before the tree parts', async () => {
    const parser = await loadPythonParser();
    const src = 'def f():\n    """doc"""\n    # note\n    return 1  # one\n';
    const tree = parser.parse(src)!;
    expect(removeCommentsAndDocstrings(src, tree.rootNode)).toBe('def f():\n    return 1  ');
    tree.delete();
  });
});

describe('CodeBLEU (k4black/codebleu test expectations, tolerance 10%)', () => {
  const cases: Array<[string, string, number]> = [
    ['def bar ( y , x ) :\n    a = x * x\n    return a', 'def foo ( x ) :\n    return x', 0.4],
    ['def foo ( x ) :\n    return x * x', 'def bar ( x ) :\n    return x', 0.6],
    ['def bar ( x ) :\n    return x', 'def foo ( x ) :\n    return x', 0.8],
    ['def foo ( x ) :\n    return x', 'def foo ( x ) :\n    return x', 1.0],
  ];
  for (const [pred, ref, want] of cases) {
    it(`${JSON.stringify(pred)} -> ~${want}`, async () => {
      const r = await codeBleu(ref, pred);
      expect(Math.abs(r.codeBleu - want)).toBeLessThanOrEqual(want * 0.1);
    });
  }
  it('identical code scores exactly 1 with every component 1', async () => {
    const code = 'n = int(input())\na = [int(x) for x in input().split()]\nprint(sum(a) * n)\n';
    expect(await codeBleu(code, code)).toEqual({
      codeBleu: 1,
      ngramMatch: 1,
      weightedNgramMatch: 1,
      syntaxMatch: 1,
      dataflowMatch: 1,
      dataflowEmpty: false,
    });
  });
  it('renaming keeps syntax and data-flow match at 1 but lowers the n-gram parts', async () => {
    const r = await codeBleu('def foo ( x ) :\n    return x', 'def bar ( y ) :\n    return y');
    expect(r.dataflowMatch).toBe(1);
    expect(r.syntaxMatch).toBe(1);
    expect(r.ngramMatch).toBeLessThan(0.6);
  });
  it('k4black expectations that rely on its "no data flow counts 1" rule', async () => {
    const k4 = { dataflowWhenEmpty: 1 } as const;
    const random = await codeBleu('def test ( ) :\n pass', 'some rannnndom words in length more than 3', k4);
    expect(random.codeBleu).toBeCloseTo(0.25, 12);
    for (const refs of [
      ['def bar ( x ) : pass', 'def foo ( x ) : pass'],
      ['def foo ( x ) : pass', 'def bar ( x ) : pass'],
    ]) {
      const r = await corpusCodeBleu([refs], ['def foo ( x ) : pass'], k4);
      expect(Math.abs(r.codeBleu - 0.95)).toBeLessThanOrEqual(0.95 * 0.01);
    }
  });
  it('multiple references and a corpus; no data flow is flagged', async () => {
    const r = await corpusCodeBleu([['def bar ( x ) : pass', 'def foo ( x ) : pass']], ['def foo ( x ) : pass']);
    expect(r.ngramMatch).toBe(1);
    const noFlow = await codeBleu('pass', 'print ( 1 )');
    expect(noFlow.dataflowEmpty).toBe(true);
    expect(noFlow.dataflowMatch).toBe(0);
  });
  it('per program, x100, undefined without sources', async () => {
    const v = await perProgramCodeBleu([
      { problemId: 'a', verdicts: ['pass'], generated: 'x = 1\nprint(x)', reference: 'x = 1\nprint(x)' },
      { problemId: 'b', verdicts: ['pass'] },
    ]);
    // identical, but the weighted unigram denominator is max(1, 4 x 0.2) = 1 (CodeXGLUE's rule),
    // so the weighted part is 0.8^(1/4) and CodeBLEU = (3 + 0.8^0.25) / 4
    expect(v[0]).toBeCloseTo((100 * (3 + 0.8 ** 0.25)) / 4, 10);
    expect(v[1]).toBeUndefined();
  });
});
