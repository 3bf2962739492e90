/**
 * Trains a byte-level BPE tokenizer from a corpus: GPT-2 pre-tokenisation, words counted, then
 * the most frequent adjacent pair merged until the vocabulary reaches the chosen size.
 *
 * Id layout of the result: `[PAD]` = 0, `[CLS]` = 1, `<|endoftext|>` = 2, then any extra special
 * tokens, then the 256 byte symbols (in GPT-2's byte order), then the merges in order.
 */
import { BYTE_TO_UNICODE, GPT2_BYTE_ORDER } from './byte-unicode.js';
import { ByteLevelBpeTokenizer } from './byte-level-bpe.js';
import { gpt2PreTokenizerRegex } from './gpt2-pretokenizer.js';
import { runPairMerges } from './pair-merge-trainer.js';
import { SpecialTokenSplitter } from './special-tokens.js';
import { pushUtf8 } from './utf8.js';

export interface BpeTrainOptions {
  /** Total ids wanted, special tokens and the 256 bytes included. */
  vocabSize: number;
  /** Pairs seen fewer times are never merged (training may then stop short of vocabSize). Default 2. */
  minFrequency?: number;
  /** Special tokens after `[PAD]`, `[CLS]`, `<|endoftext|>`. */
  extraSpecialTokens?: readonly string[];
}

export const BPE_PAD = '[PAD]';
export const BPE_START = '[CLS]';
export const BPE_EOS = '<|endoftext|>';

/** Counts GPT-2 pre-tokenised pieces across the texts, special tokens split off and not counted. */
export function countPreTokenizedWords(
  texts: Iterable<string>,
  specialTokens: readonly string[] = [],
): Map<string, number> {
  const splitter = new SpecialTokenSplitter(new Map(specialTokens.map((t, i) => [t, i])));
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const seg of splitter.split(text)) {
      if (seg.special) continue;
      const re = gpt2PreTokenizerRegex();
      for (let m = re.exec(seg.text); m !== null; m = re.exec(seg.text)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    }
  }
  return counts;
}

export function trainByteLevelBpe(texts: Iterable<string> | string, options: BpeTrainOptions): ByteLevelBpeTokenizer {
  const specials = [BPE_PAD, BPE_START, BPE_EOS];
  for (const t of options.extraSpecialTokens ?? []) {
    if (specials.includes(t)) throw new Error(`extraSpecialTokens: ${JSON.stringify(t)} is listed twice`);
    specials.push(t);
  }
  const base = specials.length + 256;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < base) {
    throw new Error(`vocabSize must be an integer >= ${base} (specials + 256 bytes), got ${options.vocabSize}`);
  }
  const wordCounts = countPreTokenizedWords(typeof texts === 'string' ? [texts] : texts, specials);
  const words: number[][] = [];
  const counts: number[] = [];
  for (const [w, c] of wordCounts) {
    const bytes: number[] = [];
    pushUtf8(w, bytes);
    words.push(bytes);
    counts.push(c);
  }

  // Symbols 0..255 are bytes; merges add symbols from 256 on.
  const spelling: string[] = [...BYTE_TO_UNICODE];
  const symbolOf = new Map<string, number>(spelling.map((s, i) => [s, i]));
  const merges: [string, string][] = [];
  let vocabLeft = options.vocabSize - base;
  const specialSet = new Set(specials);
  runPairMerges({
    words,
    counts,
    minFrequency: options.minFrequency,
    merge: (a, b) => {
      if (vocabLeft <= 0) return -1;
      const s = spelling[a] + spelling[b];
      merges.push([spelling[a], spelling[b]]);
      let id = symbolOf.get(s);
      if (id === undefined) {
        id = spelling.length;
        spelling.push(s);
        symbolOf.set(s, id);
        // A merge spelled like a special token gets no id of its own (the special token owns it).
        if (!specialSet.has(s)) vocabLeft--;
      }
      return id;
    },
  });

  const vocab = new Map<string, number>();
  specials.forEach((t, i) => vocab.set(t, i));
  GPT2_BYTE_ORDER.forEach((b, i) => vocab.set(BYTE_TO_UNICODE[b], specials.length + i));
  let next = base;
  for (let s = 256; s < spelling.length; s++) if (!vocab.has(spelling[s])) vocab.set(spelling[s], next++);
  return new ByteLevelBpeTokenizer({
    vocab,
    merges,
    specialTokens: specials,
    padToken: BPE_PAD,
    startToken: BPE_START,
    eosToken: BPE_EOS,
    unkToken: null,
  });
}
