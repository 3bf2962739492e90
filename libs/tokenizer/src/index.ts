export * from './tokenizer.js';
export { BYTE_TO_UNICODE, UNICODE_TO_BYTE, GPT2_BYTE_ORDER, bytesToUnicodeString, unicodeStringToBytes } from './byte-unicode.js';
export { utf8Encode, utf8Decode } from './utf8.js';
export { GPT2_PATTERN_SOURCE, gpt2PreTokenize, gpt2PreTokenizerRegex } from './gpt2-pretokenizer.js';
export { SpecialTokenSplitter, type TextSegment } from './special-tokens.js';
export { truncateIds, padBatch } from './batch.js';
export { ByteLevelBpeTokenizer, parseMerges, type ByteLevelBpeSpec } from './byte-level-bpe.js';
export { gpt2FilesFromRanks, parseTiktokenPackedRanks, type Gpt2Files } from './gpt2-from-ranks.js';
export { syntheticCorpus, type CorpusOptions } from './corpus.js';
