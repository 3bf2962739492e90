/** Test helpers: the copied HF parity fixtures (libs/model/fixtures/hf-parity) and comparisons. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSafetensors, SafeTensorsFile } from '../checkpoint/safetensors.js';
import type { EncodedSample } from '../contracts.js';
import type { ModelSpec } from '../ecode/spec.js';

const DIR = fileURLToPath(new URL('../../fixtures/hf-parity/', import.meta.url));

export function fixture(name: string): SafeTensorsFile {
  return readSafetensors(new Uint8Array(readFileSync(DIR + name + '.safetensors')), name);
}

export function ints(f: SafeTensorsFile, name: string): number[][] {
  const t = f.tensors.get(name);
  if (!t) throw new Error(`fixture has no tensor ${name}`);
  const [b, n] = t.shape;
  return Array.from({ length: b }, (_, i) => Array.from(t.data.subarray(i * n, (i + 1) * n), (x) => Math.round(x)));
}

export function floats(f: SafeTensorsFile, name: string): Float32Array {
  const t = f.tensors.get(name);
  if (!t) throw new Error(`fixture has no tensor ${name}`);
  return t.data as Float32Array;
}

/** max|a-b| / max|b|. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relErr: lengths ${a.length} and ${b.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

/** The spec of the fixtures' E-code models (meta.json). */
export function fixtureSpec(variant: ModelSpec['variant'], heads: number, relu: boolean): ModelSpec {
  return {
    variant,
    textVocabSize: 200,
    codeVocabSize: 300,
    special: { pad: 0, start: 102, eos: 299 },
    textPad: 0,
    expert: { hiddenSize: 32, numLayers: 2, numHeads: 2, intermediateSize: 64, maxPositions: 64 },
    fieldMaxTokens: [64, 64, 64, 64, 64],
    integration: { hiddenSize: 32, numLayers: 2, numHeads: 2, intermediateSize: 64, maxPositions: 256 },
    decoder: { hiddenSize: 48, numLayers: 4, numHeads: 4, intermediateSize: 96, maxPositions: 256, windowSize: 8 },
    crossAttentionHeads: heads,
    mlpActivation: relu ? 'relu' : 'none',
    maxIcTokens: 256,
    maxStatementCodeTokens: 64,
    dropout: { bert: 0, decoder: 0, crossAttention: 0 },
    seed: 1,
  };
}

/** A tiny E-code (2 decoder layers, window 4, 32 slow-code tokens) for training-loop tests. */
export function tinyEcodeSpec(o: { seed: number; dropout: number }): ModelSpec {
  const s = fixtureSpec('e-code', 4, false);
  return {
    ...s,
    decoder: { ...s.decoder, numLayers: 2, windowSize: 4, maxPositions: 64 },
    maxIcTokens: 32,
    dropout: { bert: o.dropout, decoder: o.dropout, crossAttention: o.dropout },
    seed: o.seed,
  };
}

/**
 * `n` deterministic tiny samples for `tinyEcodeSpec` (vocabularies 200 / 300); `ecLength(i)` sets
 * sample i's target length (default 3 + i % 4).
 */
export function tinySamples(n: number, ecLength: (i: number) => number = (i) => 3 + (i % 4)): EncodedSample[] {
  const seq = (len: number, mod: number, off: number) =>
    Array.from({ length: len }, (_, j) => 1 + ((j * 7 + off) % (mod - 2)));
  return Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    problemId: `p${i % 3}`,
    fields: [3 + (i % 2), 6, 4, 3 + (i % 3), 5].map((len, k) => seq(len, 200, i * 13 + k * 5)),
    statement: seq(8, 200, i),
    ic: seq(4 + (i % 5), 300, i * 3),
    ec: seq(ecLength(i), 300, i * 5 + 2),
  }));
}
