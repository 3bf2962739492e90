/**
 * `ModelSpec`: everything `createModel` needs (sizes, vocabularies, special ids, variant, heads,
 * window, dropout, seed), plus the presets of the issue ("small") and the paper.
 */
import type { CodeSpecialTokens } from '../contracts.js';

export type ModelVariant = 'e-code' | 'no-expert' | 'gpt-neo';

export interface BertSize {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  /** max_position_embeddings. */
  maxPositions: number;
}

export interface DecoderSize extends BertSize {
  /** Local attention window (GPT-Neo `window_size`). */
  windowSize: number;
}

export interface ModelSpec {
  variant: ModelVariant;
  /** WordPiece vocabulary of the statement side (BERTs). */
  textVocabSize: number;
  /** BPE vocabulary of the code side (GPT-Neo decoders). */
  codeVocabSize: number;
  special: CodeSpecialTokens;
  /** `[PAD]` of the text side (0 in BERT vocabularies). */
  textPad: number;
  /** The expert BERTs (and the No-expert BERT's sizes except its positions, see `integration`). */
  expert: BertSize;
  /** Per-field token limits of the five expert inputs (truncation, `[SEP]` kept last). */
  fieldMaxTokens: number[];
  /** Integration layer; its `maxPositions` also truncates the concatenated expert states (and is
   * the No-expert BERT's position count). Hidden size must equal the experts'. */
  integration: BertSize;
  /** The three GPT-Neo decoders (IC encoder, EC decoder, output decoder; the baseline's one). */
  decoder: DecoderSize;
  /** Heads of the cross attention (48 in the paper, 8 in an ablation). */
  crossAttentionHeads: number;
  /** Activation after MLP enlarge ('relu' is the RELU ablation). */
  mlpActivation: 'none' | 'relu';
  /** Token limit of the inefficient code (the IC encoder's input). */
  maxIcTokens: number;
  /** GPT-Neo baseline only: token limit of the code-tokenised statement in the prompt. */
  maxStatementCodeTokens: number;
  dropout: { bert: number; decoder: number; crossAttention: number };
  seed: number;
}

const FIELD_COUNT = 5;

/** Checks a spec; throws naming the first bad field. */
export function validateSpec(s: ModelSpec): void {
  const fail = (path: string, why: string): never => {
    throw new Error(`ModelSpec.${path}: ${why}`);
  };
  if (!['e-code', 'no-expert', 'gpt-neo'].includes(s.variant))
    fail('variant', `'${s.variant}' is not one of e-code, no-expert, gpt-neo`);
  for (const k of ['textVocabSize', 'codeVocabSize', 'crossAttentionHeads', 'maxIcTokens', 'seed'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 0) fail(k, `must be a non-negative integer, got ${s[k]}`);
  }
  for (const [k, v] of Object.entries(s.special))
    if (!Number.isInteger(v) || v < 0 || v >= s.codeVocabSize)
      fail(`special.${k}`, `${v} is outside the code vocabulary [0, ${s.codeVocabSize})`);
  const sizes: [string, BertSize][] = [
    ['expert', s.expert],
    ['integration', s.integration],
    ['decoder', s.decoder],
  ];
  for (const [name, b] of sizes) {
    for (const k of ['hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'maxPositions'] as const) {
      if (!Number.isInteger(b[k]) || b[k] <= 0) fail(`${name}.${k}`, `must be a positive integer, got ${b[k]}`);
    }
    if (b.hiddenSize % b.numHeads !== 0)
      fail(`${name}.numHeads`, `hidden size ${b.hiddenSize} is not divisible by ${b.numHeads} heads`);
  }
  if (s.integration.hiddenSize !== s.expert.hiddenSize)
    fail(
      'integration.hiddenSize',
      `must equal expert.hiddenSize (${s.expert.hiddenSize}), got ${s.integration.hiddenSize}`,
    );
  if (s.decoder.hiddenSize % s.crossAttentionHeads !== 0)
    fail(
      'crossAttentionHeads',
      `decoder hidden size ${s.decoder.hiddenSize} is not divisible by ${s.crossAttentionHeads}`,
    );
  if (s.fieldMaxTokens.length !== FIELD_COUNT)
    fail('fieldMaxTokens', `needs ${FIELD_COUNT} entries, got ${s.fieldMaxTokens.length}`);
  s.fieldMaxTokens.forEach((n, i) => {
    if (n < 2 || n > s.expert.maxPositions)
      fail(`fieldMaxTokens[${i}]`, `${n} is outside [2, expert.maxPositions=${s.expert.maxPositions}]`);
  });
  if (s.maxIcTokens > s.decoder.maxPositions)
    fail('maxIcTokens', `${s.maxIcTokens} exceeds decoder.maxPositions ${s.decoder.maxPositions}`);
  if (!['none', 'relu'].includes(s.mlpActivation))
    fail('mlpActivation', `'${s.mlpActivation}' is not 'none' or 'relu'`);
}

/** The "small" shape: vocabularies 8000, tiny BERTs, 4-layer 256-wide decoders. */
export function smallSpec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    variant: 'e-code',
    textVocabSize: 8000,
    codeVocabSize: 8000,
    special: { pad: 0, start: 102, eos: 7999 },
    textPad: 0,
    expert: { hiddenSize: 128, numLayers: 2, numHeads: 2, intermediateSize: 512, maxPositions: 512 },
    fieldMaxTokens: [16, 192, 48, 48, 96],
    integration: { hiddenSize: 128, numLayers: 2, numHeads: 2, intermediateSize: 512, maxPositions: 512 },
    decoder: {
      hiddenSize: 256,
      numLayers: 4,
      numHeads: 4,
      intermediateSize: 1024,
      maxPositions: 1024,
      windowSize: 128,
    },
    crossAttentionHeads: 16,
    mlpActivation: 'none',
    maxIcTokens: 256,
    maxStatementCodeTokens: 256,
    dropout: { bert: 0.1, decoder: 0, crossAttention: 0 },
    seed: 666,
    ...overrides,
  };
}

/** Paper scale: BERT-tiny experts, GPT-Neo-125M decoders, 48 cross-attention heads. */
export function paperSpec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    variant: 'e-code',
    textVocabSize: 30522,
    codeVocabSize: 50257,
    special: { pad: 0, start: 102, eos: 50256 },
    textPad: 0,
    expert: { hiddenSize: 128, numLayers: 2, numHeads: 2, intermediateSize: 512, maxPositions: 512 },
    fieldMaxTokens: [512, 512, 512, 512, 512],
    integration: { hiddenSize: 128, numLayers: 2, numHeads: 2, intermediateSize: 512, maxPositions: 2048 },
    decoder: {
      hiddenSize: 768,
      numLayers: 12,
      numHeads: 12,
      intermediateSize: 3072,
      maxPositions: 2048,
      windowSize: 256,
    },
    crossAttentionHeads: 48,
    mlpActivation: 'none',
    maxIcTokens: 768,
    maxStatementCodeTokens: 512,
    dropout: { bert: 0.1, decoder: 0, crossAttention: 0 },
    seed: 666,
    ...overrides,
  };
}
