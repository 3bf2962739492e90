/**
 * Device-independent GPU benchmark: compute dispatches (calls of `dispatchWorkgroups`, counted by
 * wrapping the compute pass encoder; Reshape and other kernels that run no shader do not count) and
 * host milliseconds per training step and per generated token, at the "small" benchmark shape's
 * layer structure (five 2-layer 2-head experts, a 2-layer integration BERT, three 4-layer 4-head
 * code stacks with global + local attention, 16 cross-attention heads, batch 4, AdamW + clip 1.0)
 * with tiny widths and lengths, so that the SwiftShader software GPU runs it in a minute or two.
 * Dispatch counts are deterministic; host ms depend on the machine and its load.
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=/tmp \
 *   LD_LIBRARY_PATH=/usr/lib/chromium npx tsx tools/bench/gpu/dispatches.ts \
 *     [--steps 2] [--warmup 1] [--new-tokens 3] [--gen-batch 1] [--variant e-code]
 */
import * as tf from '@tensorflow/tfjs';
import { createModel, generate, initBackend, train, type ModelVariant, type TrainMetrics } from '@ecode/model';
import { argValue, median, smallBatch, smallBenchSpec } from '../model/small-shape.js';

const steps = Number(argValue('steps', '2'));
const warmup = Number(argValue('warmup', '1'));
const newTokens = Number(argValue('new-tokens', '3'));
const genBatch = Number(argValue('gen-batch', '1'));
const variant = argValue('variant', 'e-code') as ModelVariant;
for (const [name, v, min] of [
  ['steps', steps, 1],
  ['warmup', warmup, 0],
  ['new-tokens', newTokens, 1],
  ['gen-batch', genBatch, 1],
] as const)
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer >= ${min}, got ${v}`);

const info = await initBackend('webgpu', (l) => console.error(l));
if (info.name !== 'webgpu') throw new Error(`dispatches: needs the webgpu backend, got ${info.name}`);

// Count every dispatch: wrap the compute pass encoder's dispatch calls (tfjs-backend-webgpu encodes
// one dispatch per shader-running kernel; kernels that only re-view data encode none).
const counts = { dispatches: 0, passes: 0, submits: 0 };
const g = globalThis as unknown as Record<string, { prototype: Record<string, (...a: unknown[]) => unknown> }>;
const wrap = (cls: string, method: string, key: keyof typeof counts) => {
  const proto = g[cls]?.prototype;
  const original = proto?.[method];
  if (typeof original !== 'function') throw new Error(`dispatches: ${cls}.${method} not found`);
  proto[method] = function (this: unknown, ...args: unknown[]) {
    counts[key] += 1;
    return original.apply(this, args);
  };
};
wrap('GPUComputePassEncoder', 'dispatchWorkgroups', 'dispatches');
wrap('GPUComputePassEncoder', 'dispatchWorkgroupsIndirect', 'dispatches');
wrap('GPUCommandEncoder', 'beginComputePass', 'passes');
wrap('GPUQueue', 'submit', 'submits');
// Which shader programs dispatch: tfjs-backend-webgpu runs every shader through runWebGPUProgram;
// the dispatches each call encodes are charged to its program class (MatMulPackedProgram, ...).
const byProgram = new Map<string, number>();
const backend = tf.backend() as unknown as { runWebGPUProgram: (program: object, ...rest: unknown[]) => unknown };
const runProgram = backend.runWebGPUProgram.bind(backend);
backend.runWebGPUProgram = (program: object, ...rest: unknown[]) => {
  const before = counts.dispatches;
  const result = runProgram(program, ...rest);
  const name = program.constructor.name;
  byProgram.set(name, (byProgram.get(name) ?? 0) + counts.dispatches - before);
  return result;
};
const snapshot = () => ({ ...counts });
const diff = (a: typeof counts, b: typeof counts) => ({
  dispatches: b.dispatches - a.dispatches,
  passes: b.passes - a.passes,
  submits: b.submits - a.submits,
});

// The small shape's structure, tiny widths: hidden 32 (experts, integration) and 64 (code stacks,
// 16 cross-attention heads of 4), vocabularies of 256, fields 4/12/6/6/8, slow code and target 16
// tokens, window 8 (below the sequence length, as the small shape's 128 is below 256).
const FIELDS = [4, 12, 6, 6, 8];
const small = smallBenchSpec({ variant });
const spec = smallBenchSpec({
  variant,
  textVocabSize: 256,
  codeVocabSize: 256,
  special: { pad: 0, start: 102, eos: 255 },
  expert: { ...small.expert, hiddenSize: 32, intermediateSize: 64, maxPositions: 32 },
  fieldMaxTokens: FIELDS,
  integration: { ...small.integration, hiddenSize: 32, intermediateSize: 64, maxPositions: 64 },
  decoder: { ...small.decoder, hiddenSize: 64, intermediateSize: 128, maxPositions: 96, windowSize: 8 },
  maxIcTokens: 16,
  maxStatementCodeTokens: 16,
});
const model = createModel(spec);
const batch = smallBatch(spec, 4).map((s) => ({
  ...s,
  fields: s.fields.map((f, i) => [...f.slice(0, FIELDS[i] - 1), 102]),
  statement: s.statement.slice(0, 36),
  statementCode: s.statementCode!.slice(0, 16),
  ic: s.ic.slice(0, 16),
  ec: s.ec.slice(0, 15),
}));
let parameters = 0;
for (const v of model.variables.values()) parameters += v.size;

let beforeLastStep = new Map<string, number>();
let lastStepPrograms: [string, number][] = [];
const diffPrograms = (a: Map<string, number>, b: Map<string, number>): [string, number][] =>
  [...b]
    .map(([name, n]): [string, number] => [name, n - (a.get(name) ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1]);
const perStep: { dispatches: number; passes: number; submits: number; hostMs: number }[] = [];
const losses: number[] = [];
let mark = snapshot();
let t = performance.now();
await train(model, batch, [], {
  seed: 1,
  batchSize: 4,
  epochs: warmup + steps,
  lr: 1e-4,
  clipNorm: 1.0,
  progress: false,
  onMetrics: async (m: TrainMetrics) => {
    // perStep.length steps are done before this one: keep the program counts around the last step.
    if (perStep.length === warmup + steps - 1) lastStepPrograms = diffPrograms(beforeLastStep, byProgram);
    else beforeLastStep = new Map(byProgram);
    const now = snapshot();
    perStep.push({ ...diff(mark, now), hostMs: performance.now() - t });
    losses.push(+m.loss.toFixed(4));
    mark = snapshot();
    t = performance.now();
  },
});
const timed = perStep.slice(warmup);

// Generation: greedy with the KV cache. One token first (encoding the inputs + the first token,
// shaders compiled), then --new-tokens: the difference gives the dispatches of one decode step.
const prompts = batch.slice(0, 1).map((s) => ({ ...s, ec: [] }));
const genSamples = Array.from({ length: genBatch }, (_, i) => ({ ...prompts[0], id: `gen/${i}` }));
const genOptions = { greedy: true, stopToken: null, useCache: true, batchSize: genBatch };
const g1 = snapshot();
await generate(model, genSamples, { ...genOptions, maxNewTokens: 1 });
const first = diff(g1, snapshot());
const g0 = snapshot();
const gt = performance.now();
const out = await generate(model, genSamples, { ...genOptions, maxNewTokens: newTokens });
const genMs = performance.now() - gt;
const gen = diff(g0, snapshot());
const tokens = out.reduce((n, r) => n + r.samples[0].length, 0);

const same = timed.every((s) => s.dispatches === timed[0].dispatches);
console.log(
  JSON.stringify(
    {
      bench: 'gpu/dispatches',
      backend: info.name,
      adapter: info.adapter,
      variant,
      shape: {
        structure:
          'small (5 experts x 2 layers x 2 heads, integration 2 x 2, 3 code stacks x 4 layers x 4 heads, 16 cross heads)',
        batch: 4,
        fields: FIELDS,
        icTokens: 16,
        targetTokens: 16,
        expert: spec.expert,
        decoder: spec.decoder,
        vocab: spec.codeVocabSize,
      },
      parameters,
      training: {
        warmupSteps: warmup,
        steps,
        dispatchesPerStep: timed[0].dispatches,
        dispatchesEqualEveryStep: same,
        computePassesPerStep: timed[0].passes,
        submitsPerStep: timed[0].submits,
        // The last step's dispatches by tfjs-backend-webgpu shader program, most first.
        dispatchesByProgram: Object.fromEntries(lastStepPrograms),
        hostMsPerStep: Math.round(median(timed.map((s) => s.hostMs))),
        perStep: perStep.map((s) => ({ ...s, hostMs: Math.round(s.hostMs) })),
        losses,
      },
      generation: {
        batch: genBatch,
        newTokens,
        tokens,
        // Encoding the inputs and the first token; then each further token (one decode step).
        dispatchesFirstToken: first.dispatches,
        dispatchesPerDecodeStep: newTokens > 1 ? (gen.dispatches - first.dispatches) / (newTokens - 1) : null,
        dispatchesPerToken: +(gen.dispatches / newTokens).toFixed(1),
        hostMsPerToken: +(genMs / newTokens).toFixed(1),
      },
      numTensorsAfter: tf.memory().numTensors,
    },
    null,
    2,
  ),
);
model.dispose();
process.exit(0);
