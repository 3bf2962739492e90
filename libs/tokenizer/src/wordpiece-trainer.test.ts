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

  it('limits the alphabet to the most frequent characters', () => {
    const t = trainWordPiece('aaa bbb c', { vocabSize: 9, limitAlphabet: 2, minFrequency: 1 });
    expect(t.vocabTxt().split('\n').slice(5, 9)).toEqual(['a', 'b', '##a', '##b']);
    expect(t.tokenize('c')).toEqual(['[UNK]']);
  });

  it('rejects a vocabulary smaller than specials + alphabet', () => {
    expect(() => trainWordPiece('abc', { vocabSize: 6 })).toThrow(/vocabSize must be an integer >= 11/);
  });
});
