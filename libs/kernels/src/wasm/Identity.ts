/**
 * `Identity` without a copy (a new reference to the data, as `Reshape` and the cpu backend do).
 * tfjs clones every tensor it saves for the backward pass through `Identity`, so on stock wasm
 * each forward op copied its inputs (weights included). Tensors are immutable (a Variable's assign
 * swaps its data id), so sharing data is safe.
 */
import type { KernelEntry } from '../registry.js';
import { asWasm, shareData, type KernelArgs } from '../wasm-backend.js';

export const identityConfig: KernelEntry = {
  kernelName: 'Identity',
  kernelFunc: (a: KernelArgs) => shareData(asWasm(a.backend), a.inputs.x!),
};
