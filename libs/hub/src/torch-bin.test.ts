import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTorchBin, UnsafePickleError } from './torch-bin.js';

// Made by fixtures/generate_bin.py with Debian's python3-torch 1.13.
const fixture = (n: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'fixtures', n)));
const MARKER = '/tmp/ecode-hostile-pickle-marker';

function floats(dtype: string, b: Uint8Array): number[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let i = 0; i < b.length / 2; i++) {
    const h = dv.getUint16(2 * i, true);
    if (dtype === 'BF16') out.push(new Float32Array(new Uint32Array([h << 16]).buffer)[0]);
    else {
      const e = (h >> 10) & 0x1f;
      const f = h & 0x3ff;
      out.push((h & 0x8000 ? -1 : 1) * (e === 0 ? 2 ** -14 * (f / 1024) : 2 ** (e - 15) * (1 + f / 1024)));
    }
  }
  return out;
}

describe('readTorchBin', () => {
  it('reads fp16 and bf16 tensors, including a non-contiguous view', () => {
    for (const [file, dtype] of [
      ['dtypes-fp16.bin', 'F16'],
      ['dtypes-bf16.bin', 'BF16'],
    ] as const) {
      const sd = readTorchBin(fixture(file), file);
      expect([...sd.keys()]).toEqual(['w', 'wT', 'b']);
      expect(sd.get('w')!.dtype).toBe(dtype);
      expect(sd.get('w')!.shape).toEqual([2, 3]);
      expect(sd.get('wT')!.shape).toEqual([3, 2]);
      const w = [1.5, -2.25, 3.0, 0.125, dtype === 'F16' ? 65504 : 65536, -0.5];
      expect(floats(dtype, sd.get('w')!.bytes)).toEqual(w);
      expect(floats(dtype, sd.get('wT')!.bytes)).toEqual([w[0], w[3], w[1], w[4], w[2], w[5]]);
      expect(floats(dtype, sd.get('b')!.bytes)).toEqual([7, -1]);
    }
  });

  it('refuses the legacy non-zip format with a clear error', () => {
    expect(() => readTorchBin(fixture('legacy.bin'), 'legacy.bin')).toThrow(
      /legacy.bin: legacy \(non-zip\) PyTorch format/,
    );
    expect(() => readTorchBin(new TextEncoder().encode('hello'), 'x.bin')).toThrow(/not a PyTorch checkpoint/);
  });

  it('refuses hostile pickles and runs nothing', () => {
    rmSync(MARKER, { force: true });
    // Each of these runs a command (or builds an arbitrary object) under an unrestricted torch.load;
    // generate_bin.py checks that for hostile-system.bin.
    const cases: [string, RegExp][] = [
      ['hostile-system.bin', /global 'posix.system'/],
      ['hostile-eval.bin', /global '__builtin__.eval'/],
      ['hostile-object.bin', /global 'copy_reg._reconstructor'|global '__main__.Opaque'/],
    ];
    for (const [file, why] of cases) {
      let err: unknown;
      try {
        readTorchBin(fixture(file), file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UnsafePickleError);
      expect((err as Error).message).toMatch(why);
      expect((err as Error).message).toMatch(/nothing in the file was executed/);
    }
    expect(existsSync(MARKER)).toBe(false);
  });

  it('refuses a truncated archive', () => {
    const b = fixture('dtypes-fp16.bin');
    expect(() => readTorchBin(b.subarray(0, b.length - 30), 't.bin')).toThrow(
      /t.bin: not a readable PyTorch zip archive/,
    );
  });
});
