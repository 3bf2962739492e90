/**
 * Generation: greedy or sampled decoding with a stop token and a token budget, n samples per
 * input, batched across inputs, through the model's KV cache (`useCache`). Each (input, sample)
 * row draws from its own RNG seeded by (seed, input id, sample index), so results do not depend on
 * the batch size or on which inputs share a batch.
 */
import type { EncodedSample, CodeRewritingModel } from '../contracts.js';
import { Rng, hashString, mixSeed } from '../rng.js';
import { pickToken, validateSampling, type SamplingOptions } from './generate-sampling.js';

export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  /** Samples per input (default 1). */
  numSamples?: number;
  seed?: number;
  /** Token that ends a sample, not included in the output (default the model's eos; null: none). */
  stopToken?: number | null;
  /** Inputs per batch (default 8); a batch has batchSize * numSamples rows. */
  batchSize?: number;
  /** Use the decoders' KV cache (default true). */
  useCache?: boolean;
  /** Called after each batch with the number of inputs done. */
  onProgress?: (inputsDone: number, inputsTotal: number, newTokens: number) => void;
}

export interface Generation {
  id: string;
  /** Index of the input in the `samples` argument. */
  index: number;
  /** Token ids per sample, without the start and stop tokens. */
  samples: number[][];
  /** Whether each sample ended with the stop token (false: it hit maxNewTokens). */
  stopped: boolean[];
}

export async function generate(
  model: CodeRewritingModel,
  samples: EncodedSample[],
  options: GenerateOptions,
): Promise<Generation[]> {
  const { maxNewTokens } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1)
    throw new Error(`generate: maxNewTokens must be an integer >= 1, got ${maxNewTokens}`);
  const numSamples = options.numSamples ?? 1;
  if (!Number.isInteger(numSamples) || numSamples < 1)
    throw new Error(`generate: numSamples must be an integer >= 1, got ${options.numSamples}`);
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`generate: batchSize must be an integer >= 1, got ${options.batchSize}`);
  validateSampling(options);
  const seed = options.seed ?? 0;
  const stopToken = options.stopToken === undefined ? model.special.eos : options.stopToken;
  const banned = options.banned ?? [model.special.start];
  const sampling: SamplingOptions = { ...options, banned };
  const vocab = model.codeVocabSize;
  const useCache = options.useCache ?? true;

  const results: Generation[] = [];
  let newTokens = 0;
  for (let b0 = 0; b0 < samples.length; b0 += batchSize) {
    const inputs = samples.slice(b0, b0 + batchSize);
    const rows = inputs.length * numSamples;
    const rngs: Rng[] = [];
    for (const s of inputs) for (let r = 0; r < numSamples; r++) rngs.push(new Rng(mixSeed(seed, hashString(s.id), r)));
    const out: number[][] = Array.from({ length: rows }, () => []);
    const done = new Array<boolean>(rows).fill(false);
    const state = model.startGeneration(inputs, { repeats: numSamples, maxNewTokens, useCache });
    try {
      const tokens = new Int32Array(rows).fill(model.special.start);
      for (let t = 0; t < maxNewTokens && done.some((d) => !d); t++) {
        const logits = model.nextLogits(state, tokens);
        let values: Float32Array;
        try {
          if (logits.shape[0] !== rows || logits.shape[1] !== vocab) {
            throw new Error(`generate: nextLogits returned shape [${logits.shape}], expected [${rows}, ${vocab}]`);
          }
          values = (await logits.data()) as Float32Array;
        } finally {
          logits.dispose();
        }
        for (let r = 0; r < rows; r++) {
          if (done[r]) {
            tokens[r] = stopToken ?? model.special.pad;
            continue;
          }
          const next = pickToken(values, r * vocab, vocab, sampling, rngs[r]);
          tokens[r] = next;
          if (next === stopToken) done[r] = true;
          else {
            out[r].push(next);
            newTokens++;
          }
        }
      }
    } finally {
      state.dispose();
    }
    inputs.forEach((s, i) => {
      const range = out.slice(i * numSamples, (i + 1) * numSamples);
      results.push({
        id: s.id,
        index: b0 + i,
        samples: range,
        stopped: done.slice(i * numSamples, (i + 1) * numSamples),
      });
    });
    options.onProgress?.(Math.min(samples.length, b0 + batchSize), samples.length, newTokens);
  }
  return results;
}
