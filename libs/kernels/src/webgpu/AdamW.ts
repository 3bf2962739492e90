/**
 * One AdamW step as one WebGPU dispatch per variable: reads param, m, v, grad (and the clip scale,
 * a scalar tensor: no read-back) once and writes the three new tensors, instead of ~15 tfjs
 * element-wise programs with a temporary each. Eight storage buffers (5 read, 3 written) is
 * WebGPU's guaranteed per-shader limit exactly; without `gradScale` seven.
 */
import { AdamW } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWebgpu, declareBuffers, dispatchFused, flatLayout, flatMain } from '../webgpu-backend.js';
import { sizeOf } from '../wasm-backend.js';

const FIELDS = ['b1', 'oneMinusB1', 'b2', 'oneMinusB2', 'eps', 'bc2', 'negStep', 'decay'] as const;

function code(scaled: boolean): string {
  const read: [string, 'f32'][] = [
    ['param', 'f32'],
    ['expAvg', 'f32'],
    ['expAvgSq', 'f32'],
    ['grad', 'f32'],
  ];
  return /* wgsl */ `
struct U { n: u32, stride: u32, ${FIELDS.map((f) => `${f}: f32`).join(', ')} };
${declareBuffers(scaled ? [...read, ['gradScale', 'f32']] : read, ['paramOut', 'expAvgOut', 'expAvgSqOut'])}
${flatMain(`
    let g = grad[i] * ${scaled ? 'gradScale[0]' : '1.0'};
    let m = expAvg[i] * u.b1 + g * u.oneMinusB1;
    let v = expAvgSq[i] * u.b2 + (g * g) * u.oneMinusB2;
    let denom = sqrt(v) / u.bc2 + u.eps;
    paramOut[i] = param[i] * u.decay + (m / denom) * u.negStep;
    expAvgOut[i] = m;
    expAvgSqOut[i] = v;`)}`;
}

export const adamWConfig: KernelEntry = {
  kernelName: AdamW,
  kernelFunc: ({ backend, inputs, attrs }) => {
    const b = asWebgpu(backend);
    const { param, expAvg, expAvgSq, grad, gradScale } = inputs;
    const n = sizeOf(param!.shape);
    for (const [name, t] of Object.entries({ expAvg, expAvgSq, grad }))
      if (sizeOf(t!.shape) !== n) throw new Error(`${AdamW}: ${name} has shape [${t!.shape}], param [${param!.shape}]`);
    const flat = flatLayout(n);
    return dispatchFused(b, {
      key: `${AdamW}${gradScale ? 'Scaled' : ''}`,
      code: () => code(gradScale !== undefined),
      inputs: gradScale ? [param!, expAvg!, expAvgSq!, grad!, gradScale] : [param!, expAvg!, expAvgSq!, grad!],
      outputs: [0, 1, 2].map(() => ({ shape: param!.shape, dtype: 'float32' as const })),
      uniforms: [...flat.uniforms, ...FIELDS.map((f) => ({ type: 'float32' as const, value: attrs[f] as number }))],
      workgroups: flat.workgroups,
    });
  },
};
