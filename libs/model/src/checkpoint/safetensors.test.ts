import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from './safetensors.js';

/** Builds a safetensors file by hand: header JSON + raw little-endian bytes. */
function handMade(entries: { name: string; dtype: string; shape: number[]; bytes: number[] }[]): Uint8Array {
  let off = 0;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [off, off + e.bytes.length] };
    off += e.bytes.length;
  }
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(
    entries.flatMap((e) => e.bytes),
    8 + h.length,
  );
  return out;
}

describe('safetensors', () => {
  it('reads F16, BF16, F32 and I64 tensors', () => {
    // F16: 1.0 = 0x3c00, -2.5 = 0xc100, 65504 = 0x7bff; BF16: 1.0 = 0x3f80, -0.5 = 0xbf00.
    const f = readSafetensors(
      handMade([
        { name: 'h', dtype: 'F16', shape: [3], bytes: [0x00, 0x3c, 0x00, 0xc1, 0xff, 0x7b] },
        { name: 'b', dtype: 'BF16', shape: [2], bytes: [0x80, 0x3f, 0x00, 0xbf] },
        { name: 'f', dtype: 'F32', shape: [1], bytes: [0x00, 0x00, 0xc0, 0x3f] },
        { name: 'i', dtype: 'I64', shape: [1], bytes: [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] },
      ]),
    );
    expect(Array.from(f.tensors.get('h')!.data)).toEqual([1, -2.5, 65504]);
    expect(Array.from(f.tensors.get('b')!.data)).toEqual([1, -0.5]);
    expect(Array.from(f.tensors.get('f')!.data)).toEqual([1.5]);
    expect(Array.from(f.tensors.get('i')!.data)).toEqual([-2]);
    expect(f.metadata).toEqual({ format: 'pt' });
  });

  it('round-trips F32 bit-exactly with aligned data and sorted names', () => {
    const vals = new Float32Array([Math.PI, -0, 1e-38, -3.4e38, NaN]);
    const bytes = writeSafetensors(
      { 'z.weight': { shape: [5], data: vals }, 'a.ids': { shape: [1, 2], data: new Int32Array([7, -1]) } },
      { note: 'x' },
    );
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const f = readSafetensors(bytes);
    expect([...f.tensors.keys()]).toEqual(['a.ids', 'z.weight']);
    expect(new Uint32Array((f.tensors.get('z.weight')!.data as Float32Array).buffer)).toEqual(
      new Uint32Array(vals.buffer),
    );
    expect(Array.from(f.tensors.get('a.ids')!.data)).toEqual([7, -1]);
    expect(f.tensors.get('a.ids')!.dtype).toBe('I32');
    expect(f.metadata.note).toBe('x');
  });

  it('names the tensor and problem in errors', () => {
    const bad = handMade([{ name: 'w', dtype: 'F32', shape: [2], bytes: [0, 0, 0, 0] }]);
    expect(() => readSafetensors(bad, 'bad.safetensors')).toThrow(
      /bad.safetensors: tensor 'w' \(F32 \[2\]\) has bad data offsets/,
    );
    expect(() => readSafetensors(new Uint8Array(3), 'tiny')).toThrow(/too short/);
  });
});
