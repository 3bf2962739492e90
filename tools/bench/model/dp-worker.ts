/**
 * Worker of train-step-dp.ts: holds one replica of the model (same spec and seed in every worker,
 * hence the same initial weights), computes gradients of its share of the batch, and applies the
 * averaged gradient it is sent with its own AdamW (same inputs, same math: replicas stay equal).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { AdamW, clipByGlobalNorm, createModel, initBackend, type EncodedSample } from '@ecode/model';
import { smallBenchSpec } from './small-shape.js';

const port = parentPort!;
await initBackend(workerData.backend, () => {});
const model = createModel(smallBenchSpec({ variant: workerData.variant }));
const entries = [...model.variables].filter(([, v]) => v.trainable);
const vars = entries.map(([, v]) => v);
const size = vars.reduce((n, v) => n + v.size, 0);
const optimizer = new AdamW(new Map(entries));

port.on('message', async (msg: { kind: string; samples?: EncodedSample[]; grad?: Float32Array; lr?: number }) => {
  if (msg.kind === 'grad') {
    const { value, grads } = tf.variableGrads(() => model.loss(msg.samples!, true).loss, vars);
    const flat = new Float32Array(size);
    let off = 0;
    for (const v of vars) {
      const g = grads[v.name]; // absent for variables the loss does not use (left at zero)
      if (g) flat.set((await g.data()) as Float32Array, off);
      off += v.size;
    }
    const loss = (await value.data())[0];
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
    port.postMessage({ kind: 'grad', loss, grad: flat }, [flat.buffer]);
  } else if (msg.kind === 'apply') {
    const grads = new Map<string, tf.Tensor>();
    let off = 0;
    for (const [k, v] of entries) {
      grads.set(k, tf.tensor(msg.grad!.subarray(off, off + v.size), v.shape));
      off += v.size;
    }
    const { grads: clipped, norm } = clipByGlobalNorm(grads, 1.0);
    optimizer.apply(clipped, msg.lr!);
    for (const t of [...grads.values(), ...clipped.values(), norm]) t.dispose();
    port.postMessage({ kind: 'applied' });
  } else if (msg.kind === 'checksum') {
    let sum = 0;
    for (const v of vars) for (const x of (await v.data()) as Float32Array) sum += Math.abs(x);
    port.postMessage({ kind: 'checksum', sum, numTensors: tf.memory().numTensors });
  } else if (msg.kind === 'close') {
    process.exit(0);
  }
});
port.postMessage({ kind: 'ready', size });
