/**
 * TensorFlow.js backend selection. `auto` prefers tfjs-node(-gpu) when a user installed it, then
 * WebGPU (Dawn through the `webgpu` package, only on a hardware adapter: see webgpu-adapter.ts),
 * then wasm (SIMD). `cpu` only on request. On wasm it registers `@ecode/kernels`' wasm lists
 * (portable, and native over it when the addon loads).
 */
import * as tf from '@tensorflow/tfjs';
import {
  describeNative,
  nativeStatus,
  registerWasmKernels,
  registerWebgpuKernels,
  type NativeStatus,
} from '@ecode/kernels';
import { MAX_WASM_THREADS, registerThreadedWasm, wasmThreadsInUse } from './wasm-threads.js';
import { describeAdapter, probeWebgpu, type GpuAdapterInfo } from './webgpu-adapter.js';

export type BackendName = 'auto' | 'wasm' | 'webgpu' | 'tensorflow' | 'cpu';

export interface BackendInfo {
  /** The backend tfjs now uses ('wasm', 'webgpu', 'tensorflow' or 'cpu'). */
  name: string;
  /** Why a preferred backend was skipped (auto mode), in order. */
  skipped: string[];
  /** CPU threads the backend computes with (wasm: XNNPACK's pool, the calling thread included). */
  threads: number;
  /**
   * wasm only: whether the native kernels (`@ecode/native-kernels`: OpenBLAS products, native
   * fused kernels and AdamW) run, with OpenBLAS's kernel set and threads, or why not.
   */
  native?: NativeStatus;
  /** webgpu only: the adapter it runs on (vendor, architecture, description, software or not). */
  adapter?: GpuAdapterInfo;
  /** What the user should know about the backend in use (e.g. webgpu on a software adapter). */
  warnings: string[];
}

export interface BackendOptions {
  /**
   * wasm only: XNNPACK threads (2-8 start tfjs's threaded build, see wasm-threads.ts). Default:
   * `ECODE_WASM_THREADS` when set, else 1 (data-parallel replicas and `sweep --jobs` already use
   * the other cores). Threads change speed, never results: XNNPACK splits a product by output
   * tiles, each summed in the same order (tested). The same count is OpenBLAS's thread count when
   * the native matmul path is active (process-wide; results equal for 1 and 2 threads, tested).
   */
  wasmThreads?: number;
}

/** The wasm thread count `initBackend` will use for these options (see BackendOptions). */
export function resolveWasmThreads(options: BackendOptions = {}): number {
  const env = process.env.ECODE_WASM_THREADS;
  const n = options.wasmThreads ?? (env !== undefined && env !== '' ? Number(env) : 1);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    const from = options.wasmThreads !== undefined ? 'wasmThreads' : 'ECODE_WASM_THREADS';
    throw new Error(
      `${from}: expected an integer from 1 to ${MAX_WASM_THREADS}, got ${JSON.stringify(options.wasmThreads ?? env)}`,
    );
  }
  return n;
}

let current: Promise<BackendInfo> | null = null;
let currentName: BackendName | null = null;

/** Optional module import that never throws when the package is absent. */
async function tryImport(spec: string): Promise<unknown | null> {
  try {
    return await import(/* @vite-ignore */ spec);
  } catch {
    return null;
  }
}

async function useTensorflow(): Promise<string | null> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    const mod = await tryImport(pkg);
    if (mod && (await tf.setBackend('tensorflow'))) return null;
  }
  return 'tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed';
}

/**
 * Starts tfjs's webgpu backend on the adapter `probeWebgpu` finds. Under `auto` a software adapter
 * (SwiftShader, lavapipe, a fallback or CPU adapter) is refused with the reason, so `auto` goes on
 * to wasm; asked for by name it runs and `warn` says so.
 */
async function useWebgpu(
  auto: boolean,
  found: { adapter?: GpuAdapterInfo; warnings: string[] },
): Promise<string | null> {
  const probe = await probeWebgpu();
  if (!probe.ok) return probe.reason;
  const adapter = probe.adapter;
  if (adapter.software) {
    if (auto)
      return `webgpu: the only adapter is software, ${describeAdapter(adapter)}: slower than wasm, so auto does not use it (ask for backend: webgpu to force it)`;
    found.warnings.push(
      `webgpu runs on a software adapter, ${describeAdapter(adapter)}: a CPU rasteriser, far slower than a GPU and than wasm`,
    );
  }
  found.adapter = adapter;
  const g = globalThis as { navigator?: object };
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: probe.gpu, configurable: true });
  else g.navigator = { gpu: probe.gpu };
  // The backend registers itself only if navigator.gpu exists at import time.
  await import('@tensorflow/tfjs-backend-webgpu');
  try {
    if (await tf.setBackend('webgpu')) {
      registerWebgpuKernels();
      return null;
    }
  } catch (e) {
    return `webgpu: setBackend failed (${(e as Error).message})`;
  }
  return 'webgpu: setBackend returned false';
}

/** Largest OpenBLAS thread count accepted from `ECODE_BLAS_THREADS`. */
export const MAX_BLAS_THREADS = 64;

/**
 * OpenBLAS's thread count for these options when the native kernels are active: the wasm thread
 * count, unless `ECODE_BLAS_THREADS` is set and the caller did not pass `wasmThreads` (replica
 * threads pass 1, so data-parallel shards never oversubscribe the cores).
 */
export function resolveBlasThreads(options: BackendOptions = {}): number {
  const env = process.env.ECODE_BLAS_THREADS;
  if (options.wasmThreads !== undefined || env === undefined || env === '') return resolveWasmThreads(options);
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BLAS_THREADS)
    throw new Error(
      `ECODE_BLAS_THREADS: expected an integer from 1 to ${MAX_BLAS_THREADS}, got ${JSON.stringify(env)}`,
    );
  return n;
}

/** Threads the wasm backend was first started with (fixed for the life of the process). */
let wasmStartedThreads: number | null = null;

async function useWasm(threads: number, blasThreads: number): Promise<string | null> {
  await import('@tensorflow/tfjs-backend-wasm');
  registerWasmKernels({ blasThreads });
  if (wasmStartedThreads === null) {
    if (threads > 1) await registerThreadedWasm(threads);
    wasmStartedThreads = threads;
  }
  if (await tf.setBackend('wasm')) return null;
  return 'wasm: setBackend returned false';
}

async function select(name: BackendName, log: (line: string) => void, options: BackendOptions): Promise<BackendInfo> {
  const threads = resolveWasmThreads(options);
  const blasThreads = resolveBlasThreads(options);
  const skipped: string[] = [];
  const found: { adapter?: GpuAdapterInfo; warnings: string[] } = { warnings: [] };
  const order: Exclude<BackendName, 'auto'>[] = name === 'auto' ? ['tensorflow', 'webgpu', 'wasm'] : [name];
  for (const n of order) {
    let why: string | null;
    if (n === 'tensorflow') why = await useTensorflow();
    else if (n === 'webgpu') why = await useWebgpu(name === 'auto', found);
    else if (n === 'wasm') why = await useWasm(threads, blasThreads);
    else why = (await tf.setBackend('cpu')) ? null : 'cpu: setBackend returned false';
    if (why === null) {
      await tf.ready();
      const backendName = tf.getBackend();
      const info: BackendInfo = {
        name: backendName,
        skipped,
        threads: backendName === 'wasm' ? await wasmThreadsInUse() : 1,
        warnings: backendName === 'webgpu' ? found.warnings : [],
      };
      if (backendName === 'wasm') info.native = nativeStatus();
      if (backendName === 'webgpu' && found.adapter) info.adapter = found.adapter;
      const threadNote =
        info.name === 'wasm'
          ? `, ${info.threads} thread${info.threads === 1 ? '' : 's'}, kernels: ${describeNative(info.native)}`
          : info.adapter
            ? `, adapter: ${describeAdapter(info.adapter)}`
            : '';
      log(
        `[ecode/model] tfjs backend: ${info.name}${threadNote}${skipped.length ? ` (skipped: ${skipped.join('; ')})` : ''}`,
      );
      for (const w of info.warnings) log(`[ecode/model] warning: ${w}`);
      return info;
    }
    skipped.push(why);
  }
  throw new Error(`initBackend('${name}'): no backend could be started: ${skipped.join('; ')}`);
}

/**
 * Selects and initialises a tfjs backend once per process (later calls with the same name return
 * the same result; a different name switches). Logs the backend in use through `log`. The wasm
 * thread count is fixed by the first call that starts wasm.
 */
export function initBackend(
  name: BackendName = 'auto',
  log: (line: string) => void = (l) => console.error(l),
  options: BackendOptions = {},
): Promise<BackendInfo> {
  if (current && currentName === name) return current;
  currentName = name;
  current = select(name, log, options).catch((e) => {
    current = null;
    currentName = null;
    throw e;
  });
  return current;
}
