/**
 * Registration of the backends' kernel lists. `registerWasmKernels` registers the portable wasm
 * list and, when the native addon loads (not `ECODE_NATIVE=0`), the native list over it;
 * `setNativeKernels(false)` re-registers the portable list alone (and `true` the native one again).
 * The status functions describe which path runs, for log lines and tags.
 */
import { loadNative } from '@ecode/native-kernels';
import { nativeKernels } from './native/register_all_kernels.js';
import { loadAddon } from './native/addon.js';
import { useKernelLists } from './registry.js';
import { wasmKernels } from './wasm/register_all_kernels.js';
import { webgpuKernels } from './webgpu/register_all_kernels.js';

export interface NativeStatus {
  /** Whether the wasm backend's products and fused kernels run natively (else XNNPACK + JS). */
  active: boolean;
  /** OpenBLAS's CPU kernel set (`Haswell`, `Zen`, `SkylakeX`, `Cooperlake`, ...) when active. */
  corename?: string;
  /** OpenBLAS's build line when active. */
  config?: string;
  /** OpenBLAS threads when active. */
  threads?: number;
  /** Why the native path is not active. */
  reason?: string;
}

let wasmRegistered = false;
let nativeOn = false;

function applyWasmLists(): void {
  useKernelLists('wasm', nativeOn ? [wasmKernels, nativeKernels] : [wasmKernels]);
}

/**
 * Registers the wasm kernels (the portable list, and the native list over it when the addon loads;
 * the first call decides, later calls keep the current choice). Call after importing
 * tfjs-backend-wasm. `blasThreads` sets OpenBLAS's thread count (process-wide: worker threads
 * share it).
 */
export function registerWasmKernels(options: { blasThreads?: number } = {}): NativeStatus {
  const { native } = loadAddon();
  if (!wasmRegistered) {
    wasmRegistered = true;
    nativeOn = native !== null;
  }
  if (native && options.blasThreads !== undefined) native.setThreads(options.blasThreads);
  applyWasmLists();
  return nativeStatus();
}

/** Registers the native list over the portable one (`on`, when the addon loaded) or the portable list alone; returns whether native runs. */
export function setNativeKernels(on: boolean): boolean {
  nativeOn = on && loadAddon().native !== null;
  if (wasmRegistered) applyWasmLists();
  return nativeOn;
}

/** Whether the wasm backend's kernels are the native list's. */
export function nativeActive(): boolean {
  return nativeOn && wasmRegistered;
}

export function nativeStatus(): NativeStatus {
  if (!wasmRegistered) return { active: false, reason: 'not loaded (wasm backend not started)' };
  const { native, reason } = loadAddon();
  if (native && nativeOn) {
    const info = native.info();
    return { active: true, corename: info.corename, config: info.config, threads: native.getThreads() };
  }
  return { active: false, reason: native ? 'turned off (setNativeKernels(false))' : (reason ?? 'unknown reason') };
}

/**
 * One phrase for log lines and tags: `native (OpenBLAS Zen, 2 threads)` or
 * `wasm XNNPACK + JS (native off: why)`.
 */
export function describeNative(s: NativeStatus = nativeStatus()): string {
  return s.active
    ? `native (OpenBLAS ${s.corename}, ${s.threads} thread${s.threads === 1 ? '' : 's'})`
    : `wasm XNNPACK + JS (native off: ${s.reason})`;
}

/**
 * Whether the native kernels would be used by a wasm backend started now, without starting tfjs:
 * loads the addon (or reports why it cannot) and names OpenBLAS's build and CPU kernel set. For
 * `ecode --version` and doctor lines.
 */
export function probeNativeKernels(): { available: boolean; detail: string } {
  const s = loadNative();
  if (!s.native) return { available: false, detail: s.reason ?? 'unknown reason' };
  const info = s.native.info();
  return { available: true, detail: `${info.config.split(' ').slice(0, 2).join(' ')}, ${info.corename} kernels` };
}

/** Whether the native addon loads in this process (tests of both paths skip the native one without it). */
export function nativeAvailable(): boolean {
  return loadAddon().native !== null;
}

/**
 * Registers the webgpu list (fused WebGPU programs; the rest run their references). Call after
 * `tf.setBackend('webgpu')` succeeded; calling again is harmless.
 */
export function registerWebgpuKernels(): void {
  useKernelLists('webgpu', [webgpuKernels]);
}
