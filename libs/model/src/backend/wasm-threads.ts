/**
 * Multi-threaded tfjs-backend-wasm in Node.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build (XNNPACK over a pthreadpool of emscripten
 * workers) but never uses it in Node: its feature flag answers "no threads" whenever it runs under
 * Node, its loader hands emscripten Blob URLs that Node's `worker_threads` cannot start, and the C++
 * side caps the pool at half the logical cores (one thread on a 2-core machine). This module starts
 * the same threaded build the Node way: the pthread worker script is written to a file, the main
 * script is given by path, the core count emscripten sees while the pool is created is the count
 * asked for, and the pool's workers are unref'd so they never keep the process alive.
 *
 * Relies on internals of tfjs-backend-wasm 4.22 (pinned in package-lock.json): the `wasm-out/`
 * factory and worker files and the `BackendWasm` constructor. Re-check on upgrade.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);

/** What the emscripten factory returns (the parts used here and by BackendWasm). */
interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: unknown[]) => unknown;
  PThread?: { runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] };
  tfjs?: Record<string, unknown>;
}

interface WasmPackage {
  BackendWasm: new (wasm: EmscriptenModule) => tf.KernelBackend;
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/** Largest pool the wasm build supports (it pre-creates 8 workers and caps at 8). */
export const MAX_WASM_THREADS = 8;

/** Writes the worker script once per content (a stable path under the OS temp folder). */
function workerScriptPath(contents: string): string {
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 16);
  const dir = join(os.tmpdir(), `ecode-tfjs-wasm-${process.getuid?.() ?? 'user'}`);
  const file = join(dir, `threaded-simd-worker-${hash}.js`);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== contents) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, contents);
    // rename is atomic: two processes starting at once both end with a complete file.
    renameSync(tmp, file);
  }
  return file;
}

async function loadThreadedModule(threads: number): Promise<EmscriptenModule> {
  const root = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const mainScript = join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(mainScript) as (cfg: object) => Promise<EmscriptenModule>;
  const { wasmWorkerContents } = require(join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // The worker source is stored in a template literal whose "\n" escapes became real newlines
  // inside string literals; tfjs re-escapes them the same way before making its Blob.
  const workerFile = workerScriptPath(wasmWorkerContents.replace(/\n/g, '\\n'));
  // The C++ side sizes the pool from emscripten_num_logical_cores() / 2 (read from os.cpus() in
  // Node while the module initialises): present exactly 2 x threads cores for that moment.
  const nodeOs = require('node:os') as typeof os;
  const realCpus = nodeOs.cpus;
  const cpu = realCpus()[0];
  nodeOs.cpus = () => Array.from({ length: 2 * threads }, () => cpu);
  let mod: EmscriptenModule;
  try {
    mod = await factory({
      locateFile: (path: string) => (path.endsWith('.worker.js') ? workerFile : join(root, 'wasm-out', path)),
      mainScriptUrlOrBlob: mainScript,
    });
  } finally {
    nodeOs.cpus = realCpus;
  }
  mod.tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  return mod;
}

/** Lets the process exit while pool threads sleep (emscripten ref()s a worker running a pthread). */
function unrefWorkers(mod: EmscriptenModule): void {
  const p = mod.PThread;
  if (!p) return;
  for (const w of [...p.runningWorkers, ...p.unusedWorkers]) w.unref();
}

/**
 * Re-registers the `wasm` backend so that it starts the threaded build with `threads` XNNPACK
 * threads (the calling thread included). Must run before the backend is first initialised. The
 * kernels registered for `wasm` (stock and ecode's) stay registered: they are keyed by name.
 */
export async function registerThreadedWasm(threads: number): Promise<void> {
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_WASM_THREADS)
    throw new Error(`wasm threads: expected an integer from 2 to ${MAX_WASM_THREADS}, got ${threads}`);
  const pkg = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmPackage;
  tf.removeBackend('wasm');
  pkg.setThreadsCount(threads);
  tf.registerBackend(
    'wasm',
    async () => {
      const mod = await loadThreadedModule(threads);
      const backend = new pkg.BackendWasm(mod);
      unrefWorkers(mod);
      return backend;
    },
    2,
  );
}

/** Threads the initialised wasm backend really uses (1 for the single-threaded build). */
export async function wasmThreadsInUse(): Promise<number> {
  const pkg = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmPackage;
  return pkg.getThreadsCount();
}
