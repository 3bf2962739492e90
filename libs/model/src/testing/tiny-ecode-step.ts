/**
 * For child-process probes: one forward+backward of a tiny E-code model (fixture spec, no
 * dropout, fixed seed) on `n` synthetic samples, with an FNV-1a checksum of the exact float32
 * bits of every gradient (and of the loss first, when `hashLoss`).
 */
import * as tf from '@tensorflow/tfjs';
import { createModel } from '../ecode/create-model.js';
import { fixtureSpec } from './fixtures.js';

export async function tinyEcodeStep(n: number, hashLoss: boolean): Promise<{ loss: number; checksum: number }> {
  const s = fixtureSpec('e-code', 4, false);
  const model = createModel({ ...s, dropout: { bert: 0, decoder: 0, crossAttention: 0 }, seed: 11 });
  const seq = (len: number, off: number) => Array.from({ length: len }, (_, j) => 1 + ((j * 7 + off) % 150));
  const samples = Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    problemId: 'p',
    fields: [3, 6, 4, 3, 5].map((len, k) => seq(len + i, k * 5 + i)),
    statement: seq(8, i),
    ic: seq(20 + i, i * 3),
    ec: seq(12 + i, i * 5),
  }));
  const vars = [...model.variables.values()];
  const { value, grads } = tf.variableGrads(() => model.loss(samples, false).loss, vars);
  let h = 0x811c9dc5;
  const mix = (x: Float32Array) => {
    const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
    for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 16777619) >>> 0;
  };
  const loss = new Float32Array(await value.data());
  if (hashLoss) mix(loss);
  for (const v of vars) if (grads[v.name]) mix(new Float32Array(await grads[v.name].data()));
  return { loss: loss[0], checksum: h };
}
