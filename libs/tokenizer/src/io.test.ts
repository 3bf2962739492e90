import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ByteLevelBpeTokenizer } from './byte-level-bpe.js';
import { trainByteLevelBpe } from './bpe-trainer.js';
import { syntheticCorpus } from './corpus.js';
import { loadTokenizer, saveTokenizer, tokenizerFromJson } from './io.js';
import { WordPieceTokenizer } from './wordpiece.js';
import { trainWordPiece } from './wordpiece-trainer.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ecode-tok-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const corpus = syntheticCorpus({ bytes: 40_000, seed: 9 });
const sample = 'def f(x):\n    return x ** 2  # café 🎉\n[PAD]<|endoftext|>';

describe('save and load', () => {
  it('round-trips a trained byte-level BPE through tokenizer.json and through vocab.json + merges.txt', () => {
    const bpe = trainByteLevelBpe(corpus, { vocabSize: 600, extraSpecialTokens: ['<mask>'] });
    const dir = tmp();
    const written = saveTokenizer(bpe, dir).map((p) => p.slice(dir.length + 1));
    expect(written.sort()).toEqual(['merges.txt', 'special_tokens_map.json', 'tokenizer.json', 'vocab.json']);
    const fromJson = loadTokenizer(dir);
    expect(fromJson).toBeInstanceOf(ByteLevelBpeTokenizer);
    expect(fromJson.encode(sample + '<mask>')).toEqual(bpe.encode(sample + '<mask>'));
    expect([fromJson.padId, fromJson.startId, fromJson.eosId, fromJson.unkId]).toEqual([0, 1, 2, undefined]);
    const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    expect(json.model.type).toBe('BPE');
    expect(json.added_tokens.map((t: { content: string }) => t.content)).toEqual([
      '[PAD]',
      '[CLS]',
      '<|endoftext|>',
      '<mask>',
    ]);
    rmSync(join(dir, 'tokenizer.json'));
    const fromFiles = loadTokenizer(dir);
    expect(fromFiles.encode(sample)).toEqual(bpe.encode(sample));
    expect(fromFiles.vocabSize).toBe(600);
  });

  it('reads merges written the older way, as "a b" strings', () => {
    const bpe = trainByteLevelBpe(corpus, { vocabSize: 400 });
    const json = bpe.toTokenizerJson();
    json.model.merges = (json.model.merges as string[][]).map((m) => m.join(' '));
    expect(tokenizerFromJson(json, bpe.specialTokensMap()).encode(sample)).toEqual(bpe.encode(sample));
  });

  it('round-trips WordPiece through tokenizer.json and vocab.txt', () => {
    const wp = trainWordPiece(corpus, { vocabSize: 700 });
    const dir = tmp();
    saveTokenizer(wp, dir);
    const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    expect(json.model.type).toBe('WordPiece');
    expect(json.normalizer.lowercase).toBe(true);
    const back = loadTokenizer(dir);
    expect(back).toBeInstanceOf(WordPieceTokenizer);
    expect(back.encode(corpus.slice(0, 3000))).toEqual(wp.encode(corpus.slice(0, 3000)));
    rmSync(join(dir, 'tokenizer.json'));
    expect(loadTokenizer(dir).encode(corpus.slice(0, 3000))).toEqual(wp.encode(corpus.slice(0, 3000)));
  });

  it('says what is missing or malformed', () => {
    const dir = tmp();
    expect(() => loadTokenizer(dir)).toThrow(/no tokenizer.json, vocab.json \+ merges.txt, or vocab.txt/);
    writeFileSync(join(dir, 'tokenizer.json'), '{"model": {"type": "Unigram", "vocab": {}}}');
    expect(() => loadTokenizer(dir)).toThrow(/model type "Unigram" is not supported/);
    writeFileSync(join(dir, 'tokenizer.json'), '{oops');
    expect(() => loadTokenizer(dir)).toThrow(/tokenizer.json: .*JSON/);
  });
});
