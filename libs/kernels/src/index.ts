export * as Kernels from './names.js';
export type { KernelName, KernelSignatures, InputsOf, AttrsOf } from './names.js';
export { runKernel, runReference, registerReference, hasBackendKernel, type Reference } from './run.js';
export { addMany } from './reference.js';
export { splitHeads, splitHeadsT, mergeHeads, mergeHeadsT } from './heads.js';
import './reference.js';
import './gradients.js';
export { useKernelLists, activeKernelLists, type KernelEntry, type KernelList, type KernelImpl } from './registry.js';
export type { KernelArgs, WasmBackend } from './wasm-backend.js';
export { wasmKernels } from './wasm/register_all_kernels.js';
export { nativeKernels } from './native/register_all_kernels.js';
export { webgpuKernels } from './webgpu/register_all_kernels.js';
export {
  registerWasmKernels,
  registerWebgpuKernels,
  setNativeKernels,
  nativeActive,
  nativeAvailable,
  nativeStatus,
  describeNative,
  probeNativeKernels,
  type NativeStatus,
} from './setup.js';
export { withFloat32Views, makeFloat32Tensors } from './float32-views.js';
export { blockSwapOf } from './wasm/Transpose.js';
