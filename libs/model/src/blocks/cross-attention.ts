/**
 * PyTorch `nn.MultiheadAttention` (batch_first) used as E-code's CrossAttention: packed
 * `in_proj_weight` `[3E,E]` / `in_proj_bias` `[3E]`, `out_proj`, 1/sqrt(d) scaling, optional
 * key-padding mask (the original passes none: it only runs at batch 1).
 */
import * as tf from '@tensorflow/tfjs';
import { attention, cachedAttention, keyPaddingBias, splitHeads, splitHeadsT } from './attention.js';
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

  /** The scores' scale, 1/sqrt(head size), as `nn.MultiheadAttention`. */
  private get scale(): number {
    return 1 / Math.sqrt(this.config.embedDim / this.config.numHeads);
  }

  /** `out_proj` of the merged heads `[B,T,E]`. */
  private output(ctx: tf.Tensor3D): tf.Tensor3D {
    const [b, t, e] = ctx.shape;
    return tf.reshape(linear(tf.reshape(ctx, [b * t, e]), this.outProjWeight, this.outProjBias), [
      b,
      t,
      e,
    ]) as tf.Tensor3D;
  }

  /** Attention of `query` `[B,Tq,E]` over a projected memory (generation: no gradient). */
  attendMemory(query: tf.Tensor3D, m: CrossAttentionMemory): tf.Tensor3D {
    return tf.tidy(() => {
      const q = this.project(query, 0) as tf.Tensor3D;
      const heads = this.config.numHeads;
      return this.output(cachedAttention(q, m.k, m.v, { heads, scale: this.scale, bias: m.bias, kT: m.kT }));
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
      // The projections in the order `memory` and `attendMemory` run them: keys, values, queries.
      const k = this.project(mem, 1) as tf.Tensor3D;
      const v = this.project(mem, 2) as tf.Tensor3D;
      const q = this.project(query, 0) as tf.Tensor3D;
      const bias = keyValid ? keyPaddingBias(keyValid) : null;
      const ctx = attention(q, k, v, {
        heads: c.numHeads,
        scale: this.scale,
        bias,
        dropoutRate: c.dropout,
        training,
        seeds: this.seeds,
      });
      return this.output(ctx);
    });
  }
}

export function disposeMemory(m: CrossAttentionMemory): void {
  m.kT.dispose();
  m.k.dispose();
  m.v.dispose();
  m.bias?.dispose();
}
