/**
 * A TOY language model for testing the training and generation loops, NOT E-code. It implements
 * `CodeRewritingModel` with real tf variables and a real masked cross-entropy, so losses really fall:
 * the slow code is mean-pooled into a context vector, and each decoder position sees its own
 * token, the mean of its prefix, and the context. Its "KV cache" is the running prefix sum;
 * `useCache: false` recomputes the prefix mean from all previous tokens at every step.
 * Dropout (unseeded `tf.dropout`) is applied when `training` is true, like a real model.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  CodeSpecialTokens,
  EncodedSample,
  GenerationState,
  LossResult,
  CodeRewritingModel,
} from '../contracts.js';
import { Rng } from '../rng.js';

export interface ToyModelOptions {
  vocabSize?: number;
  dim?: number;
  seed?: number;
  dropout?: number;
  /** Prefix for variable names (tfjs variable names are global and must be unique). */
  name?: string;
}

let instances = 0;

class ToyState implements GenerationState {
  disposed = false;
  constructor(
    readonly rows: number,
    readonly ctx: tf.Tensor2D,
    public sum: tf.Tensor2D,
    public count: number,
    readonly prefix: number[][],
    readonly useCache: boolean,
  ) {}
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ctx.dispose();
    this.sum.dispose();
  }
}

export class ToyModel implements CodeRewritingModel {
  readonly variant = 'e-code' as const;
  readonly special: CodeSpecialTokens = { pad: 0, start: 1, eos: 2 };
  readonly codeVocabSize: number;
  readonly variables = new Map<string, tf.Variable>();
  readonly dim: number;
  readonly dropout: number;

  constructor(options: ToyModelOptions = {}) {
    this.codeVocabSize = options.vocabSize ?? 16;
    this.dim = options.dim ?? 8;
    this.dropout = options.dropout ?? 0.1;
    const rng = new Rng(options.seed ?? 1);
    const prefix = options.name ?? `toy${instances++}`;
    const init = (shape: number[], scale: number) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = (rng.nextFloat() * 2 - 1) * scale;
      return tf.tensor(values, shape);
    };
    const V = this.codeVocabSize;
    const D = this.dim;
    const add = (name: string, t: tf.Tensor) => {
      this.variables.set(name, tf.variable(t, true, `${prefix}/${name}`));
      t.dispose();
    };
    add('embed.weight', init([V, D], 0.5));
    add('context.weight', init([D, D], 0.5));
    add('lm_head.weight', init([D, V], 0.5));
    add('lm_head.bias', tf.zeros([V]));
  }

  private v(name: string): tf.Variable {
    return this.variables.get(name)!;
  }

  private embed(ids: tf.Tensor): tf.Tensor {
    const flat = tf.oneHot(tf.reshape(ids, [-1]) as tf.Tensor1D, this.codeVocabSize);
    const e = tf.matMul(tf.cast(flat, 'float32'), this.v('embed.weight'));
    return tf.reshape(e, [...ids.shape, this.dim]);
  }

  /** [B, D] context from the slow code (mean of non-pad token embeddings). */
  private context(samples: EncodedSample[]): tf.Tensor2D {
    const L = Math.max(1, ...samples.map((s) => s.ic.length));
    const ids = samples.map((s) => [...s.ic, ...new Array(L - s.ic.length).fill(this.special.pad)]);
    const mask = samples.map((s) => Array.from({ length: L }, (_, i) => (i < s.ic.length ? 1 : 0)));
    const e = this.embed(tf.tensor2d(ids, [samples.length, L], 'int32')); // [B, L, D]
    const m = tf.tensor3d(
      mask.map((r) => r.map((x) => [x])),
      [samples.length, L, 1],
    );
    const pooled = tf.div(tf.sum(tf.mul(e, m), 1), tf.maximum(tf.sum(m, 1), 1));
    return tf.tanh(tf.matMul(pooled as tf.Tensor2D, this.v('context.weight'))) as tf.Tensor2D;
  }

  /** Logits [B, T, V] for decoder inputs [B, T]. */
  private decode(ctx: tf.Tensor2D, inputs: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const [B, T] = inputs.shape;
    const e = this.embed(inputs) as tf.Tensor3D; // [B, T, D]
    // Prefix means as a matmul with a lower-triangular averaging matrix (tf.cumsum's gradient is
    // wrong for a non-last axis in tfjs 4.22).
    const tri = tf.div(tf.linalg.bandPart(tf.ones([T, T]), -1, 0), tf.reshape(tf.range(1, T + 1), [T, 1]));
    const flat = tf.reshape(tf.transpose(e, [1, 0, 2]), [T, B * this.dim]);
    const mean = tf.transpose(tf.reshape(tf.matMul(tri as tf.Tensor2D, flat), [T, B, this.dim]), [1, 0, 2]);
    let h = tf.tanh(tf.add(tf.add(e, tf.mul(mean, 0.5)), tf.reshape(ctx, [B, 1, this.dim])));
    if (training && this.dropout > 0) h = tf.dropout(h, this.dropout);
    const logits = tf.add(
      tf.matMul(tf.reshape(h, [B * T, this.dim]), this.v('lm_head.weight')),
      this.v('lm_head.bias'),
    );
    return tf.reshape(logits, [B, T, this.codeVocabSize]);
  }

  private batchLoss(samples: EncodedSample[], training: boolean): { perToken: tf.Tensor2D; mask: tf.Tensor2D } {
    const { pad, start, eos } = this.special;
    const T = Math.max(...samples.map((s) => s.ec.length + 1));
    const inputs = samples.map((s) => [start, ...s.ec, ...new Array(T - 1 - s.ec.length).fill(pad)]);
    const labels = samples.map((s) => [...s.ec, eos, ...new Array(T - 1 - s.ec.length).fill(pad)]);
    const ctx = this.context(samples);
    const logits = this.decode(ctx, tf.tensor2d(inputs, [samples.length, T], 'int32'), training);
    const labelT = tf.tensor2d(labels, [samples.length, T], 'int32');
    const logp = tf.logSoftmax(logits);
    const onehot = tf.oneHot(labelT, this.codeVocabSize);
    const perToken = tf.neg(tf.sum(tf.mul(logp, onehot), -1)) as tf.Tensor2D;
    const mask = tf.cast(tf.notEqual(labelT, pad), 'float32') as tf.Tensor2D;
    return { perToken, mask };
  }

  loss(samples: EncodedSample[], training: boolean): LossResult {
    if (samples.length === 0) throw new Error('ToyModel.loss: empty batch');
    const tokens = samples.reduce((n, s) => n + s.ec.length + 1, 0);
    const loss = tf.tidy(() => {
      const { perToken, mask } = this.batchLoss(samples, training);
      return tf.div(tf.sum(tf.mul(perToken, mask)), tf.sum(mask)) as tf.Scalar;
    });
    return { loss, tokens };
  }

  perSampleLoss(samples: EncodedSample[]): tf.Tensor1D {
    return tf.tidy(() => {
      const { perToken, mask } = this.batchLoss(samples, false);
      return tf.div(tf.sum(tf.mul(perToken, mask), 1), tf.sum(mask, 1)) as tf.Tensor1D;
    });
  }

  startGeneration(
    samples: EncodedSample[],
    opts: { repeats: number; maxNewTokens: number; useCache: boolean },
  ): GenerationState {
    const rows: EncodedSample[] = [];
    for (const s of samples) for (let r = 0; r < opts.repeats; r++) rows.push(s);
    const ctx = tf.tidy(() => this.context(rows));
    return new ToyState(
      rows.length,
      ctx,
      tf.zeros([rows.length, this.dim]),
      0,
      rows.map(() => []),
      opts.useCache,
    );
  }

  nextLogits(state: GenerationState, tokens: Int32Array): tf.Tensor2D {
    const s = state as ToyState;
    if (s.disposed) throw new Error('ToyModel.nextLogits: the generation state was disposed');
    if (tokens.length !== s.rows)
      throw new Error(`ToyModel.nextLogits: expected ${s.rows} tokens, got ${tokens.length}`);
    return tf.tidy(() => {
      const e = this.embed(tf.tensor1d(tokens, 'int32')) as tf.Tensor2D; // [rows, D]
      let mean: tf.Tensor;
      if (s.useCache) {
        const sum = tf.add(s.sum, e) as tf.Tensor2D;
        s.sum.dispose();
        s.sum = tf.keep(sum);
        s.count += 1;
        mean = tf.div(sum, s.count);
      } else {
        s.prefix.forEach((p, i) => p.push(tokens[i]));
        const T = s.prefix[0].length;
        const all = this.embed(tf.tensor2d(s.prefix, [s.rows, T], 'int32'));
        mean = tf.div(tf.sum(all, 1), T);
      }
      const h = tf.tanh(tf.add(tf.add(e, tf.mul(mean, 0.5)), s.ctx));
      return tf.add(tf.matMul(h, this.v('lm_head.weight')), this.v('lm_head.bias')) as tf.Tensor2D;
    });
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

/** Toy samples whose fast code is a learnable function of the slow code (a run counting up from its first token). */
export function toySamples(
  count: number,
  options: { vocabSize?: number; seed?: number; maxLen?: number } = {},
): EncodedSample[] {
  const V = options.vocabSize ?? 16;
  const maxLen = options.maxLen ?? 8;
  const rng = new Rng(options.seed ?? 7);
  const out: EncodedSample[] = [];
  for (let i = 0; i < count; i++) {
    const len = 2 + rng.nextInt(maxLen - 1);
    const ic = Array.from({ length: len }, () => 3 + rng.nextInt(V - 3));
    const ec = ic.map((_, t) => 3 + ((ic[0] - 3 + t) % (V - 3)));
    out.push({ id: `p${i % 5}/${i}`, problemId: `p${i % 5}`, fields: [[101, 102]], statement: [101, 102], ic, ec });
  }
  return out;
}
