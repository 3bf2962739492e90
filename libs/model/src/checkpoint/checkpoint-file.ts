/**
 * Any checkpoint file as named tensors: safetensors, or PyTorch's `pytorch_model.bin` through
 * @ecode/hub's restricted unpickler (nothing in the file is executed).
 */
import { readFileSync } from 'node:fs';
import { readTorchBin } from '@ecode/hub';
import { decodeTensorBytes, readSafetensors, type SafeDType, type SafeTensorsFile } from './safetensors.js';

const TORCH_TO_SAFE: Record<string, SafeDType | undefined> = {
  F64: 'F64',
  F32: 'F32',
  F16: 'F16',
  BF16: 'BF16',
  I64: 'I64',
  I32: 'I32',
  U8: 'U8',
  BOOL: 'BOOL',
};

export type CheckpointFormat = 'safetensors' | 'pytorch';

/** The format by content (a zip archive is a PyTorch checkpoint; a pickle is legacy PyTorch). */
export function checkpointFormat(bytes: Uint8Array): CheckpointFormat {
  return bytes[0] === 0x50 && bytes[1] === 0x4b ? 'pytorch' : bytes[0] === 0x80 ? 'pytorch' : 'safetensors';
}

/** Parses checkpoint bytes of either format; `source` names the file in errors. */
export function readCheckpoint(
  bytes: Uint8Array,
  source = '<checkpoint>',
): SafeTensorsFile & { format: CheckpointFormat } {
  if (checkpointFormat(bytes) === 'safetensors') return { ...readSafetensors(bytes, source), format: 'safetensors' };
  const tensors: SafeTensorsFile['tensors'] = new Map();
  for (const [name, t] of readTorchBin(bytes, source)) {
    const dtype = TORCH_TO_SAFE[t.dtype];
    if (!dtype) throw new Error(`${source}: tensor '${name}' has dtype ${t.dtype}, which ecode does not load`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    tensors.set(name, { dtype, shape: t.shape, data: decodeTensorBytes(dtype, t.bytes, count, name) });
  }
  return { tensors, metadata: {}, format: 'pytorch' };
}

export function readCheckpointFile(path: string): SafeTensorsFile & { format: CheckpointFormat } {
  return readCheckpoint(new Uint8Array(readFileSync(path)), path);
}
