/**
 * Saving and loading tokenizers as Hugging Face lays them out: `tokenizer.json` (the whole
 * tokenizer), `special_tokens_map.json` (which token is pad, cls, eos, ...), and the classic files
 * (`vocab.json` + `merges.txt` for byte-level BPE, `vocab.txt` for WordPiece).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteLevelBpeTokenizer, type ByteLevelBpeSpec } from './byte-level-bpe.js';
import { ecodeGpt2Vocab } from './ecode-gpt2-vocab.js';
import type { Tokenizer, TokenizerJson } from './tokenizer.js';
import { WORDPIECE_SPECIALS, WordPieceTokenizer } from './wordpiece.js';

export type AnyTokenizer = ByteLevelBpeTokenizer | WordPieceTokenizer;

/** Writes tokenizer.json, special_tokens_map.json and the classic vocab files into dir. */
export function saveTokenizer(tokenizer: AnyTokenizer, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['tokenizer.json', JSON.stringify(tokenizer.toTokenizerJson())],
    ['special_tokens_map.json', JSON.stringify(tokenizer.specialTokensMap(), null, 2) + '\n'],
  ];
  if (tokenizer instanceof ByteLevelBpeTokenizer) {
    files.push(['vocab.json', tokenizer.vocabJson()], ['merges.txt', tokenizer.mergesTxt()]);
  } else {
    files.push(['vocab.txt', tokenizer.vocabTxt()]);
  }
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}

function bpeRoles(map: Record<string, unknown> | undefined): Omit<ByteLevelBpeSpec, 'vocab' | 'merges'> {
  const str = (k: string) => (map !== undefined && typeof map[k] === 'string' ? (map[k] as string) : undefined);
  return {
    padToken: str('pad_token'),
    startToken: str('cls_token') ?? str('bos_token'),
    eosToken: str('eos_token'),
    unkToken: map === undefined ? undefined : (str('unk_token') ?? null),
  };
}

/** Builds a tokenizer from a parsed Hugging Face tokenizer.json (model type BPE or WordPiece). */
export function tokenizerFromJson(json: TokenizerJson, specialTokensMap?: Record<string, unknown>): AnyTokenizer {
  const model = json.model as Record<string, unknown>;
  const where = 'tokenizer.json';
  if (model === undefined || typeof model !== 'object') throw new Error(`${where}: no "model" object`);
  const vocabObj = model.vocab as Record<string, number> | undefined;
  if (vocabObj === undefined || typeof vocabObj !== 'object') throw new Error(`${where}: model.vocab missing`);
  const vocab = new Map(Object.entries(vocabObj));
  const specials = (json.added_tokens ?? []).filter((t) => t.special);
  for (const t of specials) if (!vocab.has(t.content)) vocab.set(t.content, t.id);
  if (model.type === 'BPE') {
    const rawMerges = model.merges as unknown[] | undefined;
    if (!Array.isArray(rawMerges)) throw new Error(`${where}: model.merges missing`);
    const merges = rawMerges.map((m, i): [string, string] => {
      const pair = typeof m === 'string' ? m.split(' ') : m;
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new Error(`${where}: model.merges[${i}] is not a pair: ${JSON.stringify(m)}`);
      }
      return [String(pair[0]), String(pair[1])];
    });
    return new ByteLevelBpeTokenizer({
      vocab,
      merges,
      specialTokens: specials.map((t) => t.content),
      ...bpeRoles(specialTokensMap),
    });
  }
  if (model.type === 'WordPiece') {
    const norm = (json.normalizer ?? {}) as Record<string, unknown>;
    return new WordPieceTokenizer(vocab, {
      doLowerCase: norm.lowercase !== false,
      stripAccents: typeof norm.strip_accents === 'boolean' ? norm.strip_accents : undefined,
      tokenizeChineseChars: norm.handle_chinese_chars !== false,
      maxInputCharsPerWord:
        typeof model.max_input_chars_per_word === 'number' ? model.max_input_chars_per_word : undefined,
      continuingSubwordPrefix:
        typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : undefined,
      extraSpecialTokens: specials
        .map((t) => t.content)
        .filter((c) => !(WORDPIECE_SPECIALS as readonly string[]).includes(c)),
    });
  }
  throw new Error(`${where}: model type ${JSON.stringify(model.type)} is not supported (BPE or WordPiece)`);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

export interface LoadTokenizerOptions {
  /**
   * For a folder holding GPT-2's own vocab.json: apply E-code's modification ([PAD] = 0, ! = 101,
   * [CLS] = 102). Default false.
   */
  ecodeGpt2Convention?: boolean;
}

/**
 * Loads a tokenizer folder: tokenizer.json if present, else vocab.json + merges.txt (byte-level
 * BPE), else vocab.txt (WordPiece, uncased). special_tokens_map.json, when present, names the roles.
 */
export function loadTokenizer(dir: string, options: LoadTokenizerOptions = {}): AnyTokenizer {
  const at = (name: string) => join(dir, name);
  const map = existsSync(at('special_tokens_map.json'))
    ? (readJson(at('special_tokens_map.json')) as Record<string, unknown>)
    : undefined;
  if (!options.ecodeGpt2Convention && existsSync(at('tokenizer.json'))) {
    return tokenizerFromJson(readJson(at('tokenizer.json')) as TokenizerJson, map);
  }
  if (existsSync(at('vocab.json')) && existsSync(at('merges.txt'))) {
    let vocabText = readFileSync(at('vocab.json'), 'utf8');
    if (options.ecodeGpt2Convention) {
      vocabText = JSON.stringify(ecodeGpt2Vocab(readJson(at('vocab.json')) as Record<string, number>));
    }
    return ByteLevelBpeTokenizer.fromVocabAndMerges(vocabText, readFileSync(at('merges.txt'), 'utf8'), bpeRoles(map));
  }
  if (options.ecodeGpt2Convention) throw new Error(`${dir}: ecodeGpt2Convention needs vocab.json and merges.txt`);
  if (existsSync(at('vocab.txt'))) return WordPieceTokenizer.fromVocabTxt(readFileSync(at('vocab.txt'), 'utf8'));
  throw new Error(`${dir}: no tokenizer.json, vocab.json + merges.txt, or vocab.txt`);
}

export type { Tokenizer };
