import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNative, nativeDisabled } from './index.js';

const status = loadNative({ env: {} });
// CI installs libopenblas-dev and sets this, so a broken build fails there instead of skipping.
const required = process.env.ECODE_REQUIRE_NATIVE === '1';
const blas = status.native;

/** Deterministic values in [-1, 1). */
function fill(a: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
}

/** Reference row-major product of stored matrices (float64 sums). */
function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

describe('native-kernels loader', () => {
  it('reports why the addon is absent (a missing file) instead of throwing', () => {
    const s = loadNative({ path: join(tmpdir(), 'no-such-dir', 'ecode_native.node'), env: {} });
    expect(s.native).toBeNull();
    expect(s.reason).toMatch(/not built.*libopenblas-dev/);
  });

  it('reports a file that is not an addon (a simulated broken build)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-native-'));
    const bad = join(dir, 'ecode_native.node');
    writeFileSync(bad, 'not an ELF file');
    const s = loadNative({ path: bad, env: {} });
    expect(s.native).toBeNull();
    expect(s.reason).toMatch(/did not load/);
  });

  it('is disabled by ECODE_NATIVE=0', () => {
    expect(nativeDisabled({ ECODE_NATIVE: '0' })).toBe(true);
    expect(nativeDisabled({ ECODE_NATIVE: 'off' })).toBe(true);
    expect(nativeDisabled({ ECODE_NATIVE: '1' })).toBe(false);
    expect(nativeDisabled({})).toBe(false);
    const s = loadNative({ env: { ECODE_NATIVE: '0' } });
    expect(s.native).toBeNull();
    expect(s.reason).toBe('disabled by ECODE_NATIVE=0');
  });

  it.runIf(required)('loads in CI (ECODE_REQUIRE_NATIVE=1)', () => {
    expect(status.reason).toBeUndefined();
    expect(status.native).not.toBeNull();
  });
});

describe.skipIf(!blas)('native-kernels sgemm', () => {
  const b = blas!;

  it('names OpenBLAS and its kernel set', () => {
    const info = b.info();
    expect(info.config).toMatch(/OpenBLAS \d+\.\d+/);
    expect(info.corename.length).toBeGreaterThan(0);
  });

  it('multiplies in place on a heap at byte offsets, with every transpose combination', () => {
    const [m, n, k] = [7, 5, 9];
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const heap = new Float32Array(16 + m * k + n * k + m * n);
        const a = heap.subarray(16, 16 + m * k);
        const bm = heap.subarray(16 + m * k, 16 + m * k + n * k);
        fill(a, 1);
        fill(bm, 2);
        const aOff = 16 * 4;
        const bOff = aOff + m * k * 4;
        const cOff = bOff + n * k * 4;
        b.sgemm(heap, ta, tb, m, n, k, 1, aOff, ta ? m : k, bOff, tb ? k : n, 0, cOff, n);
        const want = reference(a, bm, m, n, k, ta, tb);
        const got = heap.subarray(cOff / 4);
        for (let i = 0; i < m * n; i++) expect(got[i]).toBeCloseTo(want[i], 5);
      }
  });

  it('honours alpha, beta and batch strides (stride 0 shares an operand)', () => {
    const [g, m, n, k] = [3, 4, 6, 5];
    const heap = new Float32Array(g * m * k + k * n + g * m * n);
    fill(heap, 3);
    const a = heap.slice(0, g * m * k);
    const bm = heap.slice(g * m * k, g * m * k + k * n);
    const c0 = heap.slice(g * m * k + k * n);
    const cOff = (g * m * k + k * n) * 4;
    b.sgemm(heap, false, false, m, n, k, 2, 0, k, g * m * k * 4, n, 0.5, cOff, n, g, m * k, 0, m * n);
    for (let e = 0; e < g; e++) {
      const want = reference(a.subarray(e * m * k), bm, m, n, k, false, false);
      for (let i = 0; i < m * n; i++)
        expect(heap[cOff / 4 + e * m * n + i]).toBeCloseTo(2 * want[i] + 0.5 * c0[e * m * n + i], 5);
    }
  });

  it('works on a SharedArrayBuffer heap (the threaded wasm build)', () => {
    const [m, n, k] = [3, 4, 2];
    const heap = new Float32Array(new SharedArrayBuffer(4 * (m * k + k * n + m * n)));
    fill(heap, 4);
    const a = heap.slice(0, m * k);
    const bm = heap.slice(m * k, m * k + k * n);
    b.sgemm(heap, false, false, m, n, k, 1, 0, k, m * k * 4, n, 0, (m * k + k * n) * 4, n);
    const want = reference(a, bm, m, n, k, false, false);
    for (let i = 0; i < m * n; i++) expect(heap[m * k + k * n + i]).toBeCloseTo(want[i], 6);
  });

  it('sums squares in double precision', () => {
    const heap = new Float32Array(13);
    fill(heap, 9);
    let want = 0;
    for (let i = 1; i < 13; i++) want += heap[i] * heap[i];
    expect(b.sumSquares(heap, 4, 12)).toBeCloseTo(want, 12);
    expect(b.sumSquares(heap, 0, 0)).toBe(0);
    expect(() => b.sumSquares(heap, 4, 13)).toThrow(/x \(13 elements at byte 4\) runs past the heap's 52 bytes/);
  });

  it('refuses matrices outside the heap and bad arguments, naming them', () => {
    const heap = new Float32Array(10);
    expect(() => b.sgemm(heap, false, false, 2, 2, 2, 1, 0, 2, 16, 2, 0, 32, 2)).toThrow(
      /C ends at byte 48, past the heap's 40 bytes/,
    );
    expect(() => b.sgemm(heap, false, false, 2, 2, 2, 1, 2, 2, 0, 2, 0, 0, 2)).toThrow(
      /A offset 2 is not 4-byte aligned/,
    );
    expect(() => b.sgemm(heap, false, false, 2, 2, 3, 1, 0, 2, 0, 3, 0, 0, 2)).toThrow(
      /leading dimension of A is 2, less than its 3 columns/,
    );
    expect(() => b.sgemm(heap, false, false, -1, 2, 2, 1, 0, 2, 0, 2, 0, 0, 2)).toThrow(/m must be an integer >= 0/);
    expect(() =>
      (b.sgemm as unknown as (...a: unknown[]) => void)([1, 2], false, false, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 1),
    ).toThrow(/heap must be a typed array/);
    expect(() => b.setThreads(0)).toThrow(/threads must be an integer >= 1/);
  });

  it('gives the same bits for a fixed thread count, run after run', () => {
    const [m, n, k] = [300, 200, 260];
    const heap = new Float32Array(m * k + k * n + 2 * m * n);
    fill(heap, 5);
    const before = b.getThreads();
    const runs: Float32Array[] = [];
    for (const threads of [1, 1, 2, 2]) {
      b.setThreads(threads);
      expect(b.getThreads()).toBe(threads);
      b.sgemm(heap, false, true, m, n, k, 1, 0, k, m * k * 4, k, 0, (m * k + k * n) * 4, n);
      runs.push(heap.slice(m * k + k * n, m * k + k * n + m * n));
    }
    b.setThreads(before);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[3]).toEqual(runs[2]);
  });
});
