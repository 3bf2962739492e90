import { describe, expect, it } from 'vitest';
import { syntheticCorpus } from './corpus.js';
import { WordPieceTokenizer } from './wordpiece.js';
import { trainWordPiece } from './wordpiece-trainer.js';

describe('trainWordPiece', () => {
  it('merges the most frequent pair first, ties to the smaller symbol ids', () => {
    // Words: low x2, lower x1. Alphabet e l o r w -> ids 5..9, ##e ##l ##o ##r ##w -> 10..14.
    // (l,##o) 3 and (##o,##w) 3 tie: l (6) < ##o (12), so "lo" first; then "low" (3);
    // then (low,##e) 1 and (##e,##r) 1: ##e (10) < low (16), so "##er"; then "lower".
    const t = trainWordPiece('low low lower', { vocabSize: 19, minFrequency: 1 });
    expect([t.padId, t.unkId, t.startId, t.sepId, t.maskId]).toEqual([0, 1, 2, 3, 4]);
    expect(t.vocabTxt().split('\n').slice(5, 19)).toEqual([
      'e',
      'l',
      'o',
      'r',
      'w',
      '##e',
      '##l',
      '##o',
      '##r',
      '##w',
      'lo',
      'low',
      '##er',
      'lower',
    ]);
    expect(t.tokenize('Lower rowel lowest')).toEqual(['lower', 'r', '##o', '##w', '##e', '##l', '[UNK]']);
  });

  it('is deterministic, fills the vocabulary and round-trips lower-cased text', () => {
    const corpus = syntheticCorpus({ bytes: 120_000, seed: 5 });
    const a = trainWordPiece(corpus, { vocabSize: 1200 });
    const b = trainWordPiece(corpus, { vocabSize: 1200 });
    expect(a.vocabSize).toBe(1200);
    expect(a.vocabTxt()).toBe(b.vocabTxt());
    const again = WordPieceTokenizer.fromVocabTxt(a.vocabTxt());
    const sample = corpus.slice(0, 5000);
    expect(again.encode(sample)).toEqual(a.encode(sample));
    // Every trained word is spelled by its pieces: nothing in the corpus is unknown.
    const ids = a.encode(corpus.slice(0, 30_000), { addSpecialTokens: false });
    expect(ids.filter((id) => id === a.unkId).length).toBe(0);
    expect(a.decode(a.encode('The solution is efficient.'), { skipSpecialTokens: true })).toBe(
      'the solution is efficient.',
    );
  });

  it("with scoring 'likelihood', prefers pairs whose parts rarely occur apart", () => {
    // Words ab x3, ac x3, xy x2. Counts: a 6, ##b 3, ##c 3, x 2, ##y 2.
    // Frequency: (a,##b) 3 ties (a,##c) 3 -> ab (##b < ##c), then ac, then xy (2).
    // Likelihood: xy 2/(2*2) = 0.5 beats ab = ac = 3/(6*3); then ab (tie, ##b first); then
    // ac = 3/(3*3) with a's count down to 3.
    const corpus = 'ab ab ab ac ac ac xy xy';
    const merged = (t: { vocabTxt(): string }) => t.vocabTxt().split('\n').slice(15, 18);
    expect(merged(trainWordPiece(corpus, { vocabSize: 18, minFrequency: 1 }))).toEqual(['ab', 'ac', 'xy']);
    const lik = trainWordPiece(corpus, { vocabSize: 18, minFrequency: 1, scoring: 'likelihood' });
    expect(merged(lik)).toEqual(['xy', 'ab', 'ac']);
    // Deterministic and complete on a real-sized corpus too.
    const big = syntheticCorpus({ bytes: 60_000, seed: 8 });
    const l1 = trainWordPiece(big, { vocabSize: 900, scoring: 'likelihood' });
    const l2 = trainWordPiece(big, { vocabSize: 900, scoring: 'likelihood' });
    expect(l1.vocabTxt()).toBe(l2.vocabTxt());
    expect(l1.vocabSize).toBe(900);
    expect(l1.vocabTxt()).not.toBe(trainWordPiece(big, { vocabSize: 900 }).vocabTxt());
  });

  it('limits the alphabet to the most frequent characters', () => {
    const t = trainWordPiece('aaa bbb c', { vocabSize: 9, limitAlphabet: 2, minFrequency: 1 });
    expect(t.vocabTxt().split('\n').slice(5, 9)).toEqual(['a', 'b', '##a', '##b']);
    expect(t.tokenize('c')).toEqual(['[UNK]']);
  });

  it('rejects a vocabulary smaller than specials + alphabet', () => {
    expect(() => trainWordPiece('abc', { vocabSize: 6 })).toThrow(/vocabSize must be an integer >= 11/);
  });
});
