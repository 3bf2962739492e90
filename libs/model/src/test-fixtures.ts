/** Test helpers: the copied HF parity fixtures (libs/model/fixtures/hf-parity) and comparisons. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSafetensors, SafeTensorsFile } from './safetensors.js';
import type { ModelSpec } from './spec.js';

const DIR = fileURLToPath(new URL('../fixtures/hf-parity/', import.meta.url));

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
