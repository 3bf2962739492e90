/**
 * The global L2 norm of the gradients and the clip factor `min(1, maxNorm / (norm + 1e-6))` in
 * few WebGPU dispatches and no read-back: each dispatch is one workgroup that sums the squares of
 * as many gradients as the storage-buffer limit allows (7 in the first, then 6 plus the running
 * sum), in a fixed order (the same value every run). The last dispatch also writes the norm and
 * the scale, so ~400 gradients take ~70 dispatches instead of ~800 (a Square and a Sum each).
 * One workgroup per dispatch keeps the order fixed without atomics; it reads each gradient once.
 */
import { GlobalNorm } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, dispatchFused, storageBindings, WORKGROUP, type WebgpuBackend } from '../webgpu-backend.js';
import { sizeOf } from '../wasm-backend.js';
import type * as tf from '@tensorflow/tfjs';

/** WGSL for `k` gradients, after a running sum (`prev`) or not, ending with norm and scale (`last`) or a partial sum. */
function code(k: number, prev: boolean, last: boolean): string {
  const inputs = [...Array.from({ length: k }, (_, i) => `g${i}`), ...(prev ? ['prev'] : [])];
  const outputs = last ? ['norm', 'scale'] : ['partial'];
  const fields = [...Array.from({ length: k }, (_, i) => `n${i}: u32`), 'maxNorm: f32', 'clip: u32'];
  return /* wgsl */ `
struct U { ${fields.join(', ')} };
${inputs.map((x, i) => `@group(0) @binding(${i}) var<storage, read> ${x}: array<f32>;`).join('\n')}
${outputs.map((x, i) => `@group(0) @binding(${inputs.length + i}) var<storage, read_write> ${x}: array<f32>;`).join('\n')}
@group(0) @binding(${inputs.length + outputs.length}) var<uniform> u: U;
var<workgroup> acc: array<f32, ${WORKGROUP}>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(local_invocation_index) li: u32) {
  var s = 0.0;
${Array.from(
  { length: k },
  (_, i) => `  for (var j = li; j < u.n${i}; j = j + ${WORKGROUP}u) { let x = g${i}[j]; s = s + x * x; }`,
).join('\n')}
  acc[li] = s;
  workgroupBarrier();
  for (var w = ${WORKGROUP / 2}u; w > 0u; w = w >> 1u) {
    if (li < w) { acc[li] = acc[li] + acc[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let total = ${prev ? 'prev[0] + ' : ''}acc[0];
${
  last
    ? `    let n = sqrt(total);
    norm[0] = n;
    scale[0] = select(1.0, min(u.maxNorm / (n + 1e-6), 1.0), u.clip == 1u);`
    : '    partial[0] = total;'
}
  }
}`;
}

function run(b: WebgpuBackend, grads: tf.TensorInfo[], maxNorm: number): tf.TensorInfo[] {
  const limit = storageBindings(b);
  const clip = Number.isFinite(maxNorm);
  let prev: tf.TensorInfo | null = null;
  let rest = grads;
  for (;;) {
    const hasPrev = prev !== null;
    const room = limit - (hasPrev ? 1 : 0);
    const last = rest.length <= room - 2;
    const group = rest.slice(0, last ? rest.length : room - 1);
    rest = rest.slice(group.length);
    const outs = dispatchFused(b, {
      key: `${GlobalNorm}${group.length}${hasPrev ? 'Prev' : ''}${last ? 'Last' : ''}`,
      code: () => code(group.length, hasPrev, last),
      inputs: hasPrev ? [...group, prev!] : group,
      outputs: last
        ? [
            { shape: [], dtype: 'float32' },
            { shape: [], dtype: 'float32' },
          ]
        : [{ shape: [], dtype: 'float32' }],
      uniforms: [
        ...group.map((g) => ({ type: 'uint32' as const, value: sizeOf(g.shape) })),
        { type: 'float32', value: clip ? maxNorm : 0 },
        { type: 'uint32', value: clip ? 1 : 0 },
      ],
      workgroups: 1,
    });
    // The running sum is an intermediate: freed once the submit that reads it is done.
    if (prev) b.disposeData(prev.dataId);
    if (last) return outs;
    prev = outs[0];
  }
}

export const globalNormConfig: KernelEntry = {
  kernelName: GlobalNorm,
  kernelFunc: ({ backend, inputs, attrs }) => {
    for (const [name, g] of Object.entries(inputs))
      if (g!.dtype !== 'float32') throw new Error(`${GlobalNorm}: gradient ${name} is ${g!.dtype}, expected float32`);
    return run(asWebgpu(backend), Object.values(inputs) as tf.TensorInfo[], attrs.maxNorm as number);
  },
};
