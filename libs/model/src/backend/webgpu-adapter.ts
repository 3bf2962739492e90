/**
 * The WebGPU adapter behind the `webgpu` backend (Dawn through the `webgpu` npm package): finding
 * it, describing it, and telling a software rasteriser (SwiftShader, lavapipe / llvmpipe, a
 * fallback or CPU adapter) from a GPU. `auto` never trains on a software adapter: it is slower than
 * wasm (SwiftShader trained the tiny preset at 28 tokens/s where wasm does 1,500).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What the adapter says about itself (GPUAdapterInfo) and whether it is a software one. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn / the browser marks CPU and fallback adapters (SwiftShader included) with this. */
  isFallbackAdapter: boolean;
  /** A software rasteriser, not a GPU (see `classifyAdapter`). */
  software: boolean;
  /** Why it counts as software (absent for a GPU). */
  softwareReason?: string;
}

/** The fields `classifyAdapter` reads (GPUAdapterInfo and, where an implementation has it, a type). */
export interface RawAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  /** Dawn's native adapter type (`cpu`, `integrated GPU`, ...), where exposed. */
  adapterType?: string;
}

/** Names of software Vulkan / D3D / Metal rasterisers in vendor, architecture, device or description. */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|software rasteri[sz]er|microsoft basic render/i;

/** Describes an adapter and decides whether it is a software rasteriser, and why. */
export function classifyAdapter(raw: RawAdapterInfo): GpuAdapterInfo {
  const info: GpuAdapterInfo = {
    vendor: raw.vendor ?? '',
    architecture: raw.architecture ?? '',
    device: raw.device ?? '',
    description: raw.description ?? '',
    isFallbackAdapter: raw.isFallbackAdapter === true,
    software: false,
  };
  const named = [info.vendor, info.architecture, info.device, info.description].join(' ').match(SOFTWARE_NAMES);
  if (info.isFallbackAdapter) info.softwareReason = 'a fallback adapter (isFallbackAdapter)';
  else if (raw.adapterType && /cpu/i.test(raw.adapterType)) info.softwareReason = `adapter type ${raw.adapterType}`;
  else if (named) info.softwareReason = `a software rasteriser (${named[0]})`;
  info.software = info.softwareReason !== undefined;
  return info;
}

/** One line naming the adapter: `google swiftshader (SwiftShader driver 5.0.0), software`. */
export function describeAdapter(a: GpuAdapterInfo): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return `${name}${a.description ? ` (${a.description})` : ''}, ${a.software ? `software: ${a.softwareReason}` : 'GPU'}`;
}

/** Dawn needs the Vulkan loader; without it probing only prints a warning, so skip it quietly. */
export function hasVulkanLoader(): boolean {
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
    '/lib/x86_64-linux-gnu',
  ];
  return dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')));
}

interface WebgpuPackage {
  create?: (opts: string[]) => GpuLike;
  globals?: Record<string, unknown>;
}
/** The part of `navigator.gpu` used here. */
export interface GpuLike {
  requestAdapter(): Promise<{ info?: RawAdapterInfo; isFallbackAdapter?: boolean } | null>;
}

export type WebgpuProbe =
  { ok: true; gpu: GpuLike; adapter: GpuAdapterInfo } | { ok: false; reason: string; adapter?: undefined };

let probed: Promise<WebgpuProbe> | null = null;

/**
 * Finds the WebGPU adapter once per process: the Vulkan loader, the `webgpu` package (its globals
 * are copied onto globalThis, as tfjs-backend-webgpu needs), an adapter. Never throws: a missing
 * piece is `{ ok: false, reason }`.
 */
export function probeWebgpu(): Promise<WebgpuProbe> {
  probed ??= (async (): Promise<WebgpuProbe> => {
    if (!hasVulkanLoader()) return { ok: false, reason: 'webgpu: no Vulkan loader (libvulkan.so.1) on this machine' };
    let webgpu: WebgpuPackage | null = null;
    try {
      webgpu = (await import(/* @vite-ignore */ 'webgpu')) as unknown as WebgpuPackage;
    } catch {
      webgpu = null;
    }
    if (!webgpu?.create || !webgpu.globals)
      return { ok: false, reason: 'webgpu: the `webgpu` package is not installed' };
    Object.assign(globalThis, webgpu.globals);
    const gpu = webgpu.create([]);
    let adapter: Awaited<ReturnType<GpuLike['requestAdapter']>> = null;
    try {
      adapter = await gpu.requestAdapter();
    } catch (e) {
      return { ok: false, reason: `webgpu: requestAdapter failed (${(e as Error).message})` };
    }
    if (!adapter) return { ok: false, reason: 'webgpu: no GPU adapter (no Vulkan driver?)' };
    // GPUAdapterInfo's fields are getters on its prototype: read them one by one (no spread).
    const raw: RawAdapterInfo = adapter.info ?? {};
    return {
      ok: true,
      gpu,
      adapter: classifyAdapter({
        vendor: raw.vendor,
        architecture: raw.architecture,
        device: raw.device,
        description: raw.description,
        isFallbackAdapter: raw.isFallbackAdapter ?? adapter.isFallbackAdapter,
        adapterType: raw.adapterType,
      }),
    };
  })();
  return probed;
}
