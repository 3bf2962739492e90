/**
 * Decoding speed of the model's nextLogits at the issue-5 "small" shape: ms per new token with and
 * without the KV cache (greedy feed of fixed tokens, no sampling). Prints JSON.
 *
 *   npx tsx tools/bench/model-core/decode-step.ts [--backend wasm] [--tokens 64] [--rows 1]
 */
import { createModel, initBackend, smallSpec, type BackendName, type EncodedSample } from '@ecode/model';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const info = await initBackend(arg('backend', 'wasm') as BackendName, () => {});
const tokens = Number(arg('tokens', '64'));
const rows = Number(arg('rows', '1'));
const spec = smallSpec();
const model = createModel(spec);
const seq = (n: number, v: number) => Array.from({ length: n }, (_, i) => 3 + ((i * 37) % (v - 10)));
const samples: EncodedSample[] = Array.from({ length: rows }, (_, r) => ({
  id: `g${r}`,
  problemId: 'g',
  fields: [16, 192, 48, 48, 96].map((n) => seq(n, spec.textVocabSize)),
  statement: [],
  ic: seq(256, spec.codeVocabSize),
  ec: [],
}));

async function run(useCache: boolean): Promise<{ msPerToken: number; cpuMsPerToken: number }> {
  const st = model.startGeneration(samples, { repeats: 1, maxNewTokens: tokens, useCache });
  const t = performance.now();
  const c = process.cpuUsage();
  let next = Int32Array.from({ length: rows }, () => spec.special.start);
  for (let i = 0; i < tokens; i++) {
    const l = model.nextLogits(st, next);
    await l.data();
    l.dispose();
    next = Int32Array.from({ length: rows }, () => 5 + i);
  }
  const d = process.cpuUsage(c);
  st.dispose();
  return {
    msPerToken: +((performance.now() - t) / tokens).toFixed(1),
    cpuMsPerToken: +((d.user + d.system) / 1000 / tokens).toFixed(1),
  };
}
const cached = await run(true);
const full = await run(false);
console.log(
  JSON.stringify(
    {
      bench: 'model-core/decode-step',
      backend: info.name,
      rows,
      newTokens: tokens,
      cached,
      noCache: full,
      speedupCpu: +(full.cpuMsPerToken / cached.cpuMsPerToken).toFixed(1),
    },
    null,
    1,
  ),
);
model.dispose();
process.exit(0);
