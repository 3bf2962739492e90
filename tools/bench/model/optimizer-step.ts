/**
 * Cost of the optimizer side of a training step at the "small" shape: global-norm clipping and the
 * AdamW update over all 25.6M parameters, without the forward/backward pass. Prints JSON.
 *
 *   npx tsx tools/bench/model/optimizer-step.ts [--backend wasm] [--steps 5]
 */
import * as tf from '@tensorflow/tfjs';
import { AdamW, clipByGlobalNorm, createModel, initBackend, type BackendName } from '@ecode/model';
import { argValue, median, smallBenchSpec } from './small-shape.js';

const info = await initBackend(argValue('backend', 'wasm') as BackendName, () => {});
const steps = Number(argValue('steps', '5'));
const model = createModel(smallBenchSpec());
const grads = new Map([...model.variables].map(([k, v]) => [k, tf.mul(v, 1e-3)]));
const optimizer = new AdamW(model.variables, { weightDecay: 0.01 });
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < steps + 1; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { grads: clipped, norm } = clipByGlobalNorm(grads, 1.0);
  optimizer.apply(clipped, 1e-4);
  await norm.data();
  for (const t of [...clipped.values(), norm]) t.dispose();
  const c = process.cpuUsage(c0);
  if (i > 0) {
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
}
let params = 0;
for (const v of model.variables.values()) params += v.size;
console.log(
  JSON.stringify({
    bench: 'model/optimizer-step',
    backend: info.name,
    parameters: params,
    msPerStep: Math.round(median(wall)),
    cpuMsPerStep: Math.round(median(cpu)),
    loadAverage1m: (await import('node:os')).loadavg()[0],
  }),
);
process.exit(0);
