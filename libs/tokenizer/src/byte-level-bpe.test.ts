import { describe, expect, it } from 'vitest';
import { BYTE_TO_UNICODE, GPT2_BYTE_ORDER } from './byte-unicode.js';
import { ByteLevelBpeTokenizer, parseMerges } from './byte-level-bpe.js';

/** A tiny GPT-2-style tokenizer: 256 byte ids in GPT-2 order, then three merges, then a special. */
function tiny(): ByteLevelBpeTokenizer {
  const vocab = new Map<string, number>();
  GPT2_BYTE_ORDER.forEach((b, i) => vocab.set(BYTE_TO_UNICODE[b], i));
  const merges: [string, string][] = [
    ['l', 'o'],
    ['lo', 'w'],
    ['Ġ', 'low'],
    ['e', 'r'],
  ];
  merges.forEach(([a, b], k) => vocab.set(a + b, 256 + k));
  vocab.set('<|endoftext|>', 260);
  return new ByteLevelBpeTokenizer({ vocab, merges, padToken: '<|endoftext|>', startToken: '<|endoftext|>' });
}

describe('ByteLevelBpeTokenizer', () => {
  it('applies merges by rank inside each pre-tokenised piece', () => {
    const t = tiny();
    expect(t.tokenize('lower low')).toEqual(['low', 'er', 'Ġlow']);
    expect(t.encode('lower low')).toEqual([257, 259, 258]);
    // "lolo": both occurrences of (l, o) merge in the same step.
    expect(t.tokenize('lolo')).toEqual(['lo', 'lo']);
    // Letters and digits are separate pieces, so no merge crosses them.
    expect(t.tokenize('lo1w')).toEqual(['lo', '1', 'w']);
    expect(t.vocabSize).toBe(261);
  });

  it('spells non-printable bytes with the byte-to-unicode map', () => {
    const t = tiny();
    expect(t.tokenize(' \n')).toEqual(['Ġ', 'Ċ']);
    expect(t.tokenize('é')).toEqual(['Ã', '©']);
  });

  it('matches special tokens before pre-tokenisation unless told not to', () => {
    const t = tiny();
    expect(t.encode('low<|endoftext|>low')).toEqual([257, 260, 257]);
    const plain = t.encode('<|endoftext|>', { splitSpecialTokens: false });
    expect(plain.length).toBeGreaterThan(1);
    expect(t.decode(plain)).toBe('<|endoftext|>');
    expect(t.decode([257, 260, 257], { skipSpecialTokens: true })).toBe('lowlow');
  });

  it('round-trips any JavaScript string, lone surrogates included', () => {
    const t = tiny();
    const samples = [
      '',
      'plain ascii',
      '  \t\n\r\n  trailing   ',
      'naïve café 你好 🎉👨‍👩‍👧',
      'lone high \ud800 and lone low \udfff and \udbff\udbff',
      '\ud83d',
      '\udc00x\ud800',
      '\u0000\u0001\u007f\u0085\ufeff\uffff',
    ];
    for (const s of samples) expect(t.decode(t.encode(s))).toBe(s);
    // Random UTF-16 code units, surrogates included.
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 200; k++) {
      let s = '';
      for (let i = 0; i < 20; i++) s += String.fromCharCode(Math.floor(rnd() * 0x10000));
      expect(t.decode(t.encode(s))).toBe(s);
    }
  });

  it('adds start/end ids, truncates keeping them, and pads batches with masks', () => {
    const t = tiny();
    expect(t.encode('low', { addSpecialTokens: true })).toEqual([260, 257, 260]);
    expect(t.encode('lower low low', { maxLength: 2 })).toEqual([257, 259]);
    expect(t.encode('lower low low', { maxLength: 2, truncationSide: 'left' })).toEqual([258, 258]);
    expect(t.encode('lower low low', { addSpecialTokens: true, maxLength: 4 })).toEqual([260, 257, 259, 260]);
    const batch = t.encodeBatch(['low', 'lower low'], {});
    expect(batch.inputIds).toEqual([
      [257, 260, 260],
      [257, 259, 258],
    ]);
    expect(batch.attentionMask).toEqual([
      [1, 0, 0],
      [1, 1, 1],
    ]);
    expect(batch.lengths).toEqual([1, 3]);
    const left = t.encodeBatch(['low'], { padding: 'max_length', maxLength: 3, paddingSide: 'left' });
    expect(left.inputIds).toEqual([[260, 260, 257]]);
    expect(left.attentionMask).toEqual([[0, 0, 1]]);
  });

  it('rebuilds itself from its own vocab.json and merges.txt', () => {
    const t = tiny();
    const again = ByteLevelBpeTokenizer.fromVocabAndMerges(t.vocabJson(), t.mergesTxt(), t.specialTokenOptions);
    expect(again.encode('lower lowest<|endoftext|>')).toEqual(t.encode('lower lowest<|endoftext|>'));
    expect(again.vocabSize).toBe(t.vocabSize);
  });

  it('names the bad line of a malformed merges.txt and an unknown merge side', () => {
    expect(() => parseMerges('#version: 0.2\na b\nabc\n')).toThrow(/merges.txt line 3/);
    expect(parseMerges('#version: 0.2\r\na b\r\n')).toEqual([['a', 'b']]);
    const vocab = new Map([['x', 0]]);
    expect(() => new ByteLevelBpeTokenizer({ vocab, merges: [['ab', 'c']] })).toThrow(/merge 1 .*"ab"/);
    expect(() => tiny().decode([999])).toThrow(/id 999/);
  });

  it('maps a symbol without vocabulary id to unk, or says which token when there is no unk', () => {
    const vocab = new Map<string, number>();
    GPT2_BYTE_ORDER.forEach((b, i) => vocab.set(BYTE_TO_UNICODE[b], i));
    vocab.delete('q');
    const withUnk = new ByteLevelBpeTokenizer({ vocab, merges: [], eosToken: '<|endoftext|>' });
    expect(withUnk.encode('aqa')).toEqual([vocab.get('a'), withUnk.unkId, vocab.get('a')]);
    const noUnk = new ByteLevelBpeTokenizer({ vocab, merges: [], unkToken: null });
    expect(() => noUnk.encode('q')).toThrow(/token "q" of piece "q"/);
  });
});
