/**
 * Length-bucketed batches. Each epoch's order is a pure function of (seed, epoch): the samples are
 * shuffled, sorted by length inside windows of `bucketWindow` batches (so a batch holds samples
 * of similar length and pads little), cut into batches, and the batches are shuffled again. A run
 * that resumes only needs the epoch and the index of the next batch.
 */
import type { EncodedSample } from '../contracts.js';
import { Rng, mixSeed } from '../rng.js';

export interface BatchPlanOptions {
  batchSize: number;
  seed: number;
  /** Window, in batches, inside which samples are sorted by length (default 50; 1 disables bucketing). */
  bucketWindow?: number;
  /** Length used for bucketing (default: slow code + fast code tokens). */
  lengthOf?: (sample: EncodedSample) => number;
  /** Drop a last batch smaller than `batchSize` (default false). */
  dropLast?: boolean;
}

export const defaultSampleLength = (s: EncodedSample): number => s.ic.length + s.ec.length;

/** The batches of one epoch as lists of sample indices. */
export function planEpoch(samples: readonly EncodedSample[], epoch: number, options: BatchPlanOptions): number[][] {
  const { batchSize, seed } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`planEpoch: batchSize must be an integer >= 1, got ${batchSize}`);
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`planEpoch: epoch must be an integer >= 0, got ${epoch}`);
  const window = options.bucketWindow ?? 50;
  if (!Number.isInteger(window) || window < 1)
    throw new Error(`planEpoch: bucketWindow must be an integer >= 1, got ${window}`);
  const lengthOf = options.lengthOf ?? defaultSampleLength;
  const rng = new Rng(mixSeed(seed, epoch));
  const order = rng.shuffle(samples.map((_, i) => i));
  const lengths = samples.map(lengthOf);
  const batches: number[][] = [];
  const span = batchSize * window;
  for (let start = 0; start < order.length; start += span) {
    const chunk = order.slice(start, start + span);
    if (window > 1) {
      // Stable: equal lengths keep their shuffled order.
      const rank = new Map(chunk.map((idx, pos) => [idx, pos]));
      chunk.sort((a, b) => lengths[a] - lengths[b] || rank.get(a)! - rank.get(b)!);
    }
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  const full = options.dropLast ? batches.filter((b) => b.length === batchSize) : batches;
  return rng.shuffle(full);
}

/** Deterministic batches for evaluation: sorted by length (little padding), no shuffle. */
export function planEval(
  samples: readonly EncodedSample[],
  batchSize: number,
  lengthOf = defaultSampleLength,
): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`planEval: batchSize must be an integer >= 1, got ${batchSize}`);
  const order = samples.map((_, i) => i).sort((a, b) => lengthOf(samples[a]) - lengthOf(samples[b]) || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}
