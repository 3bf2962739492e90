/**
 * `EcodeLinear` on webgpu: `x W^T + b` as one tfjs-backend-webgpu matmul program with the
 * transpose in the shader and the bias added in its epilogue (`_FusedMatMul`): one dispatch
 * instead of a Transpose, a MatMul and a bias Add.
 */
import { Linear } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { callWebgpuKernel } from './MatMul.js';

export const linearConfig: KernelEntry = {
  kernelName: Linear,
  kernelFunc: ({ backend, inputs: { x, w, bias } }) =>
    bias
      ? callWebgpuKernel(
          '_FusedMatMul',
          backend,
          { a: x!, b: w!, bias },
          { transposeA: false, transposeB: true, activation: 'linear', leakyreluAlpha: 0 },
        )
      : callWebgpuKernel('BatchMatMul', backend, { a: x!, b: w! }, { transposeA: false, transposeB: true }),
};
