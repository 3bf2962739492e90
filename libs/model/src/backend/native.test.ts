/**
 * Training with the native kernel list against the portable one (clipping folded into AdamW), and
 * the fallback when the addon is disabled or fails to load (child processes). The kernels
 * themselves are compared in @ecode/kernels (native/kernels.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { nativeAvailable, setNativeKernels } from '@ecode/kernels';
import { relErr } from '../testing/fixtures.js';
import { ToyModel, toySamples } from '../testing/toy-model.js';
import { train } from '../train/train.js';

const hasNative = nativeAvailable();

describe.skipIf(!hasNative)('native clipping in train', () => {
  it('folds the clip factor into AdamW: the same training as clipping with tf ops', async () => {
    await initBackend('wasm', () => {}, { wasmThreads: 1 });
    const data = toySamples(12, { seed: 5 });
    const run = async (on: boolean) => {
      setNativeKernels(on);
      const model = new ToyModel({ seed: 2, name: `clip-${on}` });
      const norms: number[] = [];
      // clipNorm 0.05: every step is clipped.
      await train(model, data, [], {
        seed: 1,
        batchSize: 4,
        lr: 0.05,
        epochs: 2,
        clipNorm: 0.05,
        progress: false,
        onMetrics: (m) => void norms.push(m.gradNorm),
      });
      const weights = [...model.variables.values()].map((v) => v.dataSync() as Float32Array);
      model.dispose();
      return { norms, weights };
    };
    const nat = await run(true);
    const port = await run(false);
    setNativeKernels(true);
    expect(nat.norms.length).toBe(6);
    for (let i = 0; i < nat.norms.length; i++) expect(nat.norms[i]).toBeCloseTo(port.norms[i], 5);
    expect(Math.min(...port.norms)).toBeGreaterThan(0.05);
    for (let i = 0; i < nat.weights.length; i++) expect(relErr(nat.weights[i], port.weights[i])).toBeLessThan(1e-5);
  });
});

/** Runs testing/native-probe.ts in a child process with `env` added. */
function probe(env: Record<string, string>): { log: string; active: boolean; reason?: string; loss: number } {
  const script = fileURLToPath(new URL('../testing/native-probe.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ECODE_WASM_THREADS: '1', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('native kernels fallback', () => {
  it('ECODE_NATIVE=0 runs the portable kernels, says so in the log line, and gives the same loss', () => {
    const off = probe({ ECODE_NATIVE: '0' });
    expect(off.active).toBe(false);
    expect(off.reason).toBe('disabled by ECODE_NATIVE=0');
    expect(off.log).toContain('kernels: wasm XNNPACK + JS (native off: disabled by ECODE_NATIVE=0)');
    expect(Number.isFinite(off.loss)).toBe(true);
    if (hasNative) {
      const on = probe({});
      expect(on.active).toBe(true);
      expect(on.log).toMatch(/tfjs backend: wasm, 1 thread, kernels: native \(OpenBLAS \w+, 1 thread\)/);
      expect(Math.abs(on.loss - off.loss) / off.loss).toBeLessThan(1e-5);
    }
  }, 240_000);

  it('an addon that fails to load (a corrupt file) falls back with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-native-'));
    const bad = join(dir, 'ecode_native.node');
    writeFileSync(bad, 'not a shared object');
    const r = probe({ ECODE_NATIVE_ADDON: bad });
    expect(r.active).toBe(false);
    expect(r.reason).toMatch(/^it did not load: /);
    expect(r.log).toContain('native off: it did not load');
    expect(Number.isFinite(r.loss)).toBe(true);
  }, 120_000);
});
