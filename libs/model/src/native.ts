/**
 * The native path of the `wasm` backend (`@ecode/native-kernels`, an optional N-API addon).
 * - Matrix products through OpenBLAS: `BatchMatMul` (every `tf.matMul`), `_FusedMatMul` (bias +
 *   linear/relu) and ecode's `EcodeBatchMatMul` call `cblas_sgemm` directly on the wasm heap,
 *   operands in place (no copies), transpose flags passed to sgemm. OpenBLAS (AVX2/AVX-512 with
 *   FMA) runs ~100 GFLOP/s per core here where XNNPACK's wasm SIMD128 runs ~30.
 * - The fused element-wise kernels (fused-kernels.ts) and AdamW's update run as native loops over
 *   the same heap instead of JS / chains of tfjs kernels.
 *
 * Optional at every level: without the addon (not built, fails to load, `ECODE_NATIVE=0`) the
 * stock wasm kernels and the JS fused kernels run; `setNativeKernels(false)` switches back to them
 * at run time (tests compare both paths).
 *
 * Results differ from the portable path in the last bits (FMA, summation order, polynomial exp)
 * and are deterministic for a given OpenBLAS thread count and CPU kernel set (`nativeStatus`).
 */
import * as tf from '@tensorflow/tfjs';
import { loadNative, type NativeKernels } from '@ecode/native-kernels';

interface WasmHeapBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  wasm: { HEAPU8: Uint8Array };
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

export interface NativeStatus {
  /** Whether the wasm backend's products and fused kernels run natively (else XNNPACK + JS). */
  active: boolean;
  /** OpenBLAS's CPU kernel set (`Haswell`, `Zen`, `SkylakeX`, `Cooperlake`, ...) when active. */
  corename?: string;
  /** OpenBLAS's build line when active. */
  config?: string;
  /** OpenBLAS threads when active. */
  threads?: number;
  /** Why the native path is not active. */
  reason?: string;
}

let blas: NativeKernels | null = null;
let enabled = false;
let registered = false;
let loadReason: string | undefined;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Runs `op(a) op(b)` for rank >= 2 float32 tensors whose batch dimensions are equal or one of them
 * has size 1 (broadcast), the cases the stock kernel handles; null for anything else.
 */
function nativeProduct(
  backend: WasmHeapBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias?: tf.TensorInfo,
): tf.TensorInfo | null {
  if (!blas || !enabled || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb)
    throw new Error(
      `matMul: inner dimensions ${k} and ${kb} of shapes [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB}) differ`,
    );
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  let outBatch: number[];
  if (batchA === batchB) outBatch = (ra >= rb ? a : b).shape.slice(0, -2);
  else if (batchB === 1) outBatch = a.shape.slice(0, -2);
  else if (batchA === 1) outBatch = b.shape.slice(0, -2);
  else return null;
  // Same-size batches with different shapes ([2,3] vs [3,2]) are no plain broadcast: stock kernel.
  if (batchA === batchB && ra === rb && a.shape.slice(0, -2).some((d, i) => d !== b.shape[i])) return null;
  const batch = Math.max(batchA, batchB);
  const out = backend.makeOutput([...outBatch, m, n], 'float32');
  if (batch === 0 || m === 0 || n === 0) return out;
  // Offsets after makeOutput: an allocation may grow (and move) the heap.
  const ao = backend.dataIdMap.get(a.dataId).memoryOffset;
  const bo = backend.dataIdMap.get(b.dataId).memoryOffset;
  const co = backend.dataIdMap.get(out.dataId).memoryOffset;
  // Leading dimensions of at least 1 (BLAS requires it even for an empty inner dimension).
  const lda = Math.max(1, transposeA ? m : k);
  const ldb = Math.max(1, transposeB ? k : n);
  // A bias over the last axis: every output row starts as the bias and sgemm adds into it (beta 1).
  let beta = 0;
  if (bias) {
    const ov = backend.typedArrayFromHeap(out) as Float32Array;
    const bv = backend.typedArrayFromHeap(bias) as Float32Array;
    for (let r = 0; r < ov.length; r += n) ov.set(bv, r);
    beta = 1;
  }
  const heap = backend.wasm.HEAPU8;
  if (batch === 1) blas.sgemm(heap, transposeA, transposeB, m, n, k, 1, ao, lda, bo, ldb, beta, co, n);
  else
    blas.sgemm(
      heap,
      transposeA,
      transposeB,
      m,
      n,
      k,
      1,
      ao,
      lda,
      bo,
      ldb,
      beta,
      co,
      n,
      batch,
      batchA === 1 ? 0 : m * k,
      batchB === 1 ? 0 : k * n,
      m * n,
    );
  return out;
}

function batchMatMul(stock: tf.KernelFunc): (args: KernelArgs) => tf.TensorInfo {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const out = nativeProduct(
      args.backend as WasmHeapBackend,
      a,
      b,
      Boolean(args.attrs.transposeA),
      Boolean(args.attrs.transposeB),
    );
    return out ?? (stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo);
  };
}

/** `_FusedMatMul` with no bias or a bias over the last axis, and a linear or relu activation. */
function fusedMatMul(stock: tf.KernelFunc): (args: KernelArgs) => tf.TensorInfo {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const activation = (args.attrs.activation as string | undefined) ?? 'linear';
    const backend = args.backend as WasmHeapBackend;
    const bSize = bias ? size(bias.shape) : 0;
    const n = args.attrs.transposeB ? b!.shape[b!.shape.length - 2] : b!.shape[b!.shape.length - 1];
    const simple =
      !preluActivationWeights &&
      (activation === 'linear' || activation === 'relu') &&
      (!bias || (bias.dtype === 'float32' && bSize === n && bias.shape.slice(0, -1).every((d) => d === 1)));
    const out = simple
      ? nativeProduct(backend, a!, b!, Boolean(args.attrs.transposeA), Boolean(args.attrs.transposeB), bias)
      : null;
    if (!out) return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    if (activation === 'relu') {
      const ov = backend.typedArrayFromHeap(out) as Float32Array;
      for (let i = 0; i < ov.length; i++) if (ov[i] < 0) ov[i] = 0;
    }
    return out;
  };
}

/** `EcodeBatchMatMul` (`[G,M,K] x [G,K,N]`, see wasm-kernels.ts) as one batched sgemm call. */
export function nativeBatchMatMulViews(args: KernelArgs): tf.TensorInfo | null {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  if (a.shape.length !== 3 || b.shape.length !== 3) return null;
  return nativeProduct(args.backend as WasmHeapBackend, a, b, false, false);
}

function wrap(name: string, make: (stock: tf.KernelFunc) => (args: KernelArgs) => tf.TensorInfo): void {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: make(stock.kernelFunc) as unknown as tf.KernelFunc,
    // The stock kernel binds its wasm function in setup (the fallback needs it).
    setupFunc: stock.setupFunc,
  });
}

/**
 * Loads the addon and wraps the wasm matmul kernels (once per thread; idempotent). Call after
 * importing tfjs-backend-wasm. `threads` sets OpenBLAS's thread count (process-wide: worker
 * threads share it).
 */
export function registerNative(threads: number): NativeStatus {
  if (!registered) {
    registered = true;
    const status = loadNative();
    blas = status.native;
    loadReason = status.reason;
    if (blas) {
      wrap('BatchMatMul', batchMatMul);
      wrap('_FusedMatMul', fusedMatMul);
      enabled = true;
    }
  }
  if (blas) blas.setThreads(threads);
  return nativeStatus();
}

/**
 * Turns the native kernels off (stock XNNPACK products, JS fused kernels, tf-op AdamW) or back on;
 * returns whether they are on.
 */
export function setNativeKernels(on: boolean): boolean {
  enabled = on && blas !== null;
  return enabled;
}

/** Whether the wasm backend's products and fused kernels currently run natively. */
export function nativeActive(): boolean {
  return enabled && blas !== null;
}

/** The addon when the native path is active on the current backend (wasm), else null. */
export function nativeKernels(): NativeKernels | null {
  return enabled && blas !== null && tf.getBackend() === 'wasm' ? blas : null;
}

export function nativeStatus(): NativeStatus {
  if (blas && enabled) {
    const info = blas.info();
    return { active: true, corename: info.corename, config: info.config, threads: blas.getThreads() };
  }
  return {
    active: false,
    reason: blas ? 'turned off (setNativeKernels(false))' : (loadReason ?? 'not loaded (wasm backend not started)'),
  };
}

/**
 * One phrase for log lines and tags: `native (OpenBLAS Zen, 2 threads)` or
 * `wasm XNNPACK + JS (native off: why)`.
 */
export function describeNative(s: NativeStatus = nativeStatus()): string {
  return s.active
    ? `native (OpenBLAS ${s.corename}, ${s.threads} thread${s.threads === 1 ? '' : 's'})`
    : `wasm XNNPACK + JS (native off: ${s.reason})`;
}

/**
 * Sum of squares of every float32 tensor (float64 sums, the same value every run) when the native
 * kernels are active on wasm, else null. Global-norm clipping uses it to fold the clip factor into
 * AdamW's native update instead of computing the norm and scaling every gradient with tf ops.
 */
export function nativeSumSquares(tensors: Iterable<tf.Tensor>): number | null {
  const nk = nativeKernels();
  if (!nk) return null;
  const be = tf.backend() as unknown as WasmHeapBackend;
  let sum = 0;
  for (const t of tensors) {
    if (t.dtype !== 'float32') return null;
    sum += nk.sumSquares(be.wasm.HEAPU8, be.dataIdMap.get(t.dataId).memoryOffset, t.size);
  }
  return sum;
}

/**
 * Whether the native kernels would be used by a wasm backend started now, without starting tfjs:
 * loads the addon (or reports why it cannot) and names OpenBLAS's build and CPU kernel set. For
 * `ecode --version` and doctor lines.
 */
export function probeNativeKernels(): { available: boolean; detail: string } {
  const s = loadNative();
  if (!s.native) return { available: false, detail: s.reason ?? 'unknown reason' };
  const info = s.native.info();
  return { available: true, detail: `${info.config.split(' ').slice(0, 2).join(' ')}, ${info.corename} kernels` };
}
