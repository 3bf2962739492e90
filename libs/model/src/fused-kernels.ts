/**
 * Fused element-wise kernels for the `wasm` backend, written in JS over the wasm heap. On
 * tfjs-wasm every small op is a separate pass (and scalar or broadcasting operands take slow
 * paths), so GELU, layer norm, the attention mask + softmax gradient and bias gradients cost many
 * passes each; these do one or two. Other backends use the composed tf ops in `ops.ts`.
 * With the native addon active (native.ts) each kernel runs as a native loop over the same heap
 * (the JS bodies below are the portable path and the reference the native ones are tested against).
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels } from './native.js';

interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array };
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

export const FUSED = {
  geluNew: 'EcodeGeluNew',
  geluNewGrad: 'EcodeGeluNewGrad',
  gelu: 'EcodeGelu',
  geluGrad: 'EcodeGeluGrad',
  layerNorm: 'EcodeLayerNorm',
  layerNormGrad: 'EcodeLayerNormGrad',
  columnSum: 'EcodeColumnSum',
  addMask: 'EcodeAddMask',
  softmaxGrad: 'EcodeSoftmaxGrad',
  xent: 'EcodeSoftmaxCrossEntropy',
  xentGrad: 'EcodeSoftmaxCrossEntropyGrad',
  dropout: 'EcodeDropout',
} as const;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const f32 = (b: HeapBackend, t: tf.TensorInfo) => b.typedArrayFromHeap(t) as Float32Array;
/** Byte offset of a tensor's data in the wasm heap (stable when the heap grows). */
const at = (b: HeapBackend, t: tf.TensorInfo) => b.dataIdMap.get(t.dataId).memoryOffset;

const GELU_NEW_C = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), in float64. */
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/**
 * gelu_new: outputs y and t = tanh(c (x + 0.044715 x^3)) (saved for the gradient). JS's Math.tanh
 * costs ~30 ns here; tanh(u) = 2 sigmoid(2u) - 1 and y = x sigmoid(2u), so the transcendental part
 * runs in tfjs-wasm's SIMD Sigmoid (XNNPACK, ~1.4 ns), JS only the two polynomial passes.
 */
function geluNew(a: KernelArgs): tf.TensorInfo[] {
  const b = a.backend as HeapBackend & { disposeData(dataId: object): void };
  const x = a.inputs.x as tf.TensorInfo;
  const nk = nativeKernels();
  if (nk) {
    const y = b.makeOutput(x.shape, 'float32');
    const t = b.makeOutput(x.shape, 'float32');
    nk.geluNew(b.wasm.HEAPU8, at(b, x), at(b, y), at(b, t), size(x.shape));
    return [y, t];
  }
  const u = b.makeOutput(x.shape, 'float32');
  let xv = f32(b, x);
  const uv = f32(b, u);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    uv[i] = 2 * GELU_NEW_C * (v + 0.044715 * v * v * v);
  }
  const sigmoid = tf.getKernel('Sigmoid', 'wasm')!.kernelFunc({
    inputs: { x: u },
    backend: b as unknown as tf.KernelBackend,
    attrs: {},
  }) as tf.TensorInfo;
  b.disposeData(u.dataId);
  const y = b.makeOutput(x.shape, 'float32');
  // The sigmoid output becomes t in place (it is this kernel's own fresh tensor).
  xv = f32(b, x);
  const sv = f32(b, sigmoid);
  const yv = f32(b, y);
  for (let i = 0; i < xv.length; i++) {
    const s = sv[i];
    yv[i] = xv[i] * s;
    sv[i] = 2 * s - 1;
  }
  return [y, sigmoid];
}

function geluNewGrad(a: KernelArgs): tf.TensorInfo {
  const b = a.backend as HeapBackend;
  const x = a.inputs.x as tf.TensorInfo;
  const dx = b.makeOutput(x.shape, 'float32');
  const nk = nativeKernels();
  if (nk) {
    const [t, dy] = [a.inputs.t, a.inputs.dy] as tf.TensorInfo[];
    nk.geluNewGrad(b.wasm.HEAPU8, at(b, x), at(b, t), at(b, dy), at(b, dx), size(x.shape));
    return dx;
  }
  const xv = f32(b, x);
  const tv = f32(b, a.inputs.t as tf.TensorInfo);
  const dyv = f32(b, a.inputs.dy as tf.TensorInfo);
  const out = f32(b, dx);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    const th = tv[i];
    out[i] = dyv[i] * (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * GELU_NEW_C * (1 + 3 * 0.044715 * v * v));
  }
  return dx;
}

/** Exact GELU: outputs y and phi = Phi(x). */
function gelu(a: KernelArgs): tf.TensorInfo[] {
  const b = a.backend as HeapBackend;
  const x = a.inputs.x as tf.TensorInfo;
  const y = b.makeOutput(x.shape, 'float32');
  const p = b.makeOutput(x.shape, 'float32');
  const nk = nativeKernels();
  if (nk) {
    nk.gelu(b.wasm.HEAPU8, at(b, x), at(b, y), at(b, p), size(x.shape));
    return [y, p];
  }
  const xv = f32(b, x);
  const yv = f32(b, y);
  const pv = f32(b, p);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    const phi = 0.5 * (1 + erf(v * Math.SQRT1_2));
    pv[i] = phi;
    yv[i] = v * phi;
  }
  return [y, p];
}

function geluGrad(a: KernelArgs): tf.TensorInfo {
  const b = a.backend as HeapBackend;
  const x = a.inputs.x as tf.TensorInfo;
  const dx = b.makeOutput(x.shape, 'float32');
  const nk = nativeKernels();
  if (nk) {
    const [phi, dy] = [a.inputs.phi, a.inputs.dy] as tf.TensorInfo[];
    nk.geluGrad(b.wasm.HEAPU8, at(b, x), at(b, phi), at(b, dy), at(b, dx), size(x.shape));
    return dx;
  }
  const xv = f32(b, x);
  const pv = f32(b, a.inputs.phi as tf.TensorInfo);
  const dyv = f32(b, a.inputs.dy as tf.TensorInfo);
  const out = f32(b, dx);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    out[i] = dyv[i] * (pv[i] + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI);
  }
  return dx;
}

/** Layer norm over the last axis: outputs y, xhat and rstd (per row). */
function layerNorm(a: KernelArgs): tf.TensorInfo[] {
  const b = a.backend as HeapBackend;
  const x = a.inputs.x as tf.TensorInfo;
  const eps = a.attrs.eps as number;
  const d = x.shape[x.shape.length - 1];
  const rows = size(x.shape) / d;
  const y = b.makeOutput(x.shape, 'float32');
  const xh = b.makeOutput(x.shape, 'float32');
  const rs = b.makeOutput([rows], 'float32');
  const nk = nativeKernels();
  if (nk) {
    const [gamma, beta] = [a.inputs.gamma, a.inputs.beta] as tf.TensorInfo[];
    nk.layerNorm(b.wasm.HEAPU8, at(b, x), at(b, gamma), at(b, beta), at(b, y), at(b, xh), at(b, rs), rows, d, eps);
    return [y, xh, rs];
  }
  const xv = f32(b, x);
  const g = f32(b, a.inputs.gamma as tf.TensorInfo);
  const be = f32(b, a.inputs.beta as tf.TensorInfo);
  const yv = f32(b, y);
  const hv = f32(b, xh);
  const rv = f32(b, rs);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += xv[o + j];
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const c = xv[o + j] - mean;
      v += c * c;
    }
    const rstd = 1 / Math.sqrt(v / d + eps);
    rv[r] = rstd;
    for (let j = 0; j < d; j++) {
      const h = (xv[o + j] - mean) * rstd;
      hv[o + j] = h;
      yv[o + j] = h * g[j] + be[j];
    }
  }
  return [y, xh, rs];
}

/** Layer-norm gradient: outputs dx, dgamma, dbeta. */
function layerNormGrad(a: KernelArgs): tf.TensorInfo[] {
  const b = a.backend as HeapBackend;
  const xh = a.inputs.xhat as tf.TensorInfo;
  const d = xh.shape[xh.shape.length - 1];
  const rows = size(xh.shape) / d;
  const dx = b.makeOutput(xh.shape, 'float32');
  const dg = b.makeOutput([d], 'float32');
  const db = b.makeOutput([d], 'float32');
  const nk = nativeKernels();
  if (nk) {
    const [rstd, gamma, dy] = [a.inputs.rstd, a.inputs.gamma, a.inputs.dy] as tf.TensorInfo[];
    nk.layerNormGrad(
      b.wasm.HEAPU8,
      at(b, xh),
      at(b, rstd),
      at(b, gamma),
      at(b, dy),
      at(b, dx),
      at(b, dg),
      at(b, db),
      rows,
      d,
    );
    return [dx, dg, db];
  }
  const hv = f32(b, xh);
  const rv = f32(b, a.inputs.rstd as tf.TensorInfo);
  const g = f32(b, a.inputs.gamma as tf.TensorInfo);
  const dyv = f32(b, a.inputs.dy as tf.TensorInfo);
  const dxv = f32(b, dx);
  const dgv = f32(b, dg);
  const dbv = f32(b, db);
  const accG = new Float64Array(d);
  const accB = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < d; j++) {
      const dy = dyv[o + j];
      const h = hv[o + j];
      const dh = dy * g[j];
      m1 += dh;
      m2 += dh * h;
      accG[j] += dy * h;
      accB[j] += dy;
    }
    m1 /= d;
    m2 /= d;
    const rstd = rv[r];
    for (let j = 0; j < d; j++) dxv[o + j] = rstd * (dyv[o + j] * g[j] - m1 - hv[o + j] * m2);
  }
  for (let j = 0; j < d; j++) {
    dgv[j] = accG[j];
    dbv[j] = accB[j];
  }
  return [dx, dg, db];
}

/** Sum over all but the last axis (bias gradients): `[..., D]` -> `[D]`. */
function columnSum(a: KernelArgs): tf.TensorInfo {
  const b = a.backend as HeapBackend;
  const x = a.inputs.x as tf.TensorInfo;
  const d = x.shape[x.shape.length - 1];
  const rows = size(x.shape) / d;
  const out = b.makeOutput([d], 'float32');
  const nk = nativeKernels();
  if (nk) {
    nk.columnSum(b.wasm.HEAPU8, at(b, x), at(b, out), rows, d);
    return out;
  }
  const xv = f32(b, x);
  const acc = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) acc[j] += xv[o + j];
  }
  const ov = f32(b, out);
  for (let j = 0; j < d; j++) ov[j] = acc[j];
  return out;
}

/**
 * `scores [B,H,Tq,Tk] + mask [B,1,Tq|1,Tk]` (the additive attention mask), broadcast over heads
 * and, when the mask has one row, over queries.
 */
function addMask(a: KernelArgs): tf.TensorInfo {
  const b = a.backend as HeapBackend;
  const s = a.inputs.scores as tf.TensorInfo;
  const m = a.inputs.mask as tf.TensorInfo;
  const [bs, h, tq, tk] = s.shape;
  const mq = m.shape[2];
  const out = b.makeOutput(s.shape, 'float32');
  const nk = nativeKernels();
  if (nk) {
    nk.addMask(b.wasm.HEAPU8, at(b, s), at(b, m), at(b, out), bs, h, tq, tk, mq);
    return out;
  }
  const sv = f32(b, s);
  const mv = f32(b, m);
  const ov = f32(b, out);
  for (let i = 0; i < bs; i++) {
    for (let hh = 0; hh < h; hh++) {
      for (let q = 0; q < tq; q++) {
        const so = ((i * h + hh) * tq + q) * tk;
        const mo = (i * mq + (mq === 1 ? 0 : q)) * tk;
        for (let k = 0; k < tk; k++) ov[so + k] = sv[so + k] + mv[mo + k];
      }
    }
  }
  return out;
}

/** Softmax gradient over the last axis: `y * (dy - sum(dy * y))`. */
function softmaxGrad(a: KernelArgs): tf.TensorInfo {
  const b = a.backend as HeapBackend;
  const y = a.inputs.y as tf.TensorInfo;
  const d = y.shape[y.shape.length - 1];
  const rows = size(y.shape) / d;
  const out = b.makeOutput(y.shape, 'float32');
  const nk = nativeKernels();
  if (nk) {
    nk.softmaxGrad(b.wasm.HEAPU8, at(b, y), at(b, a.inputs.dy as tf.TensorInfo), at(b, out), rows, d);
    return out;
  }
  const yv = f32(b, y);
  const dyv = f32(b, a.inputs.dy as tf.TensorInfo);
  const ov = f32(b, out);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += dyv[o + j] * yv[o + j];
    for (let j = 0; j < d; j++) ov[o + j] = yv[o + j] * (dyv[o + j] - s);
  }
  return out;
}

/**
 * Softmax cross-entropy per row: outputs nll ([N], times mask) and the softmax itself ([N,V],
 * saved for the gradient). The softmax runs in tfjs-wasm's SIMD kernel (~1 ns/element; JS's
 * Math.exp costs ~15 ns), nll = -log p[target]; a row whose p[target] is below 1e-30 (where a
 * float32 softmax loses digits) gets its log-sum-exp in JS in float64 instead.
 */
function xent(a: KernelArgs): tf.TensorInfo[] {
  const b = a.backend as HeapBackend;
  const lg = a.inputs.logits as tf.TensorInfo;
  const [n, v] = lg.shape;
  const probs = tf.getKernel('Softmax', 'wasm')!.kernelFunc({
    inputs: { logits: lg },
    backend: b as unknown as tf.KernelBackend,
    attrs: { dim: lg.shape.length - 1 },
  }) as tf.TensorInfo;
  const nll = b.makeOutput([n], 'float32');
  const lv = f32(b, lg);
  const pv = f32(b, probs);
  const tv = b.typedArrayFromHeap(a.inputs.targets as tf.TensorInfo) as Int32Array;
  const mv = f32(b, a.inputs.mask as tf.TensorInfo);
  const nv = f32(b, nll);
  for (let r = 0; r < n; r++) {
    if (mv[r] === 0) {
      nv[r] = 0;
      continue;
    }
    const o = r * v;
    const p = pv[o + tv[r]];
    if (p >= 1e-30) {
      nv[r] = -Math.log(p) * mv[r];
      continue;
    }
    let mx = -Infinity;
    for (let j = 0; j < v; j++) if (lv[o + j] > mx) mx = lv[o + j];
    let sum = 0;
    for (let j = 0; j < v; j++) sum += Math.exp(lv[o + j] - mx);
    nv[r] = (mx + Math.log(sum) - lv[o + tv[r]]) * mv[r];
  }
  return [nll, probs];
}

/** Its gradient: `(softmax - onehot(target)) * mask * dy` per row, from the saved softmax. */
function xentGrad(a: KernelArgs): tf.TensorInfo {
  const b = a.backend as HeapBackend;
  const pr = a.inputs.probs as tf.TensorInfo;
  const [n, v] = pr.shape;
  const out = b.makeOutput([n, v], 'float32');
  const nk = nativeKernels();
  if (nk) {
    const [targets, mask, dy] = [a.inputs.targets, a.inputs.mask, a.inputs.dy] as tf.TensorInfo[];
    nk.xentGrad(b.wasm.HEAPU8, at(b, pr), at(b, targets), at(b, mask), at(b, dy), at(b, out), n, v);
    return out;
  }
  const pv = f32(b, pr);
  const tv = b.typedArrayFromHeap(a.inputs.targets as tf.TensorInfo) as Int32Array;
  const mv = f32(b, a.inputs.mask as tf.TensorInfo);
  const dyv = f32(b, a.inputs.dy as tf.TensorInfo);
  const ov = f32(b, out);
  for (let r = 0; r < n; r++) {
    const o = r * v;
    const scale = mv[r] * dyv[r];
    if (scale === 0) {
      ov.fill(0, o, o + v);
      continue;
    }
    for (let j = 0; j < v; j++) ov[o + j] = pv[o + j] * scale;
    ov[o + tv[r]] -= scale;
  }
  return out;
}

/** Inverted dropout with a seeded mulberry32 stream: outputs `y = x * s` and `s` (0 or 1/(1-rate)). */
function dropoutKernel(a: KernelArgs): tf.TensorInfo[] {
  const b = a.backend as HeapBackend;
  const x = a.inputs.x as tf.TensorInfo;
  const rate = a.attrs.rate as number;
  let state = (a.attrs.seed as number) >>> 0;
  const y = b.makeOutput(x.shape, 'float32');
  const sc = b.makeOutput(x.shape, 'float32');
  const nk = nativeKernels();
  if (nk) {
    nk.dropout(b.wasm.HEAPU8, at(b, x), at(b, y), at(b, sc), size(x.shape), rate, state);
    return [y, sc];
  }
  const xv = f32(b, x);
  const yv = f32(b, y);
  const sv = f32(b, sc);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < xv.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    const s = u < rate ? 0 : keep;
    sv[i] = s;
    yv[i] = xv[i] * s;
  }
  return [y, sc];
}

let registered = false;

/** Registers the fused kernels for `wasm` (idempotent). */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  const table: [string, (a: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]][] = [
    [FUSED.geluNew, geluNew],
    [FUSED.geluNewGrad, geluNewGrad],
    [FUSED.gelu, gelu],
    [FUSED.geluGrad, geluGrad],
    [FUSED.layerNorm, layerNorm],
    [FUSED.layerNormGrad, layerNormGrad],
    [FUSED.columnSum, columnSum],
    [FUSED.addMask, addMask],
    [FUSED.softmaxGrad, softmaxGrad],
    [FUSED.xent, xent],
    [FUSED.xentGrad, xentGrad],
    [FUSED.dropout, dropoutKernel],
  ];
  for (const [kernelName, f] of table)
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: f as unknown as tf.KernelFunc });
}

/** Whether the fused kernels can run on the current backend. */
export function fusedAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(FUSED.geluNew, 'wasm') !== undefined;
}

/** Runs a fused kernel (no gradient recording: callers wrap them in customGrad). */
export function runFused(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: tf.NamedAttrMap = {},
): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs) as tf.Tensor | tf.Tensor[];
}
