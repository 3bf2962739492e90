/**
 * Child-process probe for native.test.ts: starts wasm (with ECODE_NATIVE / ECODE_NATIVE_ADDON as
 * the parent set them), prints the backend's log line, whether the native kernels are active and
 * why not, and the loss and a gradient checksum of one forward+backward of a tiny E-code model.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend.js';
import { createModel } from '../create-model.js';
import { fixtureSpec } from '../test-fixtures.js';

const lines: string[] = [];
const info = await initBackend('wasm', (l) => lines.push(l));
const s = fixtureSpec('e-code', 4, false);
const model = createModel({ ...s, dropout: { bert: 0, decoder: 0, crossAttention: 0 }, seed: 11 });
const seq = (len: number, off: number) => Array.from({ length: len }, (_, j) => 1 + ((j * 7 + off) % 150));
const samples = [0, 1].map((i) => ({
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
for (const v of vars) {
  const g = grads[v.name];
  if (!g) continue;
  const u = new Uint32Array(new Float32Array(await g.data()).buffer);
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 16777619) >>> 0;
}
console.log(
  JSON.stringify({
    log: lines[0],
    active: info.native?.active ?? false,
    reason: info.native?.reason,
    loss: (await value.data())[0],
    checksum: h,
  }),
);
