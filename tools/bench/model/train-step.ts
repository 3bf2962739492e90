/**
 * Training throughput at the issue-5 "small" shape (E-code, batch 4, slow code 256, target 256,
 * AdamW, clip 1.0) through the real `train` loop. Prints JSON: ms/step and target tokens/s.
 *
 *   npx tsx tools/bench/model/train-step.ts [--backend wasm|webgpu|cpu|auto] [--steps 5] [--warmup 1]
 *                                           [--shape small|cpu|paper] (cpu: the learning preset, batch 8;
 *                                           paper: the paper's ~405M-parameter shape at batch 1, GPU only)
 *                                           [--variant e-code|no-expert|gpt-neo] [--micro 4] [--profile]
 *                                           [--threads N]   (wasm XNNPACK threads per instance)
 *                                           [--shards S] [--sequential]
 * --shards S splits each batch into S gradient shards computed by S-1 worker-thread replicas beside
 * the main thread (data-parallel over cores); --sequential computes them here instead (same math).
 */
import * as tf from '@tensorflow/tfjs';
import {
  GradientReplicas,
  createModel,
  describeNative,
  initBackend,
  train,
  type BackendName,
  type ModelVariant,
  type TrainMetrics,
} from '@ecode/model';
import {
  BATCH as SMALL_BATCH,
  CPU_PRESET_BATCH,
  PAPER_BATCH,
  PAPER_LENGTHS,
  SMALL_LENGTHS,
  argValue,
  median,
  cpuPresetSpec,
  paperBenchSpec,
  smallBatch,
  smallBenchSpec,
} from './small-shape.js';

const backend = argValue('backend', 'wasm') as BackendName;
const steps = Number(argValue('steps', '5'));
const warmup = Number(argValue('warmup', '1'));
const variant = argValue('variant', 'e-code') as ModelVariant;
const shape = argValue('shape', 'small');
if (shape !== 'small' && shape !== 'cpu' && shape !== 'paper')
  throw new Error(`--shape must be small, cpu or paper, got ${shape}`);
const BATCH = shape === 'cpu' ? CPU_PRESET_BATCH : shape === 'paper' ? PAPER_BATCH : SMALL_BATCH;
const lengths = shape === 'paper' ? PAPER_LENGTHS : SMALL_LENGTHS;
// Micro-batch size: the batch of 4 can be split into gradient-accumulation micro-batches (same
// update for equal-length samples) when a whole batch does not fit the wasm heap.
const micro = Number(argValue('micro', String(BATCH)));
if (!Number.isInteger(micro) || micro < 1 || BATCH % micro !== 0)
  throw new Error(`--micro must divide the batch ${BATCH}, got ${micro}`);
const threadsArg = argValue('threads', '');
const info = await initBackend(backend, () => {}, threadsArg ? { wasmThreads: Number(threadsArg) } : {});
const spec =
  shape === 'cpu'
    ? cpuPresetSpec({ variant })
    : shape === 'paper'
      ? paperBenchSpec({ variant })
      : smallBenchSpec({ variant });
const model = createModel(spec);
const batch = smallBatch(spec, BATCH, 1, lengths);
let params = 0;
for (const v of model.variables.values()) params += v.size;
const shards = Number(argValue('shards', '1'));
const sequential = process.argv.includes('--sequential');
const replicas =
  shards > 1 && !sequential
    ? await GradientReplicas.start(spec, shards - 1, { backend: info.name === 'cpu' ? 'cpu' : 'wasm' })
    : undefined;

const metrics: TrainMetrics[] = [];
const stepMs: number[] = [];
const stepCpuMs: number[] = [];
let last = performance.now();
let lastCpu = process.cpuUsage();
const t0 = last;
await train(model, batch, [], {
  seed: 1,
  batchSize: micro,
  gradAccumulation: BATCH / micro,
  epochs: warmup + steps,
  lr: 1e-4,
  clipNorm: 1.0,
  progress: false,
  shards,
  replicas,
  onMetrics: async (m) => {
    const now = performance.now();
    stepMs.push(now - last);
    last = now;
    const cpu = process.cpuUsage(lastCpu);
    stepCpuMs.push((cpu.user + cpu.system) / 1000);
    lastCpu = process.cpuUsage();
    metrics.push(m);
  },
});
const total = performance.now() - t0;
const timed = stepMs.slice(warmup);
const tokensPerStep = metrics[0].tokens;
const ms = median(timed);

let profile: { kernel: string; ms: number; calls: number }[] | undefined;
if (process.argv.includes('--profile')) {
  // One forward+backward under tf.profile, kernels by total time.
  const vars = [...model.variables.values()];
  const p = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, true).loss, vars);
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
  });
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of p.kernels) {
    const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls += 1;
    byKernel.set(k.name, e);
  }
  profile = [...byKernel]
    .map(([kernel, e]) => ({ kernel, ms: Math.round(e.ms), calls: e.calls }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, Number(argValue('profile-top', '15')));
}

console.log(
  JSON.stringify(
    {
      bench: 'model/train-step',
      backend: info.name,
      threads: info.threads,
      kernels: info.native ? describeNative(info.native) : `${info.name} backend kernels`,
      shards,
      replicas: replicas?.count ?? 0,
      variant,
      shape: {
        name: shape,
        fields: lengths.fields,
        icTokens: lengths.ic,
        targetTokens: lengths.target,
        batch: BATCH,
        codeVocab: spec.codeVocabSize,
        textVocab: spec.textVocabSize,
        decoder: spec.decoder,
        expert: spec.expert,
        crossAttentionHeads: spec.crossAttentionHeads,
      },
      parameters: params,
      warmupSteps: warmup,
      steps,
      msPerStep: Math.round(ms),
      msPerStepAll: timed.map((x) => Math.round(x)),
      microBatch: micro,
      // CPU time of this process per step (user + system): less sensitive to a loaded machine.
      cpuMsPerStep: Math.round(median(stepCpuMs.slice(warmup))),
      loadAverage1m: (await import('node:os')).loadavg()[0],
      targetTokensPerStep: tokensPerStep,
      targetTokensPerSecond: Math.round((tokensPerStep * 1000) / ms),
      firstStepMs: Math.round(stepMs[0]),
      totalSeconds: +(total / 1000).toFixed(1),
      losses: metrics.map((m) => +m.loss.toFixed(4)),
      numTensorsAfter: tf.memory().numTensors,
      profile,
    },
    null,
    2,
  ),
);
model.dispose();
process.exit(0);
