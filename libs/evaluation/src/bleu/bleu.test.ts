import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeBleu, corpusBleu, sampleBleu, sentenceBleu, meanSampleBleu } from './sacrebleu.js';
import { tokenize13a } from './tokenize-13a.js';
import { lineBleu, lineBleuDetail, pyRound2 } from './line-bleu.js';

// Expected values: sacreBLEU's own test suite (test/test_bleu.py, test/test_sentence_bleu.py)
// and its README example.
const refs = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('sacreBLEU corpus BLEU', () => {
  it('matches the README example (48.530827, 13a, exp)', () => {
    const b = corpusBleu(hyps, refs);
    expect(b.score).toBeCloseTo(48.530827, 6);
    expect(b.sysLen).toBe(17);
    expect(b.refLen).toBe(18);
    expect(b.precisions.map((p) => Math.round(p * 10) / 10)).toEqual([82.4, 50, 45.5, 37.5]);
  });
  it('keeps empty hypotheses (score 0)', () => {
    expect(corpusBleu(['', '', ''], refs).score).toBe(0);
  });
  it('tokenize none gives 49.1919566; smooth none 48.530827', () => {
    expect(corpusBleu(hyps, refs, { tokenize: 'none' }).score).toBeCloseTo(49.1919566, 6);
    expect(corpusBleu(hyps, refs, { smoothMethod: 'none' }).score).toBeCloseTo(48.530827, 6);
  });
  it('raw_corpus_bleu cases (tokenize none, floor 0.01, effective order)', () => {
    const raw = (h: string[], r: string[], v: number | null = 0.01) =>
      corpusBleu(h, [r], { tokenize: 'none', smoothMethod: 'floor', smoothValue: v ?? undefined, effectiveOrder: true })
        .score / 100;
    // sacreBLEU >= 2 returns 0 when nothing matches (issue #141); 1.x gave 0.0037991784
    expect(raw(['this is a test', 'another test'], ['ref1', 'ref2'])).toBe(0);
    expect(raw(['this is a test'], ['this is a test'])).toBeCloseTo(1, 12);
    expect(raw(['this is a fest'], ['this is a test'])).toBeCloseTo(0.223606797749979, 12);
    expect(raw(['test'], ['a test'])).toBeCloseTo(0.3678794411714425, 12);
    expect(raw(['a test'], ['a test'])).toBeCloseTo(1, 12);
    expect(raw(['a little test'], ['a test'])).toBeCloseTo(0.03218297948685433, 12);
    expect(raw(['am I am a character sequence'], ['I am a symbol string sequence a a'], 0)).toBe(0);
    expect(raw(['am I am a character sequence'], ['I am a symbol string sequence a a'], null)).toBeCloseTo(
      0.1555722182,
      9,
    );
  });
  it('max n-gram order 1..6 (77.65 .. 43.28)', () => {
    const got = [1, 2, 3, 4, 5, 6].map((o) => corpusBleu(hyps, refs, { maxNgramOrder: o }).score.toFixed(2));
    expect(got).toEqual(['77.65', '60.50', '53.93', '48.53', '46.14', '43.28']);
  });
  it('statistics and scoring', () => {
    const b = corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], {
      tokenize: 'none',
    });
    expect(b.counts).toEqual([4, 2, 1, 0]);
    expect(b.totals).toEqual([6, 5, 4, 3]);
    expect(computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score / 100).toBeCloseTo(0.8375922397, 9);
  });
  it('degenerate statistics score 0', () => {
    const f = (c: number[], t: number[], s: number, r: number, v: number) =>
      computeBleu(c, t, s, r, { smoothMethod: 'floor', smoothValue: v }).score;
    expect(f([0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0)).toBe(0);
    expect(f([0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0)).toBe(0);
    expect(f([0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0)).toBe(0);
    expect(f([6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0)).toBe(0);
    expect(f([0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01)).toBe(0);
  });
});

describe('sacreBLEU sentence BLEU (issue #98 example)', () => {
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  const cases: Array<[Parameters<typeof sentenceBleu>[2], number]> = [
    [{ smoothMethod: 'exp' }, 8.493],
    [{ smoothMethod: 'none' }, 0.0],
    [{ smoothMethod: 'floor' }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.1 }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.5 }, 10.1],
    [{ smoothMethod: 'add-k' }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 1 }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 2 }, 21.389],
    [{ smoothMethod: 'exp', tokenize: 'none' }, 7.347],
  ];
  for (const [opts, expected] of cases) {
    it(`${JSON.stringify(opts)} -> ${expected}`, () => {
      expect(Math.abs(sentenceBleu(SYS, [REF], opts).score - expected)).toBeLessThan(1e-3);
    });
  }
  it('zero-match example (#141) scores 0 under every smoothing', () => {
    for (const m of ['exp', 'none', 'floor', 'add-k'] as const) {
      expect(sentenceBleu('this is a cat', ['okay thanks'], { smoothMethod: m }).score).toBe(0);
    }
  });
});

describe('13a tokenizer and per-sample BLEU', () => {
  it('splits punctuation but keeps decimals and digit commas', () => {
    expect(tokenize13a('print(a[i]+1.5, x)')).toBe('print ( a [ i ] + 1.5 , x )');
    expect(tokenize13a('a &lt;b&gt; 3-4 end.')).toBe('a < b > 3 - 4 end .');
    expect(tokenize13a('x = 1,000')).toBe('x = 1,000');
    // apostrophes and hyphens between letters stay; underscores and brackets split (mteval-v13a)
    expect(tokenize13a("It wasn't well-known.")).toBe("It wasn't well-known .");
    expect(tokenize13a('my_var[i]=a.b')).toBe('my _ var [ i ] = a . b');
    expect(tokenize13a('line-\nbreak')).toBe('linebreak');
  });
  it('sampleBleu is corpus_score on one pair (no effective order), mean over samples', () => {
    // "a test" vs "a test": 2 tokens, orders 3 and 4 have no n-grams -> total 0 -> precision 0 -> 0
    expect(sampleBleu('a test', 'a test')).toBe(0);
    expect(sentenceBleu('a test', ['a test']).score).toBeCloseTo(100, 10);
    const code = 'n = int(input())\nprint(n * 2)\n';
    expect(sampleBleu(code, code)).toBeCloseTo(100, 10);
    expect(
      meanSampleBleu([
        { generated: code, reference: code },
        { generated: 'a test', reference: 'a test' },
      ]),
    ).toBeCloseTo(50, 10);
  });
});

describe('lineBleu (the original "CodeBLEU")', () => {
  const fixture = JSON.parse(readFileSync(new URL('../../fixtures/line_bleu.json', import.meta.url), 'utf8')) as {
    cases: Array<{ reference: string; hypothesis: string; line_bleu: number; original_raises?: string }>;
  };
  it('has the 45 fixture pairs', () => expect(fixture.cases.length).toBe(45));
  it('matches every fixture pair exactly', () => {
    const bad = fixture.cases
      .map((c, i) => ({ i, got: lineBleu(c.reference, c.hypothesis), want: c.line_bleu }))
      .filter((r) => r.got !== r.want);
    expect(bad).toEqual([]);
  });
  it('flags the cases where the original raises', () => {
    for (const c of fixture.cases) {
      expect(lineBleuDetail(c.reference, c.hypothesis).originalRaises).toBe(c.original_raises);
    }
  });
  it('rounds like Python round(x, 2)', () => {
    expect(pyRound2(0.125)).toBe(0.12);
    expect(pyRound2(0.375)).toBe(0.38);
    expect(pyRound2(2.675)).toBe(2.67); // 2.675 is stored below the tie
    expect(pyRound2(18.7649)).toBe(18.76);
  });
});
