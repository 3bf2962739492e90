/**
 * A gradient replica (worker thread, see replicas.ts): its own tfjs on one thread and a copy of the
 * model. Loads the published weights when their version changed, computes one shard's gradient
 * with the same code as the training thread (shards.ts) and writes it into its shared buffer.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/backend.js';
import { createModel } from '../ecode/create-model.js';
import type { CodeRewritingModel } from '../contracts.js';
import { withFloat32Views } from '@ecode/kernels';
import { layoutOf, type FromReplica, type ToReplica, type VariableSlot } from './replicas.js';
import { shardGradients } from './shards.js';

if (!parentPort) throw new Error('replica-worker.ts runs only as a worker thread');
const port = parentPort;

let model: CodeRewritingModel | null = null;
let entries: [string, tf.Variable][] = [];
let slots: VariableSlot[] = [];
let paramView: Float32Array | null = null;
let gradView: Float32Array | null = null;
let loadedVersion = -1;

function loadWeights(): void {
  for (let i = 0; i < entries.length; i++) {
    const [, v] = entries[i];
    const s = slots[i];
    const t = tf.tensor(paramView!.subarray(s.offset, s.offset + s.size), s.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
}

async function handle(msg: ToReplica): Promise<FromReplica> {
  if (msg.kind === 'init') {
    // One thread per replica: the replicas are the parallelism.
    await initBackend(msg.backend as 'wasm' | 'cpu', () => {}, { wasmThreads: 1 });
    model = createModel(msg.spec);
    entries = [...model.variables].filter(([, v]) => v.trainable);
    slots = layoutOf(entries.map(([key, v]) => ({ key, shape: v.shape }))).slots;
    return { kind: 'ready', layout: slots.map((s) => ({ key: s.key, shape: s.shape })) };
  }
  if (msg.kind === 'buffers') {
    paramView = new Float32Array(msg.params);
    gradView = new Float32Array(msg.grads);
    return { kind: 'ok' };
  }
  if (!model || !paramView || !gradView) throw new Error('shard before init');
  if (msg.version !== loadedVersion) {
    loadWeights();
    loadedVersion = msg.version;
  }
  const r = shardGradients(model, entries, msg.samples, msg.dropoutSeed, msg.seededDropout);
  const present = new Uint8Array(slots.length);
  const withGrad: tf.Tensor[] = [];
  const at: VariableSlot[] = [];
  slots.forEach((s, i) => {
    const g = r.grads.get(s.key);
    if (!g) return;
    present[i] = 1;
    withGrad.push(g);
    at.push(s);
  });
  withFloat32Views(withGrad, (views) => views.forEach((view, i) => gradView!.set(view, at[i].offset)));
  const loss = (await r.loss.data())[0];
  r.loss.dispose();
  for (const g of r.grads.values()) g.dispose();
  return { kind: 'shard', loss, tokens: r.tokens, present };
}

port.on('message', (msg: ToReplica) => {
  handle(msg).then(
    (reply) => port.postMessage(reply),
    (e: Error) => port.postMessage({ kind: 'error', message: e.message, stack: e.stack } satisfies FromReplica),
  );
});
