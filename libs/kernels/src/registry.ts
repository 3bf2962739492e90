/**
 * Registration lists and the one stock-kernel wrapper. A backend's kernels are a stack: tfjs's
 * stock kernel (when there is one), then each list in order; a list entry either replaces what is
 * below it or wraps it (keeping the stock setup, which binds wasm functions other kernels call
 * too). `useKernelLists` rebuilds every touched name from the stock kernel up, so switching lists
 * (native on and off) never wraps a wrapper and restores the stock kernel where no list has one.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './wasm-backend.js';

export type KernelImpl = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

export interface KernelEntry {
  kernelName: string;
  /** Replaces whatever is below (the stock kernel or an earlier list's). */
  kernelFunc?: KernelImpl;
  /** Wraps whatever is below (left out when nothing is below). */
  wrap?: (below: KernelImpl) => KernelImpl;
}

export interface KernelList {
  backendName: string;
  /** For status lines: `portable`, `native`, ... */
  label: string;
  kernels: KernelEntry[];
}

/** Stock kernels as first seen (null: the backend has none), by `backend/name`. */
const stock = new Map<string, tf.KernelConfig | null>();
const active = new Map<string, KernelList[]>();

function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | null {
  const key = `${backendName}/${kernelName}`;
  if (!stock.has(key)) stock.set(key, tf.getKernel(kernelName, backendName) ?? null);
  return stock.get(key)!;
}

/**
 * Registers `lists` (later lists over earlier ones) as `backendName`'s kernels, undoing any
 * earlier call's entries that the new lists lack.
 */
export function useKernelLists(backendName: string, lists: KernelList[]): void {
  for (const l of lists)
    if (l.backendName !== backendName)
      throw new Error(`useKernelLists('${backendName}'): the ${l.label} list is for '${l.backendName}'`);
  const names = new Set<string>();
  for (const l of [...(active.get(backendName) ?? []), ...lists]) for (const k of l.kernels) names.add(k.kernelName);
  for (const kernelName of names) {
    const base = stockKernel(kernelName, backendName);
    let func = base ? (base.kernelFunc as unknown as KernelImpl) : null;
    let setupFunc = base?.setupFunc;
    for (const l of lists)
      for (const e of l.kernels) {
        if (e.kernelName !== kernelName) continue;
        if (e.kernelFunc) {
          func = e.kernelFunc;
          setupFunc = undefined;
        } else if (e.wrap && func) func = e.wrap(func);
      }
    if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
    if (func) tf.registerKernel({ kernelName, backendName, kernelFunc: func as unknown as tf.KernelFunc, setupFunc });
  }
  active.set(backendName, [...lists]);
}

/** Labels of the lists registered on `backendName`, in order (empty when none). */
export function activeKernelLists(backendName: string): string[] {
  return (active.get(backendName) ?? []).map((l) => l.label);
}
