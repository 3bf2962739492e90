/**
 * PyTorch `nn.MultiheadAttention` (batch_first) used as E-code's CrossAttention: packed
 * `in_proj_weight` `[3E,E]` / `in_proj_bias` `[3E]`, `out_proj`, 1/sqrt(d) scaling, optional
 * key-padding mask (the original passes none: it only runs at batch 1).
 */
import * as tf from '@tensorflow/tfjs';
import { attend, attention, keyPaddingBias, mergeHeads, splitHeads, splitHeadsT } from './attention.js';
import { linear, SeedSequence } from './ops.js';
import { normal, ParamScope, zeros } from './params.js';

export interface CrossAttentionConfig {
  embedDim: number;
  numHeads: number;
  dropout: number;
}

/** Keys and values of the encoder side, projected once (for generation). */
export interface CrossAttentionMemory {
  kT: tf.Tensor3D;
  /** Untransposed keys `[B*H, T, dh]` (single-query decoding steps use them). */
  k: tf.Tensor3D;
  v: tf.Tensor3D;
  bias: tf.Tensor4D | null;
  batch: number;
}

export class CrossAttention {
  readonly inProjWeight: tf.Variable;
  readonly inProjBias: tf.Variable;
  readonly outProjWeight: tf.Variable;
  readonly outProjBias: tf.Variable;

  constructor(
    scope: ParamScope,
    readonly config: CrossAttentionConfig,
    private readonly seeds: SeedSequence,
  ) {
    const e = config.embedDim;
    if (e % config.numHeads !== 0)
      throw new Error(`CrossAttention ${scope.prefix}: embed dim ${e} is not divisible by ${config.numHeads} heads`);
    // PyTorch initialises in_proj with xavier_uniform; a normal of the same variance is used here.
    this.inProjWeight = scope.create('in_proj_weight', [3 * e, e], normal(Math.sqrt(2 / (4 * e))));
    this.inProjBias = scope.create('in_proj_bias', [3 * e], zeros);
    this.outProjWeight = scope.create('out_proj.weight', [e, e], normal(Math.sqrt(1 / (3 * e))));
    this.outProjBias = scope.create('out_proj.bias', [e], zeros);
  }

  private project(x: tf.Tensor, part: 0 | 1 | 2): tf.Tensor {
    const e = this.config.embedDim;
    const w = tf.slice(this.inProjWeight, [part * e, 0], [e, e]);
    const b = tf.slice(this.inProjBias, [part * e], [e]);
    return linear(x, w, b, `${this.inProjWeight.name}:${part}`);
  }

  /** Projects the encoder output (keys = values = memory) once. */
  memory(mem: tf.Tensor3D, keyValid?: ArrayLike<number>[]): CrossAttentionMemory {
    const h = this.config.numHeads;
    const [kT, k, v] = tf.tidy(() => {
      const kp = this.project(mem, 1);
      return [splitHeadsT(kp, h), splitHeads(kp, h), splitHeads(this.project(mem, 2), h)];
    });
    return { kT, k, v, bias: keyValid ? keyPaddingBias(keyValid) : null, batch: mem.shape[0] };
  }

  /** Attention of `query` `[B,Tq,E]` over a projected memory. */
  attendMemory(query: tf.Tensor3D, m: CrossAttentionMemory, training: boolean, noGrad = false): tf.Tensor3D {
    const c = this.config;
    return tf.tidy(() => {
      const [b, t] = query.shape;
      const scale = 1 / Math.sqrt(c.embedDim / c.numHeads);
      const q = tf.mul(this.project(query, 0), scale);
      const ctx = attend(splitHeads(q, c.numHeads), m.kT, m.v, {
        keys: noGrad ? m.k : undefined,
        batch: b,
        heads: c.numHeads,
        bias: m.bias,
        dropoutRate: c.dropout,
        training,
        seeds: this.seeds,
        noGrad,
      });
      const merged = tf.reshape(mergeHeads(ctx, b, c.numHeads), [b * t, c.embedDim]);
      return tf.reshape(linear(merged, this.outProjWeight, this.outProjBias), [b, t, c.embedDim]) as tf.Tensor3D;
    });
  }

  /** `MultiheadAttention(query, mem, mem)` output (weights discarded), through the attention kernel. */
  forward(
    query: tf.Tensor3D,
    mem: tf.Tensor3D,
    keyValid: ArrayLike<number>[] | undefined,
    training: boolean,
  ): tf.Tensor3D {
    const c = this.config;
    return tf.tidy(() => {
      const [b, t] = query.shape;
      // The projections in the order `memory` and `attendMemory` run them: keys, values, queries.
      const k = this.project(mem, 1) as tf.Tensor3D;
      const v = this.project(mem, 2) as tf.Tensor3D;
      const q = this.project(query, 0) as tf.Tensor3D;
      const bias = keyValid ? keyPaddingBias(keyValid) : null;
      const ctx = attention(q, k, v, {
        heads: c.numHeads,
        scale: 1 / Math.sqrt(c.embedDim / c.numHeads),
        bias,
        dropoutRate: c.dropout,
        training,
        seeds: this.seeds,
      });
      const merged = tf.reshape(ctx, [b * t, c.embedDim]);
      return tf.reshape(linear(merged, this.outProjWeight, this.outProjBias), [b, t, c.embedDim]) as tf.Tensor3D;
    });
  }
}

export function disposeMemory(m: CrossAttentionMemory): void {
  m.kT.dispose();
  m.k.dispose();
  m.v.dispose();
  m.bias?.dispose();
}
