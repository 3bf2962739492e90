/**
 * GPT-2 parity: GPT-2's vocab.json and merges.txt are derived at test time from js-tiktoken's
 * r50k_base ranks (an independent implementation, dev dependency), written to a temp folder,
 * loaded by the ordinary loader, and compared token for token on a 1.1 MB mixed corpus.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteLevelBpeTokenizer } from './byte-level-bpe.js';
import { syntheticCorpus } from './corpus.js';
import { ecodeGpt2Vocab } from './ecode-gpt2-vocab.js';
import { gpt2FilesFromRanks, parseTiktokenPackedRanks } from './gpt2-from-ranks.js';
import { loadTokenizer, saveTokenizer } from './io.js';

let dir: string;
let gpt2: ByteLevelBpeTokenizer;
let vocabObj: Record<string, number>;
let mergesTxt: string;
const reference = new Tiktoken(r50k);
const corpus = syntheticCorpus({ bytes: 1_100_000, seed: 2408 });

beforeAll(() => {
  const files = gpt2FilesFromRanks(parseTiktokenPackedRanks(r50k.bpe_ranks), r50k.special_tokens);
  dir = mkdtempSync(join(tmpdir(), 'ecode-gpt2-'));
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify(files.vocab));
  writeFileSync(join(dir, 'merges.txt'), '#version: 0.2\n' + files.merges.map(([a, b]) => `${a} ${b}\n`).join(''));
  vocabObj = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8'));
  mergesTxt = readFileSync(join(dir, 'merges.txt'), 'utf8');
  gpt2 = ByteLevelBpeTokenizer.fromVocabAndMerges(JSON.stringify(vocabObj), mergesTxt, {
    specialTokens: ['<|endoftext|>'],
    padToken: '<|endoftext|>',
    startToken: '<|endoftext|>',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GPT-2 files derived from r50k_base', () => {
  it('have GPT-2 shape: 50,257 ids, 50,000 merges, GPT-2 first merges', () => {
    expect(Object.keys(vocabObj)).toHaveLength(50257);
    const lines = mergesTxt.trimEnd().split('\n');
    expect(lines).toHaveLength(50001);
    expect(lines.slice(0, 4)).toEqual(['#version: 0.2', 'Ġ t', 'Ġ a', 'h e']);
    expect(vocabObj['!']).toBe(0);
    expect(vocabObj['Ġthe']).toBe(262);
    expect(gpt2.vocabSize).toBe(50257);
    expect(gpt2.eosId).toBe(50256);
  });
});

describe('byte-level BPE against js-tiktoken r50k_base', () => {
  it('encodes well-known strings as GPT-2 does', () => {
    expect(gpt2.encode('Hello world')).toEqual([15496, 995]);
    expect(gpt2.encode(' the')).toEqual([262]);
    expect(gpt2.tokenize("I'm here")).toEqual(['I', "'m", 'Ġhere']);
    expect(gpt2.encode('a<|endoftext|>b')).toEqual([64, 50256, 65]);
  });

  it('matches on a 1.1 MB corpus of code, prose, unicode, digits, whitespace, emoji and CJK', () => {
    expect(Buffer.byteLength(corpus)).toBeGreaterThanOrEqual(1_100_000);
    const expected = reference.encode(corpus, 'all');
    const got = gpt2.encode(corpus);
    let firstMismatch = -1;
    for (let i = 0; i < Math.max(expected.length, got.length); i++) {
      if (expected[i] !== got[i]) {
        firstMismatch = i;
        break;
      }
    }
    expect(firstMismatch).toBe(-1);
    expect(got.length).toBe(expected.length);
    expect(gpt2.decode(got)).toBe(corpus);
  });
});

describe("E-code's modified GPT-2 vocab", () => {
  it('puts [PAD] at 0, ! at 101, [CLS] at 102 and keeps 50,257 ids', () => {
    const ecode = ByteLevelBpeTokenizer.fromVocabAndMerges(JSON.stringify(ecodeGpt2Vocab(vocabObj)), mergesTxt);
    expect([ecode.padId, ecode.startId, ecode.eosId, ecode.unkId, ecode.vocabSize]).toEqual([
      0, 102, 50256, 50256, 50257,
    ]);
    expect(ecode.encode('[CLS]print(1)<|endoftext|>[PAD]')).toEqual([102, 4798, 7, 16, 8, 50256, 0]);
    expect(ecode.encode('!')).toEqual([101]);
    expect(ecode.decode([101, 102, 0])).toBe('![CLS][PAD]');
    expect(ecode.decode([102, 4798, 7, 16, 8, 50256, 0], { skipSpecialTokens: true })).toBe('print(1)');
    expect(ecode.encode('x = 1', { addSpecialTokens: true })).toEqual([102, 87, 796, 352, 50256]);
    // Elsewhere it is GPT-2 with ids 0 -> 101 and the lost byte tokens 0xA8, 0xA9 -> unk.
    const text = corpus.slice(0, 200_000);
    // The folder loader applies the same convention to GPT-2's own files.
    const loaded = loadTokenizer(dir, { ecodeGpt2Convention: true });
    expect(loaded.encode('[CLS]!x[PAD]<|endoftext|>')).toEqual(ecode.encode('[CLS]!x[PAD]<|endoftext|>'));
    expect(loaded.startId).toBe(102);
    // Saved in Hugging Face's layout and reloaded, it keeps its ids and roles.
    const saved = join(dir, 'ecode-saved');
    saveTokenizer(ecode, saved);
    const reloaded = loadTokenizer(saved);
    expect([reloaded.padId, reloaded.startId, reloaded.eosId, reloaded.unkId, reloaded.vocabSize]).toEqual([
      0, 102, 50256, 50256, 50257,
    ]);
    expect(reloaded.encode(corpus.slice(0, 50_000))).toEqual(ecode.encode(corpus.slice(0, 50_000)));
    const remap = (id: number) => (id === 0 ? 101 : id === 101 || id === 102 ? 50256 : id);
    expect(ecode.encode(text)).toEqual(gpt2.encode(text).map(remap));
  });
});
