/**
 * Exploration: data-parallel training over worker threads (wasm is single-threaded in Node, so a
 * second core needs a second wasm instance). Each worker holds a replica, computes the gradient of
 * its share of the batch-4 "small" step, the main thread averages the flat gradients and sends the
 * average back; every replica applies it with its own AdamW + clipping, so they stay identical
 * (checked by a weight checksum at the end). Prints JSON.
 *
 *   npx tsx tools/bench/model/train-step-dp.ts [--workers 2] [--steps 3] [--warmup 1] [--backend wasm]
 */
import { Worker } from 'node:worker_threads';
import { BATCH, argValue, median, smallBatch, smallBenchSpec } from './small-shape.js';

const workers = Number(argValue('workers', '2'));
const steps = Number(argValue('steps', '3'));
const warmup = Number(argValue('warmup', '1'));
const backend = argValue('backend', 'wasm');
const variant = argValue('variant', 'e-code');
if (BATCH % workers !== 0) throw new Error(`--workers must divide the batch ${BATCH}`);
const batch = smallBatch(smallBenchSpec({ variant: variant as 'e-code' }));
const share = BATCH / workers;

type Msg = { kind: string; loss?: number; grad?: Float32Array; sum?: number; size?: number; numTensors?: number };
const pool = Array.from(
  { length: workers },
  () =>
    // Loader hooks are per thread: register tsx inside the worker before importing the TS module.
    new Worker(
      `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./dp-worker.ts', import.meta.url).href)}); })`,
      { eval: true, workerData: { backend, variant } },
    ),
);
const next = (w: Worker) =>
  new Promise<Msg>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
await Promise.all(pool.map(next));

const stepMs: number[] = [];
const exchangeMs: number[] = [];
const losses: number[] = [];
for (let s = 0; s < warmup + steps; s++) {
  const t0 = performance.now();
  const replies = pool.map(next);
  pool.forEach((w, i) => w.postMessage({ kind: 'grad', samples: batch.slice(i * share, (i + 1) * share) }));
  const got = await Promise.all(replies);
  const t1 = performance.now();
  const avg = got[0].grad!;
  for (let i = 1; i < got.length; i++) {
    const g = got[i].grad!;
    for (let j = 0; j < avg.length; j++) avg[j] += g[j];
  }
  for (let j = 0; j < avg.length; j++) avg[j] /= workers;
  const applied = pool.map(next);
  pool.forEach((w) => w.postMessage({ kind: 'apply', grad: avg, lr: 1e-4 }));
  await Promise.all(applied);
  const t2 = performance.now();
  losses.push(got.reduce((a, m) => a + m.loss!, 0) / workers);
  if (s >= warmup) {
    stepMs.push(t2 - t0);
    exchangeMs.push(t2 - t1);
  }
}
const sums = await Promise.all(
  pool.map((w) => {
    const p = next(w);
    w.postMessage({ kind: 'checksum' });
    return p;
  }),
);
const ms = median(stepMs);
console.log(
  JSON.stringify(
    {
      bench: 'model/train-step-dp',
      backend,
      workers,
      microBatchPerWorker: share,
      steps,
      msPerStep: Math.round(ms),
      msPerStepAll: stepMs.map(Math.round),
      exchangeAndUpdateMs: Math.round(median(exchangeMs)),
      targetTokensPerSecond: Math.round((BATCH * 256 * 1000) / ms),
      losses: losses.map((l) => +l.toFixed(4)),
      replicasIdentical: sums.every((m) => m.sum === sums[0].sum),
      loadAverage1m: (await import('node:os')).loadavg()[0],
    },
    null,
    2,
  ),
);
for (const w of pool) w.postMessage({ kind: 'close' });
process.exit(0);
