/**
 * Byte-level BPE as GPT-2 has it: text -> special tokens split off -> GPT-2 pre-tokenisation ->
 * UTF-8 bytes of each piece -> merges applied by rank (lowest first, every occurrence of the
 * chosen pair at once, as GPT-2's encoder.py does) -> vocabulary ids.
 *
 * Internally every byte b is symbol b and merge k yields symbol 256 + k (or the earlier symbol
 * with the same spelling); vocab.json then gives each symbol its id. This keeps the encoder
 * independent of how the vocabulary numbers things, so a modified vocab.json such as E-code's
 * (where `[PAD]` and `[CLS]` took over the ids of `!` and two byte tokens) loads as it is.
 */
import { BYTE_TO_UNICODE, unicodeStringToBytes } from './byte-unicode.js';
import { padBatch, wrapAndTruncate } from './batch.js';
import { gpt2PreTokenizerRegex } from './gpt2-pretokenizer.js';
import { mergeWordDirect, mergeWordHeap } from './bpe-merge.js';
import { PairTable } from './pair-table.js';
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
import { pushUtf8, utf8Decode } from './utf8.js';

export interface ByteLevelBpeSpec {
  /** Token spelling (GPT-2 byte-to-unicode form, or a special token's text) to id. */
  vocab: ReadonlyMap<string, number>;
  /** Merges in rank order, each a pair of spellings. */
  merges: readonly (readonly [string, string])[];
  /**
   * Special (added) tokens: matched in raw text before pre-tokenisation, skipped by
   * `decode(..., { skipSpecialTokens })`. A token missing from the vocab is appended with the
   * next free id (as Hugging Face's add_special_tokens does).
   */
  specialTokens?: readonly string[];
  /** Default `[PAD]`. */
  padToken?: string;
  /** Default `[CLS]`. */
  startToken?: string;
  /** Default `<|endoftext|>`. */
  eosToken?: string;
  /**
   * Id given to a byte sequence whose symbol has no vocab entry (only possible with modified
   * vocabularies such as E-code's). Default: the `<|endoftext|>` token, as GPT2Tokenizer does.
   */
  unkToken?: string | null;
}

const CACHE_LIMIT = 200_000;
/** Pieces longer than this many bytes are merged with the O(n log n) heap method. */
const LONG_PIECE = 128;

export class ByteLevelBpeTokenizer implements Tokenizer {
  readonly kind = 'byte-level-bpe' as const;
  readonly vocabSize: number;
  readonly padId: number;
  readonly startId: number;
  readonly eosId: number;
  readonly unkId: number | undefined;
  readonly specialIds: ReadonlySet<number>;

  /** Spelling to id, special tokens included. */
  private readonly vocab: Map<string, number>;
  private readonly idToSpelling: (string | undefined)[];
  private readonly idBytes: (Uint8Array | undefined)[];
  private readonly merges: readonly (readonly [string, string])[];
  private readonly specialTokens: string[];
  private readonly tokenNames: { pad: string; start: string; eos: string; unk: string | null };
  /** Merge rank of the symbol pair (a, b), -1 if none. */
  private readonly pairRank: PairTable;
  /** Symbol made by merge k. */
  private readonly mergeResult: Int32Array;
  /** Vocabulary id of each symbol, -1 if the vocabulary lacks it. */
  private readonly symbolId: Int32Array;
  private readonly symbolSpelling: string[];
  private readonly splitter: SpecialTokenSplitter;
  private cache = new Map<string, number[]>();
  /** GPT-2's pattern; exec-looped (encode is synchronous, so one instance is safe to reuse). */
  private readonly pattern = gpt2PreTokenizerRegex();

  constructor(spec: ByteLevelBpeSpec) {
    this.vocab = new Map(spec.vocab);
    this.merges = spec.merges.map(([a, b]) => [a, b] as const);
    const pad = spec.padToken ?? '[PAD]';
    const start = spec.startToken ?? '[CLS]';
    const eos = spec.eosToken ?? '<|endoftext|>';
    const unk = spec.unkToken === undefined ? eos : spec.unkToken;
    this.tokenNames = { pad, start, eos, unk };
    const specials = [...(spec.specialTokens ?? [])];
    for (const t of [pad, start, eos, unk]) if (t !== null && !specials.includes(t)) specials.push(t);
    this.specialTokens = specials;

    let nextId = 0;
    for (const id of this.vocab.values()) {
      if (!Number.isInteger(id) || id < 0) throw new Error(`vocab: id ${id} is not a non-negative integer`);
      nextId = Math.max(nextId, id + 1);
    }
    for (const t of specials) if (!this.vocab.has(t)) this.vocab.set(t, nextId++);

    // Symbols: 256 bytes, then merge results.
    const symbolIndex = new Map<string, number>();
    const symbolSpelling: string[] = [];
    for (let b = 0; b < 256; b++) {
      symbolIndex.set(BYTE_TO_UNICODE[b], b);
      symbolSpelling.push(BYTE_TO_UNICODE[b]);
    }
    this.pairRank = new PairTable(this.merges.length);
    this.mergeResult = new Int32Array(this.merges.length);
    this.merges.forEach(([a, b], k) => {
      const ia = symbolIndex.get(a);
      const ib = symbolIndex.get(b);
      if (ia === undefined || ib === undefined) {
        const bad = ia === undefined ? a : b;
        throw new Error(`merge ${k + 1} ("${a} ${b}"): "${bad}" is neither a byte nor made by an earlier merge`);
      }
      const spelling = a + b;
      let r = symbolIndex.get(spelling);
      if (r === undefined) {
        r = symbolSpelling.length;
        symbolIndex.set(spelling, r);
        symbolSpelling.push(spelling);
      }
      this.mergeResult[k] = r;
      this.pairRank.setIfAbsent(ia, ib, k);
    });
    this.symbolId = Int32Array.from(symbolSpelling, (s) => this.vocab.get(s) ?? -1);
    this.symbolSpelling = symbolSpelling;

    this.vocabSize = nextId;
    this.idToSpelling = new Array<string | undefined>(nextId);
    this.idBytes = new Array<Uint8Array | undefined>(nextId);
    const specialSet = new Set(specials);
    for (const [s, id] of this.vocab) {
      this.idToSpelling[id] = s;
      const bytes = specialSet.has(s) ? undefined : unicodeStringToBytes(s);
      const raw: number[] = [];
      if (bytes === undefined) pushUtf8(s, raw);
      this.idBytes[id] = Uint8Array.from(bytes ?? raw);
    }
    const idOf = (t: string) => this.vocab.get(t) as number;
    this.padId = idOf(pad);
    this.startId = idOf(start);
    this.eosId = idOf(eos);
    this.unkId = unk === null ? undefined : idOf(unk);
    this.specialIds = new Set(specials.map(idOf));
    this.splitter = new SpecialTokenSplitter(new Map(specials.map((t) => [t, idOf(t)])));
  }

  /** Reads GPT-2's `vocab.json` text and `merges.txt` text. */
  static fromVocabAndMerges(
    vocabJson: string,
    mergesTxt: string,
    options: Omit<ByteLevelBpeSpec, 'vocab' | 'merges'> = {},
  ): ByteLevelBpeTokenizer {
    let parsed: unknown;
    try {
      parsed = JSON.parse(vocabJson);
    } catch (e) {
      throw new Error(`vocab.json is not JSON: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('vocab.json must be an object mapping token to id');
    }
    const vocab = new Map<string, number>();
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v !== 'number') throw new Error(`vocab.json: id of ${JSON.stringify(k)} is not a number`);
      vocab.set(k, v);
    }
    return new ByteLevelBpeTokenizer({ ...options, vocab, merges: parseMerges(mergesTxt) });
  }

  /** Token spellings (vocab.json form) of `text`. */
  tokenize(text: string): string[] {
    return this.encode(text).map((id) => this.idToSpelling[id] as string);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    if (options.splitSpecialTokens === false) this.encodeOrdinary(text, ids);
    else {
      for (const seg of this.splitter.split(text)) {
        if (seg.special) ids.push(seg.id);
        else this.encodeOrdinary(seg.text, ids);
      }
    }
    const wrap = options.addSpecialTokens === true;
    return wrapAndTruncate(ids, wrap ? [this.startId] : [], wrap ? [this.eosId] : [], options);
  }

  encodeBatch(texts: readonly string[], options: BatchEncodeOptions = {}): BatchEncoding {
    return padBatch(
      texts.map((t) => this.encode(t, options)),
      this.padId,
      options,
    );
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const id of ids) {
      if (options.skipSpecialTokens && this.specialIds.has(id)) continue;
      const bytes = this.idBytes[id];
      if (bytes === undefined) throw new Error(`decode: id ${id} is not in the vocabulary (size ${this.vocabSize})`);
      parts.push(bytes);
      length += bytes.length;
    }
    const all = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return utf8Decode(all);
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.idToSpelling[id];
  }

  /** vocab.json contents (spelling to id). */
  vocabJson(): string {
    const entries = [...this.vocab].sort((x, y) => x[1] - y[1]);
    return JSON.stringify(Object.fromEntries(entries));
  }

  /** merges.txt contents, with GPT-2's version header. */
  mergesTxt(): string {
    return '#version: 0.2\n' + this.merges.map(([a, b]) => `${a} ${b}\n`).join('');
  }

  /** Hugging Face's special_tokens_map.json: which token plays which role. */
  specialTokensMap(): Record<string, string> {
    const { pad, start, eos, unk } = this.tokenNames;
    const map: Record<string, string> = { pad_token: pad, cls_token: start, bos_token: start, eos_token: eos };
    if (unk !== null) map.unk_token = unk;
    return map;
  }

  /** The options that rebuild this tokenizer from its vocab and merges. */
  get specialTokenOptions(): Omit<ByteLevelBpeSpec, 'vocab' | 'merges'> {
    const { pad, start, eos, unk } = this.tokenNames;
    return { specialTokens: [...this.specialTokens], padToken: pad, startToken: start, eosToken: eos, unkToken: unk };
  }

  toTokenizerJson(): TokenizerJson {
    const added: AddedTokenJson[] = this.specialTokens
      .map((content) => ({
        id: this.vocab.get(content) as number,
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      }))
      .sort((a, b) => a.id - b.id);
    const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: added,
      normalizer: null,
      pre_tokenizer: byteLevel,
      post_processor: byteLevel,
      decoder: byteLevel,
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: '',
        end_of_word_suffix: '',
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab: Object.fromEntries([...this.vocab].sort((x, y) => x[1] - y[1])),
        merges: this.merges.map(([a, b]) => [a, b]),
      },
    };
  }

  private encodeOrdinary(text: string, out: number[]): void {
    const re = this.pattern;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const piece = m[0];
      let ids = this.cache.get(piece);
      if (ids === undefined) {
        ids = this.bpe(piece);
        if (this.cache.size >= CACHE_LIMIT) this.cache = new Map();
        this.cache.set(piece, ids);
      }
      for (let i = 0; i < ids.length; i++) out.push(ids[i]);
    }
  }

  /** BPE of one pre-tokenised piece, as vocabulary ids. */
  private bpe(piece: string): number[] {
    const word: number[] = [];
    pushUtf8(piece, word);
    const n =
      word.length > LONG_PIECE
        ? mergeWordHeap(word, this.pairRank, this.mergeResult)
        : mergeWordDirect(word, this.pairRank, this.mergeResult);
    const ids = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const id = this.symbolId[word[i]];
      if (id >= 0) ids[i] = id;
      else if (this.unkId !== undefined) ids[i] = this.unkId;
      else {
        const spelling = this.symbolSpelling[word[i]];
        throw new Error(
          `encode: token ${JSON.stringify(spelling)} of piece ${JSON.stringify(piece)} has no vocabulary id and there is no unk token`,
        );
      }
    }
    return ids;
  }
}

/** Parses merges.txt: an optional `#version` line, then one `left right` pair per line. */
export function parseMerges(text: string): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length === 0 || (i === 0 && line.startsWith('#version'))) return;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new Error(`merges.txt line ${i + 1}: expected "left right", got ${JSON.stringify(line)}`);
    }
    out.push([parts[0], parts[1]]);
  });
  return out;
}
