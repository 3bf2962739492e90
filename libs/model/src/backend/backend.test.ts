import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeAvailable } from '@ecode/kernels';
import { initBackend, resolveBlasThreads, resolveWasmThreads } from './backend.js';

const hasNative = nativeAvailable();

/** Runs testing/threads-probe.ts in a child process with ECODE_WASM_THREADS=n (and ECODE_NATIVE). */
function probe(threads: number, native: boolean): { threads: number; native: boolean; checksum: number; loss: number } {
  const script = fileURLToPath(new URL('../testing/threads-probe.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ECODE_WASM_THREADS: String(threads), ECODE_NATIVE: native ? '1' : '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('initBackend', () => {
  it('auto falls back to wasm here and logs why the others were skipped', async () => {
    const lines: string[] = [];
    const info = await initBackend('auto', (l) => lines.push(l));
    // No tfjs-node and no Vulkan adapter on the CI machine: wasm.
    expect(['wasm', 'webgpu', 'tensorflow']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    if (info.name === 'wasm') expect(info.skipped.length).toBe(2);
    expect(lines[0]).toContain(`tfjs backend: ${info.name}`);
  });

  it('cpu on request', async () => {
    const info = await initBackend('cpu', () => {});
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('wasm threads (tfjs threaded build in Node)', () => {
  it('2 threads give bit-identical losses and gradients to 1, and the process exits by itself', () => {
    const one = probe(1, false);
    const two = probe(2, false);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(one.native).toBe(false);
    expect(two.checksum).toBe(one.checksum);
    expect(Number.isFinite(one.loss)).toBe(true);
  }, 240_000);

  it.skipIf(!hasNative)(
    'native kernels on the threaded build (SharedArrayBuffer heap): same bits run after run at 2 threads',
    () => {
      const a = probe(2, true);
      const b = probe(2, true);
      const xnn = probe(1, false);
      expect(a.native).toBe(true);
      expect(a.threads).toBe(2);
      expect(b.checksum).toBe(a.checksum);
      // OpenBLAS may split a long inner dimension differently per thread count: close, not equal.
      expect(Math.abs(a.loss - xnn.loss) / xnn.loss).toBeLessThan(1e-5);
    },
    240_000,
  );

  it('OpenBLAS threads follow the wasm threads unless ECODE_BLAS_THREADS is set (not for explicit wasmThreads)', () => {
    const saved = process.env.ECODE_BLAS_THREADS;
    try {
      delete process.env.ECODE_BLAS_THREADS;
      expect(resolveBlasThreads({ wasmThreads: 2 })).toBe(2);
      process.env.ECODE_BLAS_THREADS = '3';
      expect(resolveBlasThreads()).toBe(3);
      expect(resolveBlasThreads({ wasmThreads: 1 })).toBe(1);
      process.env.ECODE_BLAS_THREADS = '0';
      expect(() => resolveBlasThreads()).toThrow(/ECODE_BLAS_THREADS: expected an integer from 1 to 64, got "0"/);
    } finally {
      if (saved === undefined) delete process.env.ECODE_BLAS_THREADS;
      else process.env.ECODE_BLAS_THREADS = saved;
    }
  });

  it('rejects a bad thread count with the setting named', () => {
    expect(() => resolveWasmThreads({ wasmThreads: 0 })).toThrow(/wasmThreads: expected an integer from 1 to 8, got 0/);
    const saved = process.env.ECODE_WASM_THREADS;
    process.env.ECODE_WASM_THREADS = 'many';
    try {
      expect(() => resolveWasmThreads()).toThrow(/ECODE_WASM_THREADS: expected an integer from 1 to 8, got "many"/);
    } finally {
      if (saved === undefined) delete process.env.ECODE_WASM_THREADS;
      else process.env.ECODE_WASM_THREADS = saved;
    }
  });
});
