import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';

describe('initBackend', () => {
  it('auto falls back to wasm here and logs why the others were skipped', async () => {
    const lines: string[] = [];
    const info = await initBackend('auto', (l) => lines.push(l));
    // No tfjs-node and no Vulkan adapter on the CI machine: wasm.
    expect(['wasm', 'webgpu', 'tensorflow']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    if (info.name === 'wasm') expect(info.skipped.length).toBe(2);
    expect(lines[0]).toContain(`tfjs backend: ${info.name}`);
  });

  it('cpu on request', async () => {
    const info = await initBackend('cpu', () => {});
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});
