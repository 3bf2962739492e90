/**
 * The kernels of the layer, by name, with their typed inputs and attributes. Each forward kernel
 * returns its value first; further outputs are what its gradient saves.
 */
import type * as tf from '@tensorflow/tfjs';

export const GeluNew = 'EcodeGeluNew';
export const GeluNewGrad = 'EcodeGeluNewGrad';
export const Gelu = 'EcodeGelu';
export const GeluGrad = 'EcodeGeluGrad';
export const LayerNorm = 'EcodeLayerNorm';
export const LayerNormGrad = 'EcodeLayerNormGrad';
export const ColumnSum = 'EcodeColumnSum';
export const MaskedSoftmax = 'EcodeMaskedSoftmax';
export const SoftmaxGrad = 'EcodeSoftmaxGrad';
export const SoftmaxCrossEntropy = 'EcodeSoftmaxCrossEntropy';
export const SoftmaxCrossEntropyGrad = 'EcodeSoftmaxCrossEntropyGrad';
export const Dropout = 'EcodeDropout';
export const BatchMatMul = 'EcodeBatchMatMul';
export const MatMul = 'EcodeMatMul';
export const Linear = 'EcodeLinear';
export const AdamW = 'EcodeAdamW';
export const GlobalNorm = 'EcodeGlobalNorm';
export const Attention = 'EcodeAttention';
export const AttentionGrad = 'EcodeAttentionGrad';
export const CachedAttention = 'EcodeCachedAttention';

type T = tf.Tensor;
/** Inputs and attributes of each kernel (outputs in the comments). */
export interface KernelSignatures {
  /** -> [y, t = tanh(c (x + 0.044715 x^3))] */
  [GeluNew]: { inputs: { x: T }; attrs: Record<string, never> };
  /** -> dx */
  [GeluNewGrad]: { inputs: { x: T; t: T; dy: T }; attrs: Record<string, never> };
  /** -> [y, phi = Phi(x)] */
  [Gelu]: { inputs: { x: T }; attrs: Record<string, never> };
  /** -> dx */
  [GeluGrad]: { inputs: { x: T; phi: T; dy: T }; attrs: Record<string, never> };
  /** over the last axis -> [y, xhat, rstd ([rows])] */
  [LayerNorm]: { inputs: { x: T; gamma: T; beta: T }; attrs: { eps: number } };
  /** -> [dx, dgamma, dbeta] */
  [LayerNormGrad]: { inputs: { xhat: T; rstd: T; gamma: T; dy: T }; attrs: Record<string, never> };
  /** `[..., D]` -> `[D]` */
  [ColumnSum]: { inputs: { x: T }; attrs: Record<string, never> };
  /** `softmax(scores [B,H,Tq,Tk] + mask [B,1,Tq|1,Tk])` over the last axis -> y */
  [MaskedSoftmax]: { inputs: { scores: T; mask?: T }; attrs: Record<string, never> };
  /** `y (dy - sum(dy y))` over the last axis -> dx */
  [SoftmaxGrad]: { inputs: { y: T; dy: T }; attrs: Record<string, never> };
  /** `[N,V]` logits, int32 targets `[N]`, mask `[N]` -> [nll ([N], times mask), probs] */
  [SoftmaxCrossEntropy]: { inputs: { logits: T; targets: T; mask: T }; attrs: Record<string, never> };
  /** `(probs - onehot(targets)) * mask * dy` -> dlogits */
  [SoftmaxCrossEntropyGrad]: { inputs: { probs: T; targets: T; mask: T; dy: T }; attrs: Record<string, never> };
  /** inverted dropout, seeded mulberry32 stream -> [y, s (0 or 1/(1-rate))] */
  [Dropout]: { inputs: { x: T }; attrs: { rate: number; seed: number } };
  /** `[G,M,K] x [G,K,N]` -> `[G,M,N]` */
  [BatchMatMul]: { inputs: { a: T; b: T }; attrs: Record<string, never> };
  /** `op(a) op(b)` for rank 2 or 3 -> product */
  [MatMul]: { inputs: { a: T; b: T }; attrs: { transposeA: boolean; transposeB: boolean } };
  /** `x W^T (+ bias)`, x `[N,in]`, W `[out,in]` -> y `[N,out]` */
  [Linear]: { inputs: { x: T; w: T; bias?: T }; attrs: Record<string, never> };
  /** One AdamW step (PyTorch's update), `gradScale` a scalar -> [param, expAvg, expAvgSq] */
  [AdamW]: {
    inputs: { param: T; expAvg: T; expAvgSq: T; grad: T; gradScale?: T };
    attrs: {
      b1: number;
      oneMinusB1: number;
      b2: number;
      oneMinusB2: number;
      eps: number;
      bc2: number;
      negStep: number;
      decay: number;
    };
  };
  /** inputs `0..n-1` (the gradients) -> [norm, scale = min(1, maxNorm / (norm + 1e-6))] */
  [GlobalNorm]: { inputs: Record<string, T>; attrs: { maxNorm: number } };
  /**
   * Multi-head attention `softmax(scale q k^T + bias) v` per head with heads split from and merged
   * into the feature axis: q `[B,Tq,H*dh]`, k and v `[B,Tk,H*dh]`, additive bias
   * `[B|1,1,Tq|1,Tk]`; inverted dropout of the probabilities when `rate > 0` (the `EcodeDropout`
   * stream of `seed` over `[B,H,Tq,Tk]`) -> [out `[B,Tq,H*dh]`, y (the softmax, `[B,H,Tq,Tk]`)],
   * and from the composed reference also its head-split operands for its gradient:
   * qh `[B*H,Tq,dh]` (scaled), kT `[B*H,dh,Tk]`, vh `[B*H,Tk,dh]`, p (the dropped-out
   * probabilities `[B*H,Tq,Tk]`), and s (the dropout multipliers) when `rate > 0`.
   */
  [Attention]: { inputs: { q: T; k: T; v: T; bias?: T }; attrs: AttentionAttrs };
  /** -> [dq, dk, dv]; qh, kT, vh, p, s as the forward's reference returns them (recomputed when absent) */
  [AttentionGrad]: {
    inputs: { q: T; k: T; v: T; y: T; dy: T; qh?: T; kT?: T; vh?: T; p?: T; s?: T };
    attrs: AttentionAttrs;
  };
  /**
   * Attention of new queries over cached keys and values (decoding; inference only, no gradient):
   * q `[B,Tq,H*dh]`, k and v head-split `[B*H,Tk,dh]` (the KV cache's layout), kT `[B*H,dh,Tk]`
   * when the caller keeps the keys transposed too (used for `Tq > 1`), bias `[B|1,1,Tq|1,Tk]` ->
   * out `[B,Tq,H*dh]`
   */
  [CachedAttention]: { inputs: { q: T; k: T; v: T; kT?: T; bias?: T }; attrs: CachedAttentionAttrs };
}
/** Heads and the scores' scale of `EcodeCachedAttention`. */
export interface CachedAttentionAttrs {
  heads: number;
  scale: number;
}
/** Heads, the scores' scale (1 for GPT-Neo, `1/sqrt(dh)` for BERT and the cross attention), dropout. */
export interface AttentionAttrs {
  heads: number;
  scale: number;
  rate: number;
  seed: number;
}
export type KernelName = keyof KernelSignatures;
export type InputsOf<K extends KernelName> = KernelSignatures[K]['inputs'];
export type AttrsOf<K extends KernelName> = KernelSignatures[K]['attrs'];
