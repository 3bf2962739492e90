/**
 * The issue-5 "small" benchmark shape: random token ids at exactly the field, slow-code and target
 * lengths of the spec (fields 16/192/48/48/96, slow code 256, target 256 label tokens = 255 code
 * tokens + end token), seeded so every run feeds the same batch.
 */
import { Rng, paperSpec, smallSpec, type EncodedSample, type ModelSpec } from '@ecode/model';

export const FIELD_LENGTHS = [16, 192, 48, 48, 96];
export const IC_TOKENS = 256;
export const TARGET_TOKENS = 256;
export const BATCH = 4;

export function smallBenchSpec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return smallSpec(overrides);
}

/** Token lengths of a benchmark batch: the five statement fields, the slow code, the target labels. */
export interface BatchLengths {
  fields: number[];
  ic: number;
  target: number;
}
export const SMALL_LENGTHS: BatchLengths = { fields: FIELD_LENGTHS, ic: IC_TOKENS, target: TARGET_TOKENS };

/**
 * The paper's shape (`paperSpec`, ~405M parameters: BERT-tiny experts over five 512-token fields,
 * a 2048-position integration BERT, three GPT-Neo-125M stacks, 48 cross-attention heads) at its
 * micro-batch of 1 (the paper accumulates 32), slow code 768 tokens, 767 target labels (the
 * `ecMaxTokens: 768` filter: start + code + end). GPU only: the wasm heap cannot hold it.
 */
export const PAPER_LENGTHS: BatchLengths = { fields: [512, 512, 512, 512, 512], ic: 768, target: 767 };
export const PAPER_BATCH = 1;
export function paperBenchSpec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return paperSpec(overrides);
}

/**
 * The learning preset's shape (`configs/presets/cpu.yaml`, 2.8M parameters): experts and
 * integration hidden 64 x 1 layer, code stacks hidden 128 x 2 layers, 4 heads, intermediate 512,
 * 4 cross-attention heads, vocabularies of 1,000, no dropout; trained at batch 8.
 */
export const CPU_PRESET_BATCH = 8;
export function cpuPresetSpec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return smallSpec({
    textVocabSize: 1000,
    codeVocabSize: 1000,
    special: { pad: 0, start: 102, eos: 999 },
    expert: { hiddenSize: 64, numLayers: 1, numHeads: 2, intermediateSize: 256, maxPositions: 192 },
    integration: { hiddenSize: 64, numLayers: 1, numHeads: 2, intermediateSize: 256, maxPositions: 400 },
    decoder: { hiddenSize: 128, numLayers: 2, numHeads: 4, intermediateSize: 512, maxPositions: 1024, windowSize: 128 },
    crossAttentionHeads: 4,
    dropout: { bert: 0, decoder: 0, crossAttention: 0 },
    ...overrides,
  });
}

export function smallBatch(
  spec: ModelSpec,
  count = BATCH,
  seed = 1,
  lengths: BatchLengths = SMALL_LENGTHS,
): EncodedSample[] {
  const rng = new Rng(seed);
  const { pad, start, eos } = spec.special;
  const code = (n: number) =>
    Array.from({ length: n }, () => {
      let t = rng.nextInt(spec.codeVocabSize);
      while (t === pad || t === start || t === eos) t = rng.nextInt(spec.codeVocabSize);
      return t;
    });
  // Statement ids above the special ones (1000 for the small shape's vocabulary of 8000).
  const lo = Math.min(1000, Math.floor(spec.textVocabSize / 2));
  const text = (n: number) => [
    101,
    ...Array.from({ length: n - 2 }, () => lo + rng.nextInt(spec.textVocabSize - lo)),
    102,
  ];
  return Array.from({ length: count }, (_, i) => {
    const fields = lengths.fields.map(text);
    return {
      id: `bench/${i}`,
      problemId: 'bench',
      fields,
      statement: fields.flat().slice(0, spec.integration.maxPositions),
      statementCode: code(256),
      ic: code(lengths.ic),
      ec: code(lengths.target - 1),
    };
  });
}

export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
