/**
 * AdamW with decoupled weight decay and bias correction, the same update as PyTorch's
 * `torch.optim.AdamW` (the E-code original uses transformers' AdamW with `correct_bias=True` and no
 * weight decay, which differs only in where epsilon sits). Moments live in tf variables so they
 * can be checkpointed and restored bit-exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { Kernels as K, runKernel } from '@ecode/kernels';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (PyTorch's default is 0.01; the E-code original uses 0). */
  weightDecay?: number;
  /** Variable names that get no weight decay (e.g. biases and LayerNorm weights). */
  noDecay?: (name: string) => boolean;
}

/** Optimizer state as plain tensors by name (`exp_avg.<var>`, `exp_avg_sq.<var>`) plus the step. */
export interface AdamWState {
  step: number;
  tensors: Map<string, tf.Tensor>;
}

interface Slot {
  param: tf.Variable;
  expAvg: tf.Variable;
  expAvgSq: tf.Variable;
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private readonly noDecay: (name: string) => boolean;
  private readonly slots = new Map<string, Slot>();
  private stepCount = 0;

  constructor(variables: Map<string, tf.Variable>, options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.noDecay = options.noDecay ?? (() => false);
    for (const [k, v] of [
      ['beta1', this.beta1],
      ['beta2', this.beta2],
    ] as const) {
      if (!(v >= 0 && v < 1)) throw new Error(`AdamW: ${k} must be in [0, 1), got ${v}`);
    }
    if (!(this.epsilon > 0)) throw new Error(`AdamW: epsilon must be > 0, got ${this.epsilon}`);
    if (!(this.weightDecay >= 0)) throw new Error(`AdamW: weightDecay must be >= 0, got ${this.weightDecay}`);
    for (const [name, param] of variables) {
      if (!param.trainable) continue;
      this.slots.set(name, {
        param,
        expAvg: tf.variable(tf.zerosLike(param), false),
        expAvgSq: tf.variable(tf.zerosLike(param), false),
      });
    }
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.stepCount;
  }

  /** Names of the variables this optimizer updates. */
  get names(): string[] {
    return [...this.slots.keys()];
  }

  /**
   * One update with learning rate `lr`. `grads` maps variable names to gradients; a variable with
   * no gradient is left untouched (as PyTorch does for `grad is None`). Gradients are not disposed.
   * `gradScale` multiplies every gradient first (global-norm clipping's factor, a number or the
   * scalar `globalNorm` returns). Each variable's step is one `EcodeAdamW` kernel (or its composed
   * reference).
   */
  apply(grads: Map<string, tf.Tensor>, lr: number, options: { gradScale?: number | tf.Scalar } = {}): void {
    for (const name of grads.keys()) {
      if (!this.slots.has(name)) throw new Error(`AdamW.apply: gradient for unknown variable '${name}'`);
    }
    for (const [name, slot] of this.slots) {
      const g = grads.get(name);
      if (g && (g.shape.length !== slot.param.shape.length || g.shape.some((d, i) => d !== slot.param.shape[i]))) {
        throw new Error(
          `AdamW.apply: gradient for '${name}' has shape [${g.shape}] but the variable has [${slot.param.shape}]`,
        );
      }
      if (g && g.dtype !== 'float32')
        throw new Error(`AdamW.apply: gradient for '${name}' is ${g.dtype}, expected float32`);
    }
    this.stepCount += 1;
    const t = this.stepCount;
    const decay = 1 - lr * this.weightDecay;
    const attrs = {
      b1: this.beta1,
      oneMinusB1: 1 - this.beta1,
      b2: this.beta2,
      oneMinusB2: 1 - this.beta2,
      eps: this.epsilon,
      bc2: Math.sqrt(1 - this.beta2 ** t),
      negStep: -(lr / (1 - this.beta1 ** t)),
      decay: 1,
    };
    const s = options.gradScale ?? 1;
    const gradScale = typeof s === 'number' ? (s === 1 ? undefined : tf.scalar(s)) : s;
    for (const [name, slot] of this.slots) {
      const grad = grads.get(name);
      if (!grad) continue;
      attrs.decay = this.weightDecay > 0 && !this.noDecay(name) ? decay : 1;
      const [p, m, v] = runKernel(
        K.AdamW,
        { param: slot.param, expAvg: slot.expAvg, expAvgSq: slot.expAvgSq, grad, gradScale },
        attrs,
      ) as tf.Tensor[];
      slot.param.assign(p);
      slot.expAvg.assign(m);
      slot.expAvgSq.assign(v);
      p.dispose();
      m.dispose();
      v.dispose();
    }
    if (typeof s === 'number') gradScale?.dispose();
  }

  /** A copy of the state (the caller disposes the tensors). */
  getState(): AdamWState {
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, slot] of this.slots) {
      tensors.set(`exp_avg.${name}`, tf.clone(slot.expAvg));
      tensors.set(`exp_avg_sq.${name}`, tf.clone(slot.expAvgSq));
    }
    return { step: this.stepCount, tensors };
  }

  /** Restores a state saved by `getState` (values are copied; the caller keeps ownership). */
  setState(state: AdamWState): void {
    for (const [name, slot] of this.slots) {
      for (const [key, target] of [
        [`exp_avg.${name}`, slot.expAvg],
        [`exp_avg_sq.${name}`, slot.expAvgSq],
      ] as const) {
        const t = state.tensors.get(key);
        if (!t) throw new Error(`AdamW.setState: the saved state has no tensor '${key}'`);
        if (t.shape.join(',') !== target.shape.join(',')) {
          throw new Error(`AdamW.setState: '${key}' has shape [${t.shape}] but the variable has [${target.shape}]`);
        }
        target.assign(t.dtype === 'float32' ? t : tf.cast(t, 'float32'));
      }
    }
    if (!Number.isInteger(state.step) || state.step < 0)
      throw new Error(`AdamW.setState: step must be an integer >= 0, got ${state.step}`);
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const slot of this.slots.values()) {
      slot.expAvg.dispose();
      slot.expAvgSq.dispose();
    }
    this.slots.clear();
  }
}
