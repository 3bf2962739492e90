/**
 * WordPiece as BERT (uncased) has it: special tokens split off, BasicTokenizer, then greedy
 * longest-match-first over each word with `##` marking a continuation; a word longer than
 * maxInputCharsPerWord characters, or one with a part that matches nothing, becomes `[UNK]`.
 */
import { padBatch, wrapAndTruncate } from './batch.js';
import { BasicTokenizer, type BasicTokenizerOptions } from './bert-basic-tokenizer.js';
import { SpecialTokenSplitter } from './special-tokens.js';
import type {
  AddedTokenJson,
  BatchEncodeOptions,
  BatchEncoding,
  DecodeOptions,
  EncodeOptions,
  Tokenizer,
  TokenizerJson,
} from './tokenizer.js';

export interface WordPieceOptions extends Omit<BasicTokenizerOptions, 'neverSplit'> {
  /** Default 100. */
  maxInputCharsPerWord?: number;
  /** Default `##`. */
  continuingSubwordPrefix?: string;
  /** Special tokens besides [PAD], [UNK], [CLS], [SEP], [MASK] (they must be in the vocab). */
  extraSpecialTokens?: readonly string[];
}

export interface WordPieceDecodeOptions extends DecodeOptions {
  /** Hugging Face's clean_up_tokenization_spaces (" ." -> ".", " n't" -> "n't", ...). Default true. */
  cleanUpTokenizationSpaces?: boolean;
}

export const WORDPIECE_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

export class WordPieceTokenizer implements Tokenizer {
  readonly kind = 'wordpiece' as const;
  readonly vocabSize: number;
  readonly padId: number;
  readonly startId: number;
  readonly eosId: number;
  readonly unkId: number;
  readonly sepId: number;
  readonly maskId: number;
  readonly specialIds: ReadonlySet<number>;
  readonly maxInputCharsPerWord: number;
  readonly prefix: string;

  private readonly vocab: Map<string, number>;
  private readonly idToTok: (string | undefined)[];
  private readonly basic: BasicTokenizer;
  private readonly splitter: SpecialTokenSplitter;
  private readonly specialTokens: string[];
  private readonly options: WordPieceOptions;
  private readonly cache = new Map<string, string[]>();

  constructor(vocab: ReadonlyMap<string, number>, options: WordPieceOptions = {}) {
    this.options = { ...options };
    this.vocab = new Map(vocab);
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.specialTokens = [...WORDPIECE_SPECIALS, ...(options.extraSpecialTokens ?? [])];
    for (const t of this.specialTokens) {
      if (!this.vocab.has(t)) throw new Error(`WordPiece vocab lacks the special token ${t}`);
    }
    let size = 0;
    for (const id of this.vocab.values()) size = Math.max(size, id + 1);
    this.vocabSize = size;
    this.idToTok = new Array<string | undefined>(size);
    for (const [t, id] of this.vocab) this.idToTok[id] = t;
    const id = (t: string) => this.vocab.get(t) as number;
    this.padId = id('[PAD]');
    this.unkId = id('[UNK]');
    this.startId = id('[CLS]');
    this.sepId = id('[SEP]');
    this.eosId = this.sepId;
    this.maskId = id('[MASK]');
    this.specialIds = new Set(this.specialTokens.map(id));
    this.basic = new BasicTokenizer({ ...options, neverSplit: this.specialTokens });
    this.splitter = new SpecialTokenSplitter(new Map(this.specialTokens.map((t) => [t, id(t)])));
  }

  /** Reads a BERT `vocab.txt`: one token per line, id = line number from 0. */
  static fromVocabTxt(text: string, options: WordPieceOptions = {}): WordPieceTokenizer {
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const vocab = new Map<string, number>();
    lines.forEach((raw, i) => {
      const t = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (!vocab.has(t)) vocab.set(t, i);
    });
    return new WordPieceTokenizer(vocab, options);
  }

  vocabTxt(): string {
    const lines: string[] = [];
    for (let i = 0; i < this.vocabSize; i++) {
      const t = this.idToTok[i];
      if (t === undefined) throw new Error(`vocab.txt cannot hold a gap: no token has id ${i}`);
      lines.push(t);
    }
    return lines.join('\n') + '\n';
  }

  /** The options this tokenizer was built with. */
  get wordPieceOptions(): WordPieceOptions {
    return { ...this.options };
  }

  /** Greedy longest-match-first over one word. */
  wordPiece(word: string): string[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const pieces = this.wordPieceUncached(word);
    if (this.cache.size >= 100_000) this.cache.clear();
    this.cache.set(word, pieces);
    return pieces;
  }

  private wordPieceUncached(word: string): string[] {
    // Code-point boundaries (a word's length limit and its pieces count characters, not UTF-16 units).
    const bounds: number[] = [0];
    for (let i = 0; i < word.length;) {
      const c = word.charCodeAt(i);
      const d = i + 1 < word.length ? word.charCodeAt(i + 1) : 0;
      i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
      bounds.push(i);
    }
    const n = bounds.length - 1;
    if (n > this.maxInputCharsPerWord) return ['[UNK]'];
    const out: string[] = [];
    let start = 0;
    while (start < n) {
      let end = n;
      let match: string | undefined;
      while (start < end) {
        const raw = word.slice(bounds[start], bounds[end]);
        const sub = start > 0 ? this.prefix + raw : raw;
        if (this.vocab.has(sub)) {
          match = sub;
          break;
        }
        end--;
      }
      if (match === undefined) return ['[UNK]'];
      out.push(match);
      start = end;
    }
    return out;
  }

  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const seg of this.splitter.split(text)) {
      if (seg.special) out.push(seg.text);
      else for (const w of this.basic.tokenize(seg.text)) out.push(...this.wordPiece(w));
    }
    return out;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    const segments =
      options.splitSpecialTokens === false ? [{ special: false as const, text }] : this.splitter.split(text);
    for (const seg of segments) {
      if (seg.special) ids.push(seg.id);
      else {
        for (const w of this.basic.tokenize(seg.text)) {
          for (const piece of this.wordPiece(w)) ids.push(this.vocab.get(piece) as number);
        }
      }
    }
    const wrap = options.addSpecialTokens !== false;
    return wrapAndTruncate(ids, wrap ? [this.startId] : [], wrap ? [this.sepId] : [], options);
  }

  encodeBatch(texts: readonly string[], options: BatchEncodeOptions = {}): BatchEncoding {
    return padBatch(
      texts.map((t) => this.encode(t, options)),
      this.padId,
      options,
    );
  }

  /** Tokens joined by spaces, `##` continuations glued back, as Hugging Face decodes. */
  decode(ids: readonly number[], options: WordPieceDecodeOptions = {}): string {
    const tokens: string[] = [];
    for (const id of ids) {
      if (options.skipSpecialTokens && this.specialIds.has(id)) continue;
      const t = this.idToTok[id];
      if (t === undefined) throw new Error(`decode: id ${id} is not in the vocabulary (size ${this.vocabSize})`);
      tokens.push(t);
    }
    let text = tokens.join(' ').split(` ${this.prefix}`).join('').trim();
    if (options.cleanUpTokenizationSpaces !== false) {
      const rules: [string, string][] = [
        [' .', '.'],
        [' ?', '?'],
        [' !', '!'],
        [' ,', ','],
        [" ' ", "'"],
        [" n't", "n't"],
        [" 'm", "'m"],
        [" 's", "'s"],
        [" 've", "'ve"],
        [" 're", "'re"],
      ];
      for (const [from, to] of rules) text = text.split(from).join(to);
    }
    return text;
  }

  /** Hugging Face's special_tokens_map.json. */
  specialTokensMap(): Record<string, string> {
    return { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' };
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.idToTok[id];
  }

  toTokenizerJson(): TokenizerJson {
    const added: AddedTokenJson[] = this.specialTokens.map((content) => ({
      id: this.vocab.get(content) as number,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    }));
    added.sort((a, b) => a.id - b.id);
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: added,
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: this.basic.tokenizeChineseChars,
        strip_accents: this.basic.stripAccents,
        lowercase: this.basic.doLowerCase,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
        ],
        pair: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [this.startId], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [this.sepId], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: this.prefix, cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: this.prefix,
        max_input_chars_per_word: this.maxInputCharsPerWord,
        vocab: Object.fromEntries([...this.vocab].sort((a, b) => a[1] - b[1])),
      },
    };
  }
}
