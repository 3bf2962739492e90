import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BasicTokenizer } from './bert-basic-tokenizer.js';
import { WordPieceTokenizer } from './wordpiece.js';

// Hand-written 41-token vocab (see fixtures/README.md). Ids used below:
// 0 [PAD] 1 [UNK] 2 [CLS] 3 [SEP] 4 [MASK] 6 un 7 ##want 8 ##ed 10 , 11 runn 12 ##ing 13 . 14 !
// 15 ' 16 t 18 don 19 hello 20 world 21 cafe 22 naive 23 中 24 文 17 s 29 ab 27 ##b 28 ##c
// 32 x 33 = 34 1 35 ##2 37 - 38 e 40 ?
const vocabTxt = readFileSync(new URL('./fixtures/tiny-bert-vocab.txt', import.meta.url), 'utf8');
const bert = WordPieceTokenizer.fromVocabTxt(vocabTxt);

describe('BasicTokenizer (uncased)', () => {
  const basic = new BasicTokenizer();
  it('lower-cases, strips accents and splits punctuation', () => {
    // NFC "é" -> NFD "e" + U+0301 -> mark dropped; "," is its own token.
    expect(basic.tokenize('UNwant\u00E9d,running')).toEqual(['unwanted', ',', 'running']);
    // Decomposed input gives the same.
    expect(basic.tokenize('cafe\u0301 NAÏVE')).toEqual(['cafe', 'naive']);
    // Unicode punctuation (category P) splits too; symbols like "+" (ASCII, non-alphanumeric) as well.
    expect(basic.tokenize('a…b+c¿d')).toEqual(['a', '…', 'b', '+', 'c', '¿', 'd']);
  });
  it('drops NUL, U+FFFD and control/format characters, and turns every whitespace into a split', () => {
    expect(basic.tokenize('hel\u0000lo\u0007 wor\u200bld\ufffd')).toEqual(['hello', 'world']);
    expect(basic.tokenize('a\u00a0b\tc\nd\r\ne\u3000f\u2028g')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });
  it('spaces out CJK ideographs but not kana or hangul', () => {
    // Accent stripping NFD-decomposes hangul syllables into jamo (not marks, so they stay), as BERT does.
    expect(basic.tokenize('中文abc日本語かな한국')).toEqual([
      '中',
      '文',
      'abc',
      '日',
      '本',
      '語',
      'かな\u1112\u1161\u11ab\u1100\u116e\u11a8',
    ]);
  });
  it('keeps neverSplit tokens whole and case as they are', () => {
    const b = new BasicTokenizer({ neverSplit: ['[CLS]'] });
    expect(b.tokenize('[CLS] Hi [cls]')).toEqual(['[CLS]', 'hi', '[', 'cls', ']']);
  });
  it('keeps case and accents when cased', () => {
    expect(new BasicTokenizer({ doLowerCase: false }).tokenize('Café, OK')).toEqual(['Café', ',', 'OK']);
  });
});

describe('WordPieceTokenizer', () => {
  it('reads vocab.txt with the BERT special ids', () => {
    expect([bert.padId, bert.unkId, bert.startId, bert.sepId, bert.maskId, bert.eosId]).toEqual([0, 1, 2, 3, 4, 3]);
    expect(bert.vocabSize).toBe(41);
    expect(bert.vocabTxt()).toBe(vocabTxt);
  });

  it('splits greedily, longest match first, with ## continuations', () => {
    // "unwanted": "un" is the longest vocab prefix, then "##want", then "##ed".
    expect(bert.tokenize('UNwant\u00E9d,running')).toEqual(['un', '##want', '##ed', ',', 'runn', '##ing']);
    expect(bert.encode('UNwant\u00E9d,running')).toEqual([2, 6, 7, 8, 10, 11, 12, 3]);
    // "12" -> "1" + "##2"; "=" is punctuation.
    expect(bert.tokenize('x=12')).toEqual(['x', '=', '1', '##2']);
    // "abc": "ab" then "##c" (not "a" + "##b" + "##c").
    expect(bert.tokenize('abc')).toEqual(['ab', '##c']);
    expect(bert.tokenize("Don't")).toEqual(['don', "'", 't']);
    expect(bert.tokenize('中文s')).toEqual(['中', '文', 's']);
  });

  it('gives [UNK] for a word with an unmatched part, or longer than 100 characters', () => {
    // "abx": "ab" matches, "##x" does not: the whole word is [UNK], not "ab" + [UNK].
    expect(bert.tokenize('abx e-mail?')).toEqual(['[UNK]', 'e', '-', '[UNK]', '?']);
    expect(bert.tokenize('a' + 'b'.repeat(99))).toEqual(['ab', ...new Array(98).fill('##b')]);
    expect(bert.tokenize('a' + 'b'.repeat(100))).toEqual(['[UNK]']);
    expect(bert.tokenize('hello…world')).toEqual(['hello', '[UNK]', 'world']);
  });

  it('matches special tokens case-sensitively before basic tokenisation', () => {
    expect(bert.encode('[CLS] hello [MASK].', { addSpecialTokens: false })).toEqual([2, 19, 4, 13]);
    expect(bert.encode('hello[SEP]world')).toEqual([2, 19, 3, 20, 3]);
    expect(bert.tokenize('[mask]')).toEqual(['[UNK]', '[UNK]', '[UNK]']);
  });

  it('truncates inside [CLS] ... [SEP] and pads batches with [PAD] = 0 and masks', () => {
    expect(bert.encode('hello world!', { maxLength: 4 })).toEqual([2, 19, 20, 3]);
    expect(bert.encode('hello world!', { maxLength: 4, truncationSide: 'left' })).toEqual([2, 20, 14, 3]);
    const batch = bert.encodeBatch(['hello', 'hello world!']);
    expect(batch.inputIds).toEqual([
      [2, 19, 3, 0, 0],
      [2, 19, 20, 14, 3],
    ]);
    expect(batch.attentionMask).toEqual([
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1],
    ]);
    const fixed = bert.encodeBatch(['hello world! hello'], { padding: 'max_length', maxLength: 5 });
    expect(fixed.inputIds).toEqual([[2, 19, 20, 14, 3]]);
  });

  it('decodes as Hugging Face does: ## glued, spaces before punctuation cleaned up', () => {
    const ids = bert.encode("UNwant\u00E9d,running. Don't!");
    expect(bert.decode(ids)).toBe("[CLS] unwanted, running. don't! [SEP]");
    expect(bert.decode(ids, { skipSpecialTokens: true })).toBe("unwanted, running. don't!");
    expect(bert.decode(ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: false })).toBe(
      "unwanted , running . don ' t !",
    );
    expect(() => bert.decode([41])).toThrow(/id 41/);
  });

  it('refuses a vocab without the BERT special tokens', () => {
    expect(() => WordPieceTokenizer.fromVocabTxt('[PAD]\n[UNK]\nhello\n')).toThrow(/lacks the special token \[CLS\]/);
  });
});
