/**
 * The common face of every ecode tokenizer: byte-level BPE for code (GPT side) and WordPiece for
 * problem statements (BERT side).
 */

/** Which end of a too-long sequence loses tokens. */
export type TruncationSide = 'right' | 'left';

export interface EncodeOptions {
  /**
   * Wrap the content in the tokenizer's special tokens: `[CLS] ... [SEP]` for WordPiece,
   * `[CLS] ... <|endoftext|>` (E-code's target format) for byte-level BPE. Default: true for
   * WordPiece (as Hugging Face does), false for BPE.
   */
  addSpecialTokens?: boolean;
  /** Keep at most this many ids, special tokens included. */
  maxLength?: number;
  /** Default 'right'. */
  truncationSide?: TruncationSide;
  /**
   * Match the tokenizer's special tokens (e.g. `[PAD]`, `<|endoftext|>`) in the text before
   * pre-tokenisation, as Hugging Face does. Default true; false encodes them as ordinary text.
   */
  splitSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Drop special-token ids (pad, start, end, ...). Default false. */
  skipSpecialTokens?: boolean;
}

export type PaddingMode = 'longest' | 'max_length';

export interface BatchEncodeOptions extends EncodeOptions {
  /** 'longest' pads to the longest row; 'max_length' pads every row to maxLength. Default 'longest'. */
  padding?: PaddingMode;
  /** Default 'right'. */
  paddingSide?: 'right' | 'left';
}

export interface BatchEncoding {
  inputIds: number[][];
  /** 1 for a real token, 0 for padding. */
  attentionMask: number[][];
  /** Unpadded length of each row. */
  lengths: number[];
}

export interface Tokenizer {
  readonly kind: 'byte-level-bpe' | 'wordpiece';
  /** Number of ids (largest id + 1). */
  readonly vocabSize: number;
  /** `[PAD]`. */
  readonly padId: number;
  /** Sequence start: `[CLS]`. */
  readonly startId: number;
  /** Sequence end: `<|endoftext|>` for BPE, `[SEP]` for WordPiece. */
  readonly eosId: number;
  /** Id given to unknown pieces, or undefined where nothing can be unknown. */
  readonly unkId: number | undefined;
  /** Ids of all special tokens. */
  readonly specialIds: ReadonlySet<number>;

  encode(text: string, options?: EncodeOptions): number[];
  encodeBatch(texts: readonly string[], options?: BatchEncodeOptions): BatchEncoding;
  decode(ids: readonly number[], options?: DecodeOptions): string;
  /** The token strings the text splits into (vocabulary spelling). */
  tokenize(text: string): string[];
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** Hugging Face `tokenizer.json` form. */
  toTokenizerJson(): TokenizerJson;
  /** Hugging Face `special_tokens_map.json` form (role -> token). */
  specialTokensMap(): Record<string, string>;
}

/** The subset of Hugging Face's `tokenizer.json` that ecode reads and writes. */
export interface TokenizerJson {
  version: string;
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: Record<string, unknown> | null;
  pre_tokenizer: Record<string, unknown> | null;
  post_processor: Record<string, unknown> | null;
  decoder: Record<string, unknown> | null;
  model: Record<string, unknown>;
}

export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}
