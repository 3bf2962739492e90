/**
 * Choosing the next token from one row of logits: greedy (arg max) or sampling with temperature,
 * then top-k, then top-p (nucleus) filtering, as the E-code original's `top_k_top_p_filtering`
 * (the token that crosses the top-p mass is kept), then a draw from the renormalised softmax.
 */
import type { Rng } from '../rng.js';

export interface SamplingOptions {
  /** Arg max instead of sampling (ignores the other options). */
  greedy?: boolean;
  /** Divides the logits (default 1). */
  temperature?: number;
  /** Keep the k most likely tokens (0: off). Ties at the k-th value are kept. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose mass reaches p (1: off). */
  topP?: number;
  /** Token ids that may never be chosen (e.g. the start token). */
  banned?: readonly number[];
}

export function validateSampling(o: SamplingOptions): void {
  const t = o.temperature ?? 1;
  if (!(t > 0) || !Number.isFinite(t)) throw new Error(`generate: temperature must be > 0, got ${o.temperature}`);
  const k = o.topK ?? 0;
  if (!Number.isInteger(k) || k < 0) throw new Error(`generate: topK must be an integer >= 0, got ${o.topK}`);
  const p = o.topP ?? 1;
  if (!(p > 0 && p <= 1)) throw new Error(`generate: topP must be in (0, 1], got ${o.topP}`);
}

/** Picks a token from `logits[offset .. offset + vocab)`. */
export function pickToken(
  logits: ArrayLike<number>,
  offset: number,
  vocab: number,
  o: SamplingOptions,
  rng: Rng,
): number {
  const banned = o.banned ?? [];
  const isBanned = (i: number) => banned.includes(i);
  if (o.greedy) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < vocab; i++) {
      const v = logits[offset + i];
      if (v > bestValue && !isBanned(i)) {
        bestValue = v;
        best = i;
      }
    }
    if (best < 0) throw new Error('generate: every token is banned or -Infinity');
    return best;
  }
  const temperature = o.temperature ?? 1;
  const topK = o.topK ?? 0;
  const topP = o.topP ?? 1;
  const ids: number[] = [];
  const scaled = new Float64Array(vocab);
  for (let i = 0; i < vocab; i++) {
    const v = logits[offset + i] / temperature;
    scaled[i] = v;
    if (v > -Infinity && !isBanned(i)) ids.push(i);
  }
  if (ids.length === 0) throw new Error('generate: every token is banned or -Infinity');
  // Descending by logit; equal logits by id so the order (and the draw) is deterministic.
  ids.sort((a, b) => scaled[b] - scaled[a] || a - b);
  let keep = ids.length;
  if (topK > 0 && topK < keep) {
    const threshold = scaled[ids[topK - 1]];
    keep = topK;
    while (keep < ids.length && scaled[ids[keep]] >= threshold) keep++;
  }
  const max = scaled[ids[0]];
  const probs = new Float64Array(keep);
  let total = 0;
  for (let j = 0; j < keep; j++) {
    probs[j] = Math.exp(scaled[ids[j]] - max);
    total += probs[j];
  }
  if (topP < 1) {
    let cum = 0;
    let cut = keep;
    for (let j = 0; j < keep; j++) {
      cum += probs[j] / total;
      if (cum > topP) {
        cut = j + 1; // keep the token that crosses the threshold
        break;
      }
    }
    keep = cut;
    total = 0;
    for (let j = 0; j < keep; j++) total += probs[j];
  }
  let u = rng.nextFloat() * total;
  for (let j = 0; j < keep; j++) {
    u -= probs[j];
    if (u < 0) return ids[j];
  }
  return ids[keep - 1];
}
