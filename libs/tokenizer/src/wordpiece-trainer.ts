/**
 * Trains a WordPiece vocabulary the way Hugging Face's WordPieceTrainer does: BasicTokenizer
 * words are split into characters (every character after the first carries `##`), and the most
 * frequent adjacent pair (or, with scoring 'likelihood', the pair whose parts most rarely occur
 * apart) is merged until the vocabulary is full (`a` + `##b` -> `ab`,
 * `##a` + `##b` -> `##ab`). Ties go to the smaller symbol ids; symbols are numbered in code-point
 * order, so training is deterministic.
 *
 * Id layout: `[PAD]` = 0, `[UNK]` = 1, `[CLS]` = 2, `[SEP]` = 3, `[MASK]` = 4, extra specials,
 * the alphabet (word-initial characters, then `##` characters, each in code-point order), merges.
 */
import { BasicTokenizer } from './bert-basic-tokenizer.js';
import { runPairMerges } from './pair-merge-trainer.js';
import { SpecialTokenSplitter } from './special-tokens.js';
import { WORDPIECE_SPECIALS, WordPieceTokenizer, type WordPieceOptions } from './wordpiece.js';

export interface WordPieceTrainOptions extends WordPieceOptions {
  /** Total ids wanted, special tokens and the alphabet included. */
  vocabSize: number;
  /** Pairs seen fewer times are never merged. Default 2. */
  minFrequency?: number;
  /**
   * 'frequency' (default, as Hugging Face's WordPieceTrainer): the most frequent pair first.
   * 'likelihood' (the original WordPiece criterion): the pair with the highest
   * count(ab) / (count(a) * count(b)) first.
   */
  scoring?: 'frequency' | 'likelihood';
  /**
   * Keep only the most frequent characters (ties by code point); words using others are left out
   * of training and encode as [UNK]. Default 1000, as Hugging Face's BertWordPieceTokenizer.
   */
  limitAlphabet?: number;
}

function byCodePoint(a: string, b: string): number {
  const ca = Array.from(a).map((c) => c.codePointAt(0) as number);
  const cb = Array.from(b).map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i] - cb[i];
  return ca.length - cb.length;
}

export function trainWordPiece(texts: Iterable<string> | string, options: WordPieceTrainOptions): WordPieceTokenizer {
  const prefix = options.continuingSubwordPrefix ?? '##';
  const maxChars = options.maxInputCharsPerWord ?? 100;
  const specials = [...WORDPIECE_SPECIALS, ...(options.extraSpecialTokens ?? [])];
  const basic = new BasicTokenizer({ ...options, neverSplit: specials });
  const splitter = new SpecialTokenSplitter(new Map(specials.map((t, i) => [t, i])));

  const wordCounts = new Map<string, number>();
  for (const text of typeof texts === 'string' ? [texts] : texts) {
    for (const seg of splitter.split(text)) {
      if (seg.special) continue;
      for (const w of basic.tokenize(seg.text)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
    }
  }

  // Alphabet, optionally limited to the most frequent characters.
  const charCounts = new Map<string, number>();
  for (const [w, c] of wordCounts) {
    const chars = Array.from(w);
    if (chars.length > maxChars) continue;
    for (const ch of chars) charCounts.set(ch, (charCounts.get(ch) ?? 0) + c);
  }
  let alphabet = [...charCounts.keys()];
  const limit = options.limitAlphabet ?? 1000;
  if (alphabet.length > limit) {
    alphabet.sort((a, b) => (charCounts.get(b) as number) - (charCounts.get(a) as number) || byCodePoint(a, b));
    alphabet = alphabet.slice(0, limit);
  }
  const kept = new Set(alphabet);

  const spelling: string[] = [];
  const symbolOf = new Map<string, number>();
  const symbol = (s: string): number => {
    let id = symbolOf.get(s);
    if (id === undefined) {
      id = spelling.length;
      spelling.push(s);
      symbolOf.set(s, id);
    }
    return id;
  };
  const initial = [...new Set(alphabet)].sort(byCodePoint);
  for (const ch of initial) symbol(ch);
  for (const ch of initial) symbol(prefix + ch);

  const words: number[][] = [];
  const counts: number[] = [];
  for (const [w, c] of wordCounts) {
    const chars = Array.from(w);
    if (chars.length > maxChars || chars.some((ch) => !kept.has(ch))) continue;
    words.push(chars.map((ch, i) => symbolOf.get(i === 0 ? ch : prefix + ch) as number));
    counts.push(c);
  }

  const base = specials.length + spelling.length;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < base) {
    throw new Error(`vocabSize must be an integer >= ${base} (specials + alphabet), got ${options.vocabSize}`);
  }
  const specialSet = new Set(specials);
  let left = options.vocabSize - base;
  runPairMerges({
    words,
    counts,
    minFrequency: options.minFrequency,
    score: options.scoring === 'likelihood' ? 'likelihood' : 'count',
    merge: (a, b) => {
      if (left <= 0) return -1;
      const s = spelling[a] + spelling[b].slice(prefix.length);
      const known = symbolOf.has(s);
      const id = symbol(s);
      if (!known && !specialSet.has(s)) left--;
      return id;
    },
  });

  const vocab = new Map<string, number>();
  specials.forEach((t, i) => vocab.set(t, i));
  for (const s of spelling) if (!vocab.has(s)) vocab.set(s, vocab.size);
  return new WordPieceTokenizer(vocab, options);
}
