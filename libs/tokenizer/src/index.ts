/**
 * @ecode/tokenizer: byte-level BPE (GPT-2 compatible, trainable) for code and WordPiece (BERT
 * uncased compatible, trainable) for problem statements, behind one Tokenizer interface.
 */
export * from './tokenizer.js';
export { ByteLevelBpeTokenizer, parseMerges, type ByteLevelBpeSpec } from './byte-level-bpe.js';
export {
  trainByteLevelBpe,
  countPreTokenizedWords,
  BPE_PAD,
  BPE_START,
  BPE_EOS,
  type BpeTrainOptions,
} from './bpe-trainer.js';
export { ecodeGpt2Vocab, ECODE_PAD_ID, ECODE_START_ID, ECODE_EOS_ID } from './ecode-gpt2-vocab.js';
export { gpt2FilesFromRanks, parseTiktokenPackedRanks, type Gpt2Files } from './gpt2-from-ranks.js';
export { GPT2_PATTERN_SOURCE, gpt2PreTokenize, gpt2PreTokenizerRegex } from './gpt2-pretokenizer.js';
export {
  BYTE_TO_UNICODE,
  UNICODE_TO_BYTE,
  GPT2_BYTE_ORDER,
  bytesToUnicodeString,
  unicodeStringToBytes,
} from './byte-unicode.js';
export { utf8Encode, utf8Decode } from './utf8.js';
export {
  BasicTokenizer,
  isBertPunctuation,
  isCjkIdeograph,
  type BasicTokenizerOptions,
} from './bert-basic-tokenizer.js';
export {
  WordPieceTokenizer,
  WORDPIECE_SPECIALS,
  type WordPieceOptions,
  type WordPieceDecodeOptions,
} from './wordpiece.js';
export { trainWordPiece, type WordPieceTrainOptions } from './wordpiece-trainer.js';
export { SpecialTokenSplitter, type TextSegment } from './special-tokens.js';
export { truncateIds, padBatch } from './batch.js';
export { saveTokenizer, loadTokenizer, tokenizerFromJson, type AnyTokenizer, type LoadTokenizerOptions } from './io.js';
export { syntheticCorpus, type CorpusOptions } from './corpus.js';
