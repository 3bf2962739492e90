/**
 * Generation speed at the issue-5 "small" shape: new tokens per second for `--new-tokens` (256)
 * greedy tokens with the KV cache and without it (the decoders re-run over the whole prefix at
 * every step, as the E-code original does). Prints JSON with both rates and their ratio.
 *
 *   npx tsx tools/bench/model/generate.ts [--backend wasm] [--new-tokens 256] [--inputs 1]
 *                                         [--variant e-code] [--skip-nocache]
 */
import * as tf from '@tensorflow/tfjs';
import { createModel, generate, initBackend, type BackendName, type ModelVariant } from '@ecode/model';
import { argValue, smallBatch, smallBenchSpec } from './small-shape.js';

const backend = argValue('backend', 'wasm') as BackendName;
const newTokens = Number(argValue('new-tokens', '256'));
const inputs = Number(argValue('inputs', '1'));
const variant = argValue('variant', 'e-code') as ModelVariant;
const info = await initBackend(backend, () => {});
const spec = smallBenchSpec({
  variant,
  decoder: { ...smallBenchSpec().decoder, maxPositions: Math.max(1024, newTokens + 8) },
});
const model = createModel(spec);
const samples = smallBatch(spec, inputs, 2).map((s) => ({ ...s, ec: [] }));

async function run(useCache: boolean) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await generate(model, samples, {
    greedy: true,
    maxNewTokens: newTokens,
    stopToken: null,
    useCache,
    batchSize: inputs,
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const tokens = out.reduce((n, g) => n + g.samples[0].length, 0);
  return {
    useCache,
    tokens,
    seconds: +seconds.toFixed(2),
    tokensPerSecond: +(tokens / seconds).toFixed(2),
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    ids: out.map((g) => g.samples[0]),
  };
}

// Warm-up (kernel set-up) on a few tokens.
await generate(model, samples, { greedy: true, maxNewTokens: 4, stopToken: null, batchSize: inputs });
const cached = await run(true);
const plain = process.argv.includes('--skip-nocache') ? null : await run(false);
const same = plain ? JSON.stringify(plain.ids) === JSON.stringify(cached.ids) : null;
const strip = (r: typeof cached | null) => (r ? { ...r, ids: undefined } : null);
console.log(
  JSON.stringify(
    {
      bench: 'model/generate',
      backend: info.name,
      variant,
      inputs,
      newTokens,
      withCache: strip(cached),
      withoutCache: strip(plain),
      speedup: plain ? +(cached.tokensPerSecond / plain.tokensPerSecond).toFixed(1) : null,
      cpuSpeedup: plain ? +(plain.cpuSeconds / cached.cpuSeconds).toFixed(1) : null,
      sameTokens: same,
      loadAverage1m: (await import('node:os')).loadavg()[0],
      numTensorsAfter: tf.memory().numTensors,
    },
    null,
    2,
  ),
);
model.dispose();
process.exit(0);
