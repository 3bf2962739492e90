/**
 * `EcodeMatMul` on webgpu: tfjs-backend-webgpu's own BatchMatMul programs take the transpose flags
 * in the shader, so `op(a) op(b)` is one dispatch (the reference's explicit transposes, which
 * wasm needs, cost a Transpose dispatch or two each).
 */
import { getKernel, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs';
import { MatMul } from '../names.js';
import type { KernelEntry } from '../registry.js';

/** Runs tfjs-backend-webgpu's stock kernel `name` from inside a kernel. */
export function callWebgpuKernel(
  name: string,
  backend: unknown,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
): TensorInfo {
  const k = getKernel(name, 'webgpu');
  if (!k) throw new Error(`${name}: no webgpu kernel registered`);
  return k.kernelFunc({ inputs, backend: backend as KernelBackend, attrs: attrs as never }) as TensorInfo;
}

export const matMulConfig: KernelEntry = {
  kernelName: MatMul,
  kernelFunc: ({ backend, inputs: { a, b }, attrs: { transposeA, transposeB } }) =>
    callWebgpuKernel('BatchMatMul', backend, { a: a!, b: b! }, { transposeA, transposeB }),
};
