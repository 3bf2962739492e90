/**
 * Forward and forward+backward timings of the model alone (no optimizer) at the issue-5 "small"
 * shape, with a kernel profile. Prints JSON.
 *
 *   npx tsx tools/bench/model-core/fwd-bwd.ts [--backend wasm|cpu|webgpu|auto] [--variant e-code] [--steps 3] [--profile]
 */
import * as tf from '@tensorflow/tfjs';
import {
  createModel,
  initBackend,
  smallSpec,
  type BackendName,
  type EncodedSample,
  type ModelVariant,
} from '@ecode/model';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const backend = arg('backend', 'wasm') as BackendName;
const variant = arg('variant', 'e-code') as ModelVariant;
const steps = Number(arg('steps', '3'));
const info = await initBackend(backend, () => {});
const spec = smallSpec({ variant, dropout: { bert: 0.1, decoder: 0, crossAttention: 0 } });
const model = createModel(spec);

let state = 12345;
const rnd = (n: number) => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return 3 + (state % (n - 200));
};
const batch: EncodedSample[] = Array.from({ length: 4 }, (_, i) => {
  const fields = [16, 192, 48, 48, 96].map((n) => [
    101,
    ...Array.from({ length: n - 2 }, () => rnd(spec.textVocabSize)),
    102,
  ]);
  return {
    id: `b${i}`,
    problemId: 'b',
    fields,
    statement: fields.flat().slice(0, spec.integration.maxPositions),
    statementCode: Array.from({ length: 256 }, () => rnd(spec.codeVocabSize)),
    ic: Array.from({ length: 256 }, () => rnd(spec.codeVocabSize)),
    ec: Array.from({ length: 255 }, () => rnd(spec.codeVocabSize)),
  };
});
const vars = [...model.variables.values()];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall ms per run, and this process's CPU ms (user + system): the machine is shared, so CPU
 * time is the steadier figure (single-threaded wasm: CPU ms ~ uncontended wall ms). */
const cpuMs: Record<string, number[]> = { fwd: [], fwdBwd: [] };
async function timeIt(f: () => Promise<void>, key: string): Promise<number[]> {
  await f();
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await f();
    const d = process.cpuUsage(c);
    out.push(performance.now() - t);
    cpuMs[key].push((d.user + d.system) / 1000);
  }
  return out;
}

let tokens = 0;
const fwd = await timeIt(async () => {
  const r = model.loss(batch, true);
  tokens = r.tokens;
  await r.loss.data();
  r.loss.dispose();
}, 'fwd');
const fwdBwd = await timeIt(async () => {
  const { value, grads } = tf.variableGrads(() => model.loss(batch, true).loss, vars);
  await value.data();
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
}, 'fwdBwd');

let profile: { kernel: string; ms: number; calls: number }[] | undefined;
if (process.argv.includes('--profile')) {
  const p = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, true).loss, vars);
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
  });
  const by = new Map<string, { ms: number; calls: number }>();
  for (const k of p.kernels) {
    const e = by.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls++;
    by.set(k.name, e);
  }
  profile = [...by]
    .map(([kernel, e]) => ({ kernel, ms: Math.round(e.ms), calls: e.calls }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 20);
}
const ms = median(fwdBwd);
console.log(
  JSON.stringify(
    {
      bench: 'model-core/fwd-bwd',
      backend: info.name,
      variant,
      targetTokensPerStep: tokens,
      forwardMs: fwd.map(Math.round),
      forwardBackwardMs: fwdBwd.map(Math.round),
      forwardBackwardMedianMs: Math.round(ms),
      targetTokensPerSecondFwdBwd: Math.round((tokens * 1000) / ms),
      forwardCpuMs: cpuMs.fwd.map(Math.round),
      forwardBackwardCpuMs: cpuMs.fwdBwd.map(Math.round),
      targetTokensPerCpuSecondFwdBwd: Math.round((tokens * 1000) / median(cpuMs.fwdBwd)),
      loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
      numTensors: tf.memory().numTensors,
      profile,
    },
    null,
    1,
  ),
);
model.dispose();
process.exit(0);
