/** The MLflow tags that say what a run trained on: backend, kernels and, on webgpu, the adapter. */
import type { GpuAdapterInfo } from '@ecode/model';
import {
  TAG_BACKEND,
  TAG_GPU_ARCHITECTURE,
  TAG_GPU_DESCRIPTION,
  TAG_GPU_SOFTWARE,
  TAG_GPU_VENDOR,
  TAG_KERNELS,
} from '@ecode/tracking';

export function backendTags(trained: {
  backend: string;
  kernels: string;
  adapter?: GpuAdapterInfo;
}): Record<string, string> {
  const tags: Record<string, string> = { [TAG_BACKEND]: trained.backend, [TAG_KERNELS]: trained.kernels };
  const a = trained.adapter;
  if (a) {
    tags[TAG_GPU_VENDOR] = a.vendor;
    tags[TAG_GPU_ARCHITECTURE] = a.architecture;
    tags[TAG_GPU_DESCRIPTION] = a.description;
    tags[TAG_GPU_SOFTWARE] = String(a.software);
  }
  return tags;
}
