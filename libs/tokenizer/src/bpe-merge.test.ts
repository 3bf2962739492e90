import { describe, expect, it } from 'vitest';
import { mergeWordDirect, mergeWordHeap } from './bpe-merge.js';
import { trainByteLevelBpe } from './bpe-trainer.js';
import { syntheticCorpus } from './corpus.js';
import { PairTable } from './pair-table.js';

describe('BPE merge of one word', () => {
  // Merges on symbols 0..2 (a, b, c): (a,a)->3, (3,b)->4, (b,c)->5, (a,3)->6, (4,5)->7.
  const ranks = new PairTable();
  const result = Int32Array.from([3, 4, 5, 6, 7]);
  [
    [0, 0],
    [3, 1],
    [1, 2],
    [0, 3],
    [4, 5],
  ].forEach(([a, b], r) => ranks.setIfAbsent(a, b, r));

  it('merges every occurrence of the lowest-ranked pair, left to right', () => {
    // a a a b c: (a,a) once, left first -> [3, a, b, c]; then (b,c) -> [3, a, 5]; (3,a), (a,5) never merge.
    for (const merge of [mergeWordDirect, mergeWordHeap]) {
      const w = [0, 0, 0, 1, 2];
      merge(w, ranks, result);
      expect(w).toEqual([3, 0, 5]);
      const v = [0, 0, 1, 2, 0, 0, 0, 0];
      merge(v, ranks, result);
      // a a b c a a a a -> (a,a) three times: [3, b, c, 3, 3] -> (3,b) outranks (b,c): [4, c, 3, 3].
      expect(v).toEqual([4, 2, 3, 3]);
    }
  });

  it('gives the same result both ways on long words of a trained vocabulary', () => {
    const tok = trainByteLevelBpe(syntheticCorpus({ bytes: 60_000, seed: 4 }), { vocabSize: 900 });
    const spec = tok as unknown as { pairRank: PairTable; mergeResult: Int32Array };
    let seed = 11;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const alphabet = Array.from(Buffer.from('    aeinorst_()=:\n.,0123456789'));
    for (let k = 0; k < 60; k++) {
      const len = 1 + Math.floor(rnd() * 600);
      const w = Array.from({ length: len }, () => alphabet[Math.floor(rnd() * alphabet.length)]);
      const direct = [...w];
      const heap = [...w];
      mergeWordDirect(direct, spec.pairRank, spec.mergeResult);
      mergeWordHeap(heap, spec.pairRank, spec.mergeResult);
      expect(heap).toEqual(direct);
    }
  });

  it('encodes a 200 kB digit run (one GPT-2 piece) quickly and exactly', () => {
    const tok = trainByteLevelBpe(syntheticCorpus({ bytes: 60_000, seed: 4 }), { vocabSize: 900 });
    const digits = '31415926535897932384626433832795'.repeat(6250);
    const t = Date.now();
    const ids = tok.encode(digits);
    expect(Date.now() - t).toBeLessThan(5000);
    expect(tok.decode(ids)).toBe(digits);
  });
});
