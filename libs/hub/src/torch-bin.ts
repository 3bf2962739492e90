/**
 * PyTorch checkpoints (`pytorch_model.bin`, torch.save's zip format) read without executing
 * anything: a restricted unpickler interprets `data.pkl` itself and accepts only what a state dict
 * needs (dicts / OrderedDict, tensor rebuild functions, storage types, plain values). Every other
 * global, and the opcodes that build arbitrary objects, stop the read with an error; nothing from the
 * file is ever called, so a hostile pickle cannot run code. The legacy (non-zip) format is refused.
 */
import { isZip, readZip } from './zip.js';

/** Tensor dtypes by safetensors' names. */
export type TorchDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface TorchTensor {
  dtype: TorchDType;
  shape: number[];
  /** The elements in row-major order, little-endian, `dtype`'s width each. */
  bytes: Uint8Array;
}

const STORAGES: Record<string, TorchDType> = {
  DoubleStorage: 'F64',
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};
export const DTYPE_BYTES: Record<TorchDType, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

const REBUILDERS = new Set([
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_parameter',
]);
const ALLOWED = new Set(['collections.OrderedDict', ...REBUILDERS, ...Object.keys(STORAGES).map((s) => `torch.${s}`)]);

class Global {
  constructor(readonly name: string) {}
}
class Storage {
  constructor(
    readonly dtype: TorchDType,
    readonly key: string,
    readonly numel: number,
  ) {}
}
class Tensor {
  constructor(
    readonly storage: Storage,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}
const MARK = Symbol('mark');
type Value = unknown;

export class UnsafePickleError extends Error {
  constructor(source: string, what: string) {
    super(
      `${source}: refused: ${what}. Only a state dict of tensors may be loaded from a PyTorch checkpoint; ` +
        'nothing in the file was executed. Convert trusted checkpoints to safetensors.',
    );
    this.name = 'UnsafePickleError';
  }
}

/** Interprets a pickle holding a state dict; `persistent` resolves storage ids. */
function unpickle(data: Uint8Array, source: string, persistent: (pid: Value) => Value): Value {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  const text = new TextDecoder();
  let p = 0;
  const refuse = (what: string): never => {
    throw new UnsafePickleError(source, what);
  };
  const need = (n: number) => {
    if (p + n > data.length) throw new Error(`${source}: the pickle ends early at byte ${p} (truncated file?)`);
  };
  const u8 = () => (need(1), data[p++]);
  const u16 = () => (need(2), (p += 2), dv.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), dv.getUint32(p - 4, true));
  const bytes = (n: number) => (need(n), (p += n), data.subarray(p - n, p));
  const line = () => {
    const end = data.indexOf(0x0a, p);
    if (end < 0) throw new Error(`${source}: the pickle ends early in a text argument`);
    const s = text.decode(data.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = () => {
    if (!stack.length) throw new Error(`${source}: malformed pickle (stack underflow at byte ${p})`);
    return stack.pop();
  };
  const popMark = (): Value[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw new Error(`${source}: malformed pickle (no mark at byte ${p})`);
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const global = (module: string, name: string): Global => {
    const full = `${module}.${name}`;
    if (!ALLOWED.has(full)) refuse(`the pickle names the global '${full}'`);
    return new Global(full);
  };
  const top = (): Value => stack[stack.length - 1];
  const setItems = (d: Value, kv: Value[]) => {
    if (!(d instanceof Map)) refuse('SETITEM on something that is not a dict');
    for (let i = 0; i + 1 < kv.length; i += 2) (d as Map<Value, Value>).set(kv[i], kv[i + 1]);
  };
  const appendItems = (l: Value, items: Value[]) => {
    if (!Array.isArray(l)) refuse('APPEND on something that is not a list');
    (l as Value[]).push(...items);
  };
  const int = (v: Value, what: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v)) refuse(`${what} is not an integer`);
    return v as number;
  };
  const ints = (v: Value, what: string): number[] => {
    if (!Array.isArray(v)) refuse(`${what} is not a tuple`);
    return (v as Value[]).map((x) => int(x, what));
  };
  const reduce = (fn: Value, args: Value): Value => {
    if (!(fn instanceof Global)) refuse('REDUCE on something that is not an allowed function');
    const name = (fn as Global).name;
    if (!Array.isArray(args)) refuse(`${name} called without an argument tuple`);
    const a = args as Value[];
    if (name === 'collections.OrderedDict') {
      if (a.length) refuse('OrderedDict built from arguments');
      return new Map();
    }
    if (name === 'torch._utils._rebuild_parameter') {
      if (!(a[0] instanceof Tensor)) refuse('_rebuild_parameter of something that is not a tensor');
      return a[0];
    }
    if (REBUILDERS.has(name)) {
      if (!(a[0] instanceof Storage)) refuse(`${name} of something that is not a storage`);
      return new Tensor(a[0] as Storage, int(a[1], 'storage offset'), ints(a[2], 'size'), ints(a[3], 'stride'));
    }
    return refuse(`'${name}' is not callable`);
  };
  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        bytes(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        need(4);
        p += 4;
        stack.push(dv.getInt32(p - 4, true));
        break;
      case 0x8a: {
        // LONG1
        const b = bytes(u8());
        let v = 0n;
        for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (b.length && b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        p += 8;
        stack.push(dv.getFloat64(p - 8, false));
        break;
      case 0x58: // BINUNICODE
        stack.push(text.decode(bytes(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text.decode(bytes(u8())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(text.decode(bytes(u8())));
        break;
      case 0x54: // BINSTRING
        stack.push(text.decode(bytes(u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(bytes(u8()).slice());
        break;
      case 0x42: // BINBYTES
        stack.push(bytes(u32()).slice());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) throw new Error(`${source}: malformed pickle (memo ${k} unset)`);
        stack.push(memo.get(k));
        break;
      }
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') refuse('STACK_GLOBAL with non-string names');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(reduce(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD: only an OrderedDict's attributes (torch's `_metadata`), which are dropped.
        const state = pop();
        if (!(top() instanceof Map) || !(state instanceof Map))
          refuse('BUILD (object state) on something other than a dict');
        break;
      }
      case 0x51: // BINPERSID
        stack.push(persistent(pop()));
        break;
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default: {
        const names: Record<number, string> = {
          0x81: 'NEWOBJ',
          0x92: 'NEWOBJ_EX',
          0x69: 'INST',
          0x6f: 'OBJ',
          0x50: 'PERSID',
          0x82: 'EXT1',
          0x83: 'EXT2',
          0x84: 'EXT4',
        };
        refuse(`pickle opcode ${names[op] ?? `0x${op.toString(16)}`} at byte ${p - 1}`);
      }
    }
  }
}

/** Copies a (possibly strided) tensor's elements into row-major order. */
function gather(t: Tensor, storageBytes: Uint8Array, source: string, name: string): Uint8Array {
  const w = DTYPE_BYTES[t.storage.dtype];
  const numel = t.shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(numel * w);
  if (numel === 0) return out;
  let maxIndex = t.offset;
  for (let d = 0; d < t.shape.length; d++) maxIndex += (t.shape[d] - 1) * t.stride[d];
  if ((maxIndex + 1) * w > storageBytes.length)
    throw new Error(`${source}: tensor '${name}' reaches past its storage (${storageBytes.length} bytes)`);
  const contiguous = t.stride.every((s, d) => s === t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  if (contiguous) {
    out.set(storageBytes.subarray(t.offset * w, (t.offset + numel) * w));
    return out;
  }
  const idx = new Array<number>(t.shape.length).fill(0);
  for (let i = 0; i < numel; i++) {
    let src = t.offset;
    for (let d = 0; d < idx.length; d++) src += idx[d] * t.stride[d];
    out.set(storageBytes.subarray(src * w, src * w + w), i * w);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Reads a `torch.save` zip checkpoint holding a state dict (name -> tensor). `source` names the
 * file in errors.
 */
export function readTorchBin(bytes: Uint8Array, source = '<pytorch_model.bin>'): Map<string, TorchTensor> {
  if (!isZip(bytes)) {
    if (bytes[0] === 0x80 || bytes[0] === 0x8a)
      throw new Error(
        `${source}: legacy (non-zip) PyTorch format, written by torch < 1.6 or with _use_new_zipfile_serialization=False; ` +
          'it is not supported: re-save it with a current torch.save or convert it to safetensors',
      );
    throw new Error(`${source}: not a PyTorch checkpoint (no zip archive)`);
  }
  const entries = readZip(bytes, source);
  const pkl = [...entries.keys()].find((n) => n === 'data.pkl' || n.endsWith('/data.pkl'));
  if (!pkl) throw new Error(`${source}: the archive has no data.pkl`);
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = entries.get(`${prefix}byteorder`);
  if (order && new TextDecoder().decode(order.data).trim() !== 'little')
    throw new Error(`${source}: big-endian checkpoints are not supported`);
  const storages = new Map<string, Storage>();
  const persistent = (pid: Value): Value => {
    if (!Array.isArray(pid) || pid[0] !== 'storage' || !(pid[1] instanceof Global) || typeof pid[2] !== 'string')
      throw new UnsafePickleError(source, 'a persistent id that is not a tensor storage');
    const type = (pid[1] as Global).name.replace(/^torch\./, '');
    const dtype = STORAGES[type];
    if (!dtype) throw new UnsafePickleError(source, `persistent id of type '${type}'`);
    const key = pid[2] as string;
    let s = storages.get(key);
    if (!s) {
      s = new Storage(dtype, key, typeof pid[4] === 'number' ? pid[4] : 0);
      storages.set(key, s);
    }
    return s;
  };
  const root = unpickle(entries.get(pkl)!.data, source, persistent);
  if (!(root instanceof Map))
    throw new UnsafePickleError(source, 'the pickle is not a dict (a state dict was expected)');
  const out = new Map<string, TorchTensor>();
  for (const [name, t] of root) {
    if (typeof name !== 'string') throw new UnsafePickleError(source, 'a state-dict key that is not a string');
    if (!(t instanceof Tensor)) throw new UnsafePickleError(source, `state-dict entry '${name}' is not a tensor`);
    const entry = entries.get(`${prefix}data/${t.storage.key}`);
    if (!entry) throw new Error(`${source}: tensor '${name}' names storage ${t.storage.key}, which the archive lacks`);
    out.set(name, { dtype: t.storage.dtype, shape: t.shape, bytes: gather(t, entry.data, source, name) });
  }
  return out;
}
