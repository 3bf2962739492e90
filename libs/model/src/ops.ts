/**
 * Fast differentiable ops. On tfjs-wasm a matmul with transpose flags (as the stock matMul
 * gradient uses) or a batch dimension is 4-12x slower than a plain 2-D one, so every product here
 * is a 2-D untransposed matMul (or the wasm view kernel for rank 3) and the gradients transpose
 * explicitly. When the wasm products run through OpenBLAS (native.ts) transpose flags cost
 * nothing, so the products pass them instead of transposing (no Transpose kernels, no copies).
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED, fusedAvailable, runFused } from './fused-kernels.js';
import { nativeActive } from './native.js';
import { ECODE_BATCH_MATMUL } from './wasm-kernels.js';

type GradFn = Parameters<typeof tf.customGrad>[0];
const custom = (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  f: (...args: any[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] },
) => tf.customGrad(f as unknown as GradFn);

/** Whether ops are being recorded for a gradient (else custom gradients can be skipped). */
export function taping(): boolean {
  const e = tf.engine() as unknown as { isTapeOn?: () => boolean };
  return e.isTapeOn ? e.isTapeOn() : true;
}

function onWasm(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(ECODE_BATCH_MATMUL, 'wasm') !== undefined;
}

/** Whether transpose flags are free: wasm products running through OpenBLAS. */
function flagsFree(): boolean {
  return nativeActive() && tf.getBackend() === 'wasm';
}

/** `a @ b` for 2-D tensors, with a gradient made of untransposed 2-D products. */
export const matMul2d = custom((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      if (flagsFree())
        return [
          tf.matMul(dy as tf.Tensor2D, sb as tf.Tensor2D, false, true),
          tf.matMul(sa as tf.Tensor2D, dy as tf.Tensor2D, true, false),
        ];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** Forward of a rank-3 batched product without transposes. */
function bmmForward(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (a.shape[0] === 1) {
    return tf.reshape(
      tf.matMul(
        tf.reshape(a, a.shape.slice(1) as [number, number]),
        tf.reshape(b, b.shape.slice(1) as [number, number]),
      ),
      [1, a.shape[1], b.shape[2]],
    );
  }
  if (onWasm()) return tf.engine().runKernel(ECODE_BATCH_MATMUL, { a, b }, {}) as tf.Tensor3D;
  return tf.matMul(a, b);
}

const swapLast = (t: tf.Tensor): tf.Tensor3D => tf.transpose(t as tf.Tensor3D, [0, 2, 1]);

/**
 * Gradients of `y = a @ b` (`a` `[G,M,K]`, `b` `[G,K,N]`), transposing whichever operands are
 * smaller: `da = dy b^T` or `(b dy^T)^T`, `db = a^T dy` or `(dy^T a)^T`. In attention this keeps
 * the big `[Tq,Tk]` probability and score blocks untransposed.
 */
function bmmGrads(a: tf.Tensor3D, b: tf.Tensor3D, dy: tf.Tensor3D): [tf.Tensor3D, tf.Tensor3D] {
  if (flagsFree()) return [tf.matMul(dy, b, false, true), tf.matMul(a, dy, true, false)];
  const [, m, k] = a.shape;
  const n = b.shape[2];
  const da = k * n <= m * n + k * m ? bmmForward(dy, swapLast(b)) : swapLast(bmmForward(b, swapLast(dy)));
  const db = m * k <= m * n + n * k ? bmmForward(swapLast(a), dy) : swapLast(bmmForward(swapLast(dy), a));
  return [da, db];
}

const bmmTaped = custom((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: bmmForward(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      bmmGrads(saved[0] as tf.Tensor3D, saved[1] as tf.Tensor3D, dy as tf.Tensor3D),
  };
}) as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/** Batched `a @ b` for `[G,M,K] x [G,K,N]`; gradient with explicit transposes. */
export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return taping() ? bmmTaped(a, b) : bmmForward(a, b);
}

/** Non-differentiable batched product (generation, inference). */
export function bmmNoGrad(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return bmmForward(a, b);
}

/** `dW` of `y = x W^T`: `dy^T x` or `(x^T dy)^T`, whichever transposes less. */
function weightGrad(dy: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  if (flagsFree()) return tf.matMul(dy, x, true, false);
  const [n, inDim] = x.shape;
  const out = dy.shape[1];
  return n * out <= n * inDim + inDim * out
    ? tf.matMul(tf.transpose(dy), x)
    : (tf.transpose(tf.matMul(tf.transpose(x), dy)) as tf.Tensor2D);
}

/** Sum over rows (bias gradients); a fused column sum on wasm (tf.sum over axis 0 transposes). */
export function columnSum(x: tf.Tensor): tf.Tensor1D {
  if (fusedAvailable()) return runFused(FUSED.columnSum, { x }) as tf.Tensor1D;
  return tf.sum(tf.reshape(x, [-1, x.shape[x.rank - 1]]), 0) as tf.Tensor1D;
}

/** `x W^T` (W `[out,in]`): the transpose flag when it is free, else an explicit transpose. */
function timesWT(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return flagsFree() ? tf.matMul(x, w, false, true) : tf.matMul(x, tf.transpose(w) as tf.Tensor2D);
}

const linearNoBias = custom((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: timesWT(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved;
      return [tf.matMul(dy as tf.Tensor2D, sw as tf.Tensor2D), weightGrad(dy as tf.Tensor2D, sx as tf.Tensor2D)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

const linearBias = custom((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    // Natively the bias is sgemm's starting C (no separate broadcast add).
    value: flagsFree()
      ? tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, transposeB: true, bias: b })
      : tf.add(timesWT(x as tf.Tensor2D, w as tf.Tensor2D), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved;
      return [
        tf.matMul(dy as tf.Tensor2D, sw as tf.Tensor2D),
        weightGrad(dy as tf.Tensor2D, sx as tf.Tensor2D),
        columnSum(dy),
      ];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * PyTorch `nn.Linear`: `y = x W^T + b` with `W` in the checkpoint layout `[out, in]`; `x` may have
 * any rank (the last axis is the feature axis).
 */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor, cacheKey?: string): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  if (w.shape[1] !== inDim) throw new Error(`linear: input has ${inDim} features but the weight is [${w.shape}]`);
  const x2 = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, inDim]) as tf.Tensor2D);
  const key = cacheKey ?? (w instanceof tf.Variable ? w.name : undefined);
  let y: tf.Tensor2D;
  if (activeCache && key !== undefined) {
    // Inference with frozen weights: reuse W^T across decoding steps.
    y = tf.matMul(x2, activeCache.get(key, () => tf.transpose(w)) as tf.Tensor2D);
    if (b) y = tf.add(y, b);
  } else if (!taping()) {
    if (b && flagsFree()) y = tf.fused.matMul({ a: x2, b: w as tf.Tensor2D, transposeB: true, bias: b }) as tf.Tensor2D;
    else {
      y = timesWT(x2, w as tf.Tensor2D);
      if (b) y = tf.add(y, b);
    }
  } else y = b ? linearBias(x2, w as tf.Tensor2D, b as tf.Tensor1D) : linearNoBias(x2, w as tf.Tensor2D);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), w.shape[0]]);
}

/**
 * Transposed weights kept across calls while the weights are frozen (incremental decoding: each
 * step would otherwise re-transpose every weight, which costs more than the step's products).
 */
export class TransposeCache {
  private readonly m = new Map<string, tf.Tensor>();
  get(key: string, make: () => tf.Tensor): tf.Tensor {
    let t = this.m.get(key);
    if (!t) {
      t = tf.keep(make());
      this.m.set(key, t);
    }
    return t;
  }
  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    this.m.clear();
  }
}

let activeCache: TransposeCache | null = null;

/** Runs `f` with `cache` serving `linear`'s transposed weights (no gradients inside). */
export function withTransposeCache<T>(cache: TransposeCache, f: () => T): T {
  const prev = activeCache;
  activeCache = cache;
  try {
    return f();
  } finally {
    activeCache = prev;
  }
}

const layerNormOp = (eps: number) =>
  custom((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
    if (fusedAvailable()) {
      const [y, xhat, rstd] = runFused(FUSED.layerNorm, { x, gamma, beta }, { eps }) as tf.Tensor[];
      save([xhat, rstd, gamma]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          runFused(FUSED.layerNormGrad, { xhat: saved[0], rstd: saved[1], gamma: saved[2], dy }) as tf.Tensor[],
      };
    }
    const mean = tf.mean(x, -1, true);
    const xc = tf.sub(x, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps));
    const xhat = tf.mul(xc, rstd);
    save([xhat, rstd, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sgamma] = saved;
        const dxhat = tf.mul(dy, sgamma);
        const inner = tf.sub(
          tf.sub(dxhat, tf.mean(dxhat, -1, true)),
          tf.mul(sxhat, tf.mean(tf.mul(dxhat, sxhat), -1, true)),
        );
        return [tf.mul(inner, srstd), columnSum(tf.mul(dy, sxhat)), columnSum(dy)];
      },
    };
  });
const layerNormOps = new Map<number, ReturnType<typeof layerNormOp>>();

/**
 * Layer normalisation over the last axis (PyTorch semantics: biased variance, eps inside sqrt),
 * with a hand-written gradient (about a third of the kernels of the composed one).
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  let op = layerNormOps.get(eps);
  if (!op) layerNormOps.set(eps, (op = layerNormOp(eps)));
  const d = x.shape[x.rank - 1];
  const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, d]);
  const y =
    !taping() && fusedAvailable()
      ? (runFused(FUSED.layerNorm, { x: x2, gamma, beta }, { eps }) as tf.Tensor[])[0]
      : op(x2, gamma, beta);
  return x.rank === 2 ? y : tf.reshape(y, x.shape);
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Exact GELU (erf form), BERT's `gelu`; gradient `Phi(x) + x phi(x)`. */
const geluTaped = custom((x: tf.Tensor, save: tf.GradSaveFunc) => {
  if (fusedAvailable()) {
    const [y, p] = runFused(FUSED.gelu, { x }) as tf.Tensor[];
    save([x, p]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        runFused(FUSED.geluGrad, { x: saved[0], phi: saved[1], dy }) as tf.Tensor,
      ],
    };
  }
  const phi = tf.mul(tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))), 0.5);
  save([x, phi]);
  return {
    value: tf.mul(x, phi),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sphi] = saved;
      const density = tf.mul(tf.exp(tf.mul(tf.square(sx), -0.5)), INV_SQRT_2PI);
      return [tf.mul(dy, tf.add(sphi, tf.mul(sx, density)))];
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

const GELU_NEW_C = Math.sqrt(2 / Math.PI);
/** GPT-2's `gelu_new` (tanh approximation), with its analytic gradient. */
const geluNewTaped = custom((x: tf.Tensor, save: tf.GradSaveFunc) => {
  if (fusedAvailable()) {
    const [y, th] = runFused(FUSED.geluNew, { x }) as tf.Tensor[];
    save([x, th]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        runFused(FUSED.geluNewGrad, { x: saved[0], t: saved[1], dy }) as tf.Tensor,
      ],
    };
  }
  const t = tf.tanh(tf.mul(tf.mul(x, tf.add(tf.mul(tf.square(x), 0.044715), 1)), GELU_NEW_C));
  save([x, t]);
  return {
    value: tf.mul(tf.mul(x, 0.5), tf.add(t, 1)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, st] = saved;
      // d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 * 0.044715 x^2)
      const left = tf.mul(tf.add(st, 1), 0.5);
      const inner = tf.mul(tf.add(tf.mul(tf.square(sx), 3 * 0.044715 * GELU_NEW_C), GELU_NEW_C), tf.mul(sx, 0.5));
      const right = tf.mul(tf.sub(1, tf.square(st)), inner);
      return [tf.mul(dy, tf.add(left, right))];
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** Exact GELU (erf form), BERT's `gelu`. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return !taping() && fusedAvailable() ? (runFused(FUSED.gelu, { x }) as tf.Tensor[])[0] : geluTaped(x);
}

/** GPT-2's `gelu_new` (tanh approximation). */
export function geluNew(x: tf.Tensor): tf.Tensor {
  return !taping() && fusedAvailable() ? (runFused(FUSED.geluNew, { x }) as tf.Tensor[])[0] : geluNewTaped(x);
}

/**
 * Per-row negative log-likelihood of `targets` under `softmax(logits)` (`[N,V]` -> `[N]`), times
 * `mask` (rows with mask 0 may hold any target in range). Fused: the gradient is
 * `(softmax - onehot) * mask * dy` in one pass instead of the composed logSoftmax/gather ones.
 */
export function sparseCrossEntropy(logits: tf.Tensor2D, targets: Int32Array, mask: Float32Array): tf.Tensor1D {
  const [n, v] = logits.shape;
  if (fusedAvailable()) {
    const t = tf.tensor1d(targets, 'int32');
    const m = tf.tensor1d(mask);
    const fusedOp = custom((lg: tf.Tensor, save: tf.GradSaveFunc) => {
      const [nll, probs] = runFused(FUSED.xent, { logits: lg, targets: t, mask: m }) as tf.Tensor[];
      save([probs, t, m]);
      return {
        value: nll,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
          runFused(FUSED.xentGrad, {
            probs: saved[0],
            targets: saved[1],
            mask: saved[2],
            dy,
          }) as tf.Tensor,
        ],
      };
    });
    const out = fusedOp(logits) as tf.Tensor1D;
    t.dispose();
    m.dispose();
    return out;
  }
  const op = custom((lg: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.logSoftmax(lg);
    const flat = new Int32Array(n);
    for (let i = 0; i < n; i++) flat[i] = i * v + targets[i];
    const t = tf.tensor1d(targets, 'int32');
    const m = tf.tensor1d(mask);
    save([logp, t, m]);
    return {
      value: tf.mul(tf.neg(tf.gather(tf.reshape(logp, [n * v]), tf.tensor1d(flat, 'int32'))), m),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [slogp, st, sm] = saved;
        const scale = tf.reshape(tf.mul(dy, sm), [n, 1]);
        return [tf.mul(tf.sub(tf.exp(slogp), tf.cast(tf.oneHot(st as tf.Tensor1D, v), 'float32')), scale)];
      },
    };
  });
  return op(logits) as tf.Tensor1D;
}

/**
 * `softmax(scores + mask)` over the last axis for attention (`scores` `[B,H,Tq,Tk]`, additive
 * `mask` broadcastable as `[B,1,Tq|1,Tk]`, or null), with the gradient `y (dy - sum(dy y))`.
 * Fused mask addition and gradient on wasm (its broadcasting kernels are slow).
 */
export function maskedSoftmax(scores: tf.Tensor4D, mask: tf.Tensor | null): tf.Tensor4D {
  const fused = fusedAvailable();
  if (!taping()) {
    const masked =
      mask === null ? scores : fused ? (runFused(FUSED.addMask, { scores, mask }) as tf.Tensor) : tf.add(scores, mask);
    return tf.softmax(masked, -1) as tf.Tensor4D;
  }
  const op = custom((s4: tf.Tensor, save: tf.GradSaveFunc) => {
    const masked =
      mask === null ? s4 : fused ? (runFused(FUSED.addMask, { scores: s4, mask }) as tf.Tensor) : tf.add(s4, mask);
    const y = tf.softmax(masked, -1);
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const sy = saved[0];
        if (fused) return [runFused(FUSED.softmaxGrad, { y: sy, dy }) as tf.Tensor];
        return [tf.mul(sy, tf.sub(dy, tf.sum(tf.mul(dy, sy), -1, true)))];
      },
    };
  });
  return op(scores) as tf.Tensor4D;
}

/** Embedding lookup `table[ids]` (gradient through UnsortedSegmentSum, registered for wasm). */
export function embedding(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  return tf.gather(table, ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'));
}

/** Source of dropout seeds: deterministic for a given model seed. */
export class SeedSequence {
  private state: number;
  constructor(seed: number) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }
  /** Restarts the sequence as if constructed with `seed`. */
  reset(seed: number): void {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }
  /** Next 31-bit seed (mulberry32). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 2147483647;
  }
}

/** Inverted dropout when `rate > 0` and training; identity otherwise. */
export function dropout(x: tf.Tensor, rate: number, training: boolean, seeds: SeedSequence): tf.Tensor {
  if (!training || rate <= 0) return x;
  const seed = seeds.next();
  if (fusedAvailable()) {
    // One pass (tf.dropout takes five on wasm); the scale tensor is the gradient's multiplier.
    const op = custom((xx: tf.Tensor, save: tf.GradSaveFunc) => {
      const [y, s] = runFused(FUSED.dropout, { x: xx }, { rate, seed }) as tf.Tensor[];
      save([s]);
      return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0])] };
    });
    return op(x);
  }
  return tf.dropout(x, rate, undefined, seed);
}
