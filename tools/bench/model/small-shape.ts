/**
 * The issue-5 "small" benchmark shape: random token ids at exactly the field, slow-code and target
 * lengths of the spec (fields 16/192/48/48/96, slow code 256, target 256 label tokens = 255 code
 * tokens + end token), seeded so every run feeds the same batch.
 */
import { Rng, smallSpec, type EncodedSample, type ModelSpec } from '@ecode/model';

export const FIELD_LENGTHS = [16, 192, 48, 48, 96];
export const IC_TOKENS = 256;
export const TARGET_TOKENS = 256;
export const BATCH = 4;

export function smallBenchSpec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return smallSpec(overrides);
}

export function smallBatch(spec: ModelSpec, count = BATCH, seed = 1): EncodedSample[] {
  const rng = new Rng(seed);
  const { pad, start, eos } = spec.special;
  const code = (n: number) =>
    Array.from({ length: n }, () => {
      let t = rng.nextInt(spec.codeVocabSize);
      while (t === pad || t === start || t === eos) t = rng.nextInt(spec.codeVocabSize);
      return t;
    });
  const text = (n: number) => [
    101,
    ...Array.from({ length: n - 2 }, () => 1000 + rng.nextInt(spec.textVocabSize - 1000)),
    102,
  ];
  return Array.from({ length: count }, (_, i) => {
    const fields = FIELD_LENGTHS.map(text);
    return {
      id: `bench/${i}`,
      problemId: 'bench',
      fields,
      statement: fields.flat().slice(0, spec.integration.maxPositions),
      statementCode: code(256),
      ic: code(IC_TOKENS),
      ec: code(TARGET_TOKENS - 1),
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
