/**
 * A minimal safetensors reader and writer (F32 and I32 only) for the optimizer state and, until
 * the model's own checkpoint I/O is used, the training loop's default weight files. Format: an
 * 8-byte little-endian header length, a JSON header `{name: {dtype, shape, data_offsets}}` padded
 * with spaces to 8 bytes, then the raw little-endian data.
 */
import * as tf from '@tensorflow/tfjs';

const DTYPES = { float32: 'F32', int32: 'I32' } as const;

/** Serialises tensors (read asynchronously, so it works on webgpu) to safetensors bytes. */
export async function encodeSafetensors(
  tensors: Map<string, tf.Tensor>,
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const dtype = DTYPES[t.dtype as keyof typeof DTYPES];
    if (!dtype)
      throw new Error(`safetensors: tensor '${name}' has dtype ${t.dtype}; only float32 and int32 are written`);
    const data = (await t.data()) as Float32Array | Int32Array;
    const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  const jsonBytesLen = Buffer.byteLength(json);
  json += ' '.repeat((8 - (jsonBytesLen % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.byteLength;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}

/** Parses safetensors bytes into tensors (the caller disposes them) and the metadata. */
export function decodeSafetensors(
  bytes: Uint8Array,
  where = 'safetensors',
): { tensors: Map<string, tf.Tensor>; metadata: Record<string, string> } {
  if (bytes.byteLength < 8) throw new Error(`${where}: file too short (${bytes.byteLength} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.byteLength)
    throw new Error(`${where}: header length ${n} exceeds the file size ${bytes.byteLength}`);
  const header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, n).toString('utf8')) as Record<
    string,
    unknown
  >;
  const base = 8 + n;
  const tensors = new Map<string, tf.Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const [begin, end] = data_offsets;
    if (base + end > bytes.byteLength) throw new Error(`${where}: tensor '${name}' runs past the end of the file`);
    const raw = bytes.slice(base + begin, base + end);
    if (dtype === 'F32')
      tensors.set(name, tf.tensor(new Float32Array(raw.buffer, 0, raw.byteLength / 4), shape, 'float32'));
    else if (dtype === 'I32')
      tensors.set(name, tf.tensor(new Int32Array(raw.buffer, 0, raw.byteLength / 4), shape, 'int32'));
    else throw new Error(`${where}: tensor '${name}' has dtype ${dtype}; only F32 and I32 are read`);
  }
  return { tensors, metadata };
}
