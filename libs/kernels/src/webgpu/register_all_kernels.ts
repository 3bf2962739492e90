/**
 * The webgpu list: fused WebGPU programs for the kernels whose composed references cost the most
 * dispatches per training step (`tools/bench/gpu/dispatches.ts`). Kernels not listed run their
 * references (tfjs-backend-webgpu's stock programs).
 */
import type { KernelList } from '../registry.js';
import { adamWConfig } from './AdamW.js';
import { globalNormConfig } from './GlobalNorm.js';

export const webgpuKernels: KernelList = {
  backendName: 'webgpu',
  label: 'webgpu',
  kernels: [adamWConfig, globalNormConfig],
};
