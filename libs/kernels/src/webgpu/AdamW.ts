/**
 * One AdamW step as one WebGPU dispatch per variable: reads param, m, v, grad (and the clip scale,
 * a scalar tensor: no read-back) once and writes the three new tensors, instead of ~15 tfjs
 * element-wise programs with a temporary each. Eight storage buffers (5 read, 3 written) is
 * WebGPU's guaranteed per-shader limit exactly; without `gradScale` seven.
 */
import { AdamW } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, dispatchFused, gridFor, WORKGROUP } from '../webgpu-backend.js';
import { sizeOf } from '../wasm-backend.js';

const FIELDS = ['b1', 'oneMinusB1', 'b2', 'oneMinusB2', 'eps', 'bc2', 'negStep', 'decay'] as const;

function code(scaled: boolean): string {
  const out = scaled ? 5 : 4;
  return /* wgsl */ `
struct U { n: u32, stride: u32, ${FIELDS.map((f) => `${f}: f32`).join(', ')} };
@group(0) @binding(0) var<storage, read> param: array<f32>;
@group(0) @binding(1) var<storage, read> expAvg: array<f32>;
@group(0) @binding(2) var<storage, read> expAvgSq: array<f32>;
@group(0) @binding(3) var<storage, read> grad: array<f32>;
${scaled ? '@group(0) @binding(4) var<storage, read> gradScale: array<f32>;' : ''}
@group(0) @binding(${out}) var<storage, read_write> paramOut: array<f32>;
@group(0) @binding(${out + 1}) var<storage, read_write> expAvgOut: array<f32>;
@group(0) @binding(${out + 2}) var<storage, read_write> expAvgSqOut: array<f32>;
@group(0) @binding(${out + 3}) var<uniform> u: U;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = ${scaled ? 'gradScale[0]' : '1.0'};
  for (var i = gid.x; i < u.n; i = i + u.stride) {
    let g = grad[i] * s;
    let m = expAvg[i] * u.b1 + g * u.oneMinusB1;
    let v = expAvgSq[i] * u.b2 + (g * g) * u.oneMinusB2;
    let denom = sqrt(v) / u.bc2 + u.eps;
    paramOut[i] = param[i] * u.decay + (m / denom) * u.negStep;
    expAvgOut[i] = m;
    expAvgSqOut[i] = v;
  }
}`;
}

export const adamWConfig: KernelEntry = {
  kernelName: AdamW,
  kernelFunc: ({ backend, inputs, attrs }) => {
    const b = asWebgpu(backend);
    const { param, expAvg, expAvgSq, grad, gradScale } = inputs;
    const n = sizeOf(param!.shape);
    for (const [name, t] of Object.entries({ expAvg, expAvgSq, grad }))
      if (sizeOf(t!.shape) !== n) throw new Error(`${AdamW}: ${name} has shape [${t!.shape}], param [${param!.shape}]`);
    const grid = gridFor(n);
    return dispatchFused(b, {
      key: `${AdamW}${gradScale ? 'Scaled' : ''}`,
      code: () => code(gradScale !== undefined),
      inputs: gradScale ? [param!, expAvg!, expAvgSq!, grad!, gradScale] : [param!, expAvg!, expAvgSq!, grad!],
      outputs: [0, 1, 2].map(() => ({ shape: param!.shape, dtype: 'float32' as const })),
      uniforms: [
        { type: 'uint32', value: n },
        { type: 'uint32', value: grid * WORKGROUP },
        ...FIELDS.map((f) => ({ type: 'float32' as const, value: attrs[f] as number })),
      ],
      workgroups: grid,
    });
  },
};
