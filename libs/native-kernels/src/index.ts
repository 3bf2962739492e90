/**
 * Loader of the optional native addon (`build/Release/ecode_native.node`, built by this package's
 * install script at `npm ci` when libopenblas-dev, g++ and make are installed): OpenBLAS sgemm and
 * the element-wise kernels of the training step, on memory the caller owns (the tfjs wasm heap).
 * `loadNative()` never throws: without the addon it returns `native: null` and the reason, and
 * callers keep their portable kernels.
 *
 * Every kernel takes the heap (a typed array over the memory) first and addresses arrays by byte
 * offsets into it (4-byte aligned, checked against the heap's size: an array outside it throws a
 * named error instead of touching memory). All calls are synchronous.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A typed array over the memory the operands live in (the wasm heap: `HEAPU8`). */
export type Heap = Uint8Array | Float32Array | Int32Array;
/** Byte offset of a float32 (or int32) array inside the heap. */
type Off = number;

export interface NativeKernels {
  /**
   * Row-major `C = alpha op(A) op(B) + beta C` with `op(A)` `[m,k]` and `op(B)` `[k,n]`, leading
   * dimensions in elements; `batch` repeats it with element strides (0 reuses an operand).
   * OpenBLAS's `cblas_sgemm` on OpenBLAS's threads (`setThreads`).
   */
  sgemm(
    heap: Heap,
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    aOffset: Off,
    lda: number,
    bOffset: Off,
    ldb: number,
    beta: number,
    cOffset: Off,
    ldc: number,
    batch?: number,
    strideA?: number,
    strideB?: number,
    strideC?: number,
  ): void;
  /** OpenBLAS's thread count for later sgemm calls (process-wide). */
  setThreads(n: number): void;
  getThreads(): number;
  /** OpenBLAS's build line and the CPU kernel set it picked (e.g. `Haswell`, `Zen`, `SkylakeX`). */
  info(): { corename: string; config: string };
  /** `t = tanh(c (x + 0.044715 x^3))`, `y = 0.5 x (1 + t)` (GPT-2's gelu_new). */
  geluNew(heap: Heap, x: Off, y: Off, t: Off, n: number): void;
  geluNewGrad(heap: Heap, x: Off, t: Off, dy: Off, dx: Off, n: number): void;
  /** `phi = Phi(x)` (normal CDF, erf with |error| < 1.2e-7), `y = x phi` (BERT's exact GELU). */
  gelu(heap: Heap, x: Off, y: Off, phi: Off, n: number): void;
  geluGrad(heap: Heap, x: Off, phi: Off, dy: Off, dx: Off, n: number): void;
  /** Layer norm over rows of `d`: `y`, `xhat`, `rstd` (per row); statistics in float64. */
  layerNorm(
    heap: Heap,
    x: Off,
    gamma: Off,
    beta: Off,
    y: Off,
    xhat: Off,
    rstd: Off,
    rows: number,
    d: number,
    eps: number,
  ): void;
  layerNormGrad(
    heap: Heap,
    xhat: Off,
    rstd: Off,
    gamma: Off,
    dy: Off,
    dx: Off,
    dgamma: Off,
    dbeta: Off,
    rows: number,
    d: number,
  ): void;
  /** `out[j] = sum_r x[r, j]` over `rows` rows of `d` (float64 sums). */
  columnSum(heap: Heap, x: Off, out: Off, rows: number, d: number): void;
  /** `scores [B,H,Tq,Tk] + mask [B,1,maskRows,Tk]` (maskRows 1 or Tq). */
  addMask(
    heap: Heap,
    scores: Off,
    mask: Off,
    out: Off,
    batch: number,
    heads: number,
    tq: number,
    tk: number,
    maskRows: number,
  ): void;
  /** `y (dy - sum(dy y))` per row of `d`. */
  softmaxGrad(heap: Heap, y: Off, dy: Off, out: Off, rows: number, d: number): void;
  /** Inverted dropout from a seeded mulberry32 stream: `s` = 0 or 1/(1-rate), `y = x s`. */
  dropout(heap: Heap, x: Off, y: Off, s: Off, n: number, rate: number, seed: number): void;
  /** `(probs - onehot(targets)) * mask * dy` per row (`targets` int32). */
  xentGrad(heap: Heap, probs: Off, targets: Off, mask: Off, dy: Off, out: Off, n: number, v: number): void;
  /** `sum x[i]^2` in float64 (eight partial sums in a fixed order: the same value every run). */
  sumSquares(heap: Heap, x: Off, n: number): number;
  /** One AdamW step (PyTorch's update) into new arrays, see `@ecode/model`'s optim-adamw.ts. */
  adamw(
    heap: Heap,
    p: Off,
    m: Off,
    v: Off,
    g: Off,
    pOut: Off,
    mOut: Off,
    vOut: Off,
    n: number,
    b1: number,
    oneMinusB1: number,
    b2: number,
    oneMinusB2: number,
    eps: number,
    bc2: number,
    negStep: number,
    decay: number,
    gradScale: number,
  ): void;
}

export interface NativeStatus {
  native: NativeKernels | null;
  /** The addon file tried. */
  path: string;
  /** Why `native` is null. */
  reason?: string;
}

/** This package's folder: the nearest one above this file that holds binding.gyp (src or dist). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'binding.gyp'))) return dir;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}
/** Where the install script puts the addon. */
export const DEFAULT_ADDON_PATH = join(packageRoot(), 'build', 'Release', 'ecode_native.node');

/** Whether `ECODE_NATIVE` (0, off, false, no) turns the native path off. */
export function nativeDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.ECODE_NATIVE;
  return v !== undefined && ['0', 'off', 'false', 'no'].includes(v.trim().toLowerCase());
}

const cache = new Map<string, NativeStatus>();

/**
 * Loads the addon (once per path and thread). `path` (or `ECODE_NATIVE_ADDON`) overrides the
 * default location (tests use a missing or broken file to exercise the fallback);
 * `ECODE_NATIVE=0` disables it.
 */
export function loadNative(options: { path?: string; env?: NodeJS.ProcessEnv } = {}): NativeStatus {
  const env = options.env ?? process.env;
  const path = options.path ?? (env.ECODE_NATIVE_ADDON || DEFAULT_ADDON_PATH);
  if (nativeDisabled(env)) return { native: null, path, reason: `disabled by ECODE_NATIVE=${env.ECODE_NATIVE}` };
  const hit = cache.get(path);
  if (hit) return hit;
  let status: NativeStatus;
  try {
    const require = createRequire(import.meta.url);
    const native = require(path) as NativeKernels;
    if (typeof native.sgemm !== 'function' || typeof native.sumSquares !== 'function')
      throw new Error(
        'the file loads but lacks sgemm/sumSquares (an older build? run `npm run native -w @ecode/native-kernels`)',
      );
    native.info();
    status = { native, path };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'MODULE_NOT_FOUND'
        ? 'the addon is not built (install libopenblas-dev, g++ and make, then npm ci or `npm run native -w @ecode/native-kernels`)'
        : `it did not load: ${err.message.split('\n')[0]}`;
    status = { native: null, path, reason: why };
  }
  cache.set(path, status);
  return status;
}
