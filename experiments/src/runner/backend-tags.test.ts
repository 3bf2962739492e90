import { describe, expect, it } from 'vitest';
import { classifyAdapter, initBackend, probeWebgpu } from '@ecode/model';
import { backendTags } from './backend-tags.js';

const probe = await probeWebgpu();

describe('backendTags', () => {
  it('wasm: backend and kernels, no adapter tags', () => {
    expect(backendTags({ backend: 'wasm', kernels: 'native (OpenBLAS Zen, 1 thread)' })).toEqual({
      'ecode.backend': 'wasm',
      'ecode.kernels': 'native (OpenBLAS Zen, 1 thread)',
    });
  });

  it('webgpu: the adapter is named, and a software one says so', () => {
    const adapter = classifyAdapter({
      vendor: 'google',
      architecture: 'swiftshader',
      description: 'SwiftShader driver 5.0.0',
      isFallbackAdapter: true,
    });
    expect(backendTags({ backend: 'webgpu', kernels: 'webgpu backend kernels', adapter })).toEqual({
      'ecode.backend': 'webgpu',
      'ecode.kernels': 'webgpu backend kernels',
      'ecode.gpu.vendor': 'google',
      'ecode.gpu.architecture': 'swiftshader',
      'ecode.gpu.description': 'SwiftShader driver 5.0.0',
      'ecode.gpu.software': 'true',
    });
    const gpu = classifyAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' });
    expect(backendTags({ backend: 'webgpu', kernels: 'k', adapter: gpu })['ecode.gpu.software']).toBe('false');
  });

  it.skipIf(!probe.ok)("webgpu on this machine's adapter: the tags of the backend initBackend started", async () => {
    const info = await initBackend('webgpu', () => {});
    const tags = backendTags({ backend: info.name, kernels: `${info.name} backend kernels`, adapter: info.adapter });
    expect(tags['ecode.backend']).toBe('webgpu');
    expect(tags['ecode.gpu.vendor']).toBe(probe.adapter!.vendor);
    expect(tags['ecode.gpu.description']).toBe(probe.adapter!.description);
    expect(tags['ecode.gpu.software']).toBe(String(probe.adapter!.software));
  });
});
