import { describe, expect, it } from 'vitest';
import { ByteLevelBpeTokenizer } from './byte-level-bpe.js';
import { countPreTokenizedWords, trainByteLevelBpe } from './bpe-trainer.js';
import { syntheticCorpus } from './corpus.js';

describe('trainByteLevelBpe', () => {
  it('lays out ids as [PAD], [CLS], <|endoftext|>, extras, 256 bytes, merges', () => {
    const t = trainByteLevelBpe('aaab aab ab', { vocabSize: 264, minFrequency: 1, extraSpecialTokens: ['<mask>'] });
    expect([t.padId, t.startId, t.eosId]).toEqual([0, 1, 2]);
    expect(t.tokenToId('<mask>')).toBe(3);
    expect(t.idToToken(4)).toBe('!');
    expect(t.idToToken(4 + 255)).toBe('Ń'); // byte 0xAD, the last remapped byte
    // Words "aaab", " aab", " ab" once each. Counts: (a,a) 3, (a,b) 3, (Ġ,a) 2; the tie at 3 goes
    // to the smaller right symbol: a a. Then (a,b) 2. Then four pairs at 1: the smallest left
    // symbol (Ġ = byte 32) wins, then the smaller right one (aa before ab).
    expect(t.mergesTxt().split('\n').slice(1)).toEqual(['a a', 'a b', 'Ġ aa', 'Ġ ab', '']);
    expect(t.tokenize('aaab aab ab')).toEqual(['aa', 'ab', 'Ġaa', 'b', 'Ġab']);
    expect(t.tokenToId('Ġab')).toBe(263);
  });

  it('stops at minFrequency when the corpus runs out of repeated pairs', () => {
    const t = trainByteLevelBpe('abc abc', { vocabSize: 1000, minFrequency: 2 });
    // Pairs: (a,b) 2, (b,c) 2, (Ġ,a) 1. Merges: a b, ab c; then (Ġ, abc) has count 1 < 2.
    expect(t.mergesTxt().split('\n').slice(1, -1)).toEqual(['a b', 'ab c']);
    expect(t.vocabSize).toBe(3 + 256 + 2);
  });

  it('reaches the requested size, is deterministic, compresses and round-trips its corpus', () => {
    const corpus = syntheticCorpus({ bytes: 150_000, seed: 3 });
    const a = trainByteLevelBpe(corpus, { vocabSize: 1500 });
    const b = trainByteLevelBpe(corpus, { vocabSize: 1500 });
    expect(a.vocabSize).toBe(1500);
    expect(a.vocabJson()).toBe(b.vocabJson());
    expect(a.mergesTxt()).toBe(b.mergesTxt());
    const ids = a.encode(corpus);
    expect(a.decode(ids)).toBe(corpus);
    expect(ids.length).toBeLessThan(Buffer.byteLength(corpus) / 2.5);
    const words = countPreTokenizedWords([corpus]);
    expect(words.size).toBeGreaterThan(1000);
    // Reloading from files gives the same encoder.
    const again = ByteLevelBpeTokenizer.fromVocabAndMerges(a.vocabJson(), a.mergesTxt(), a.specialTokenOptions);
    expect(again.encode(corpus.slice(0, 20_000))).toEqual(a.encode(corpus.slice(0, 20_000)));
  });

  it('never learns from special tokens in the corpus', () => {
    const t = trainByteLevelBpe('xy[PAD]xy[PAD]xy<|endoftext|>', { vocabSize: 270 });
    expect(t.tokenize('xy[PAD]')).toEqual(['xy', '[PAD]']);
    expect(t.mergesTxt()).not.toMatch(/PAD/);
  });

  it('rejects a vocabulary smaller than specials + 256 bytes', () => {
    expect(() => trainByteLevelBpe('a', { vocabSize: 100 })).toThrow(/vocabSize must be an integer >= 259/);
  });
});
