/**
 * ecode's training step beside PyTorch's on this CPU, in one run: the issue-5 small shape
 * (train-step.ts) and the same model in PyTorch (tools/gpu/torch_small.py on the CPU), at each
 * thread count, in interleaved rounds (the machine's speed drifts; compare within a run). Prints
 * one JSON object: per thread count the median ms/step of each, and `ratio` = PyTorch ms / ecode
 * ms (>= 1: ecode at least as fast). At 2 threads ecode is measured both ways of using the second
 * core: 2 OpenBLAS/XNNPACK threads in one instance (`threads`) and 2 data-parallel shards (`shards`).
 *
 *   npx tsx tools/bench/model/vs-torch.ts [--rounds 3] [--steps 3] [--warmup 1] [--threads 1,2]
 *                                         [--python /usr/bin/python3] [--portable] [--shape-cpu]
 * --portable adds ecode with ECODE_NATIVE=0 (XNNPACK + JS kernels, the path before the addon);
 * --shape-cpu adds ecode at the learning preset's shape (configs/presets/cpu.yaml, no PyTorch
 * model of it). Needs python3-torch (Debian) for the PyTorch side; without it, `torch` is null
 * and the reason is given. Pin with taskset for quieter figures; run under
 * `flock /tmp/ecode-cpu.lock` on a shared machine.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, median } from './small-shape.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const rounds = Number(argValue('rounds', '3'));
const steps = argValue('steps', '3');
const warmup = argValue('warmup', '1');
const threadCounts = argValue('threads', '1,2')
  .split(',')
  .map((t) => Number(t));
const python = argValue('python', '/usr/bin/python3');
const portable = process.argv.includes('--portable');
const shapeCpu = process.argv.includes('--shape-cpu');
for (const t of threadCounts)
  if (!Number.isInteger(t) || t < 1 || t > 8) throw new Error(`--threads: expected integers 1-8, got ${t}`);

/** Runs a command that prints one JSON object (the last `{...}` block of its stdout). */
function runJson(cmd: string, args: string[], env: Record<string, string>): Record<string, unknown> {
  const out = execFileSync(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 1_800_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const start = out.indexOf('{');
  if (start < 0) throw new Error(`${cmd} ${args.join(' ')} printed no JSON: ${out.slice(0, 500)}`);
  return JSON.parse(out.slice(start));
}

function torchReason(): string | null {
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 });
    return null;
  } catch {
    return `${python} cannot import torch (Debian: apt-get install python3-torch libopenblas0-pthread)`;
  }
}

const threadEnv = (t: number) => ({
  OMP_NUM_THREADS: String(t),
  OPENBLAS_NUM_THREADS: String(t),
  MKL_NUM_THREADS: String(t),
});
const trainStep = join(here, 'train-step.ts');
function ecode(extra: string[], env: Record<string, string> = {}): Record<string, unknown> {
  return runJson(process.execPath, ['--import', 'tsx', trainStep, '--steps', steps, '--warmup', warmup, ...extra], env);
}
function torch(t: number): Record<string, unknown> {
  const script = join(root, 'tools', 'gpu', 'torch_small.py');
  return runJson(
    python,
    [script, '--device', 'cpu', '--threads', String(t), '--steps', steps, '--warmup', warmup],
    threadEnv(t),
  );
}

interface Sample {
  ms: number;
  load: number;
  kernels?: string;
  losses?: unknown;
}
const samples = new Map<string, Sample[]>();
const add = (key: string, r: Record<string, unknown>, load: number) => {
  const list = samples.get(key) ?? [];
  list.push({ ms: Number(r.msPerStep), load, kernels: r.kernels as string | undefined, losses: r.losses });
  samples.set(key, list);
};

const noTorch = torchReason();
const started = Date.now();
for (let round = 0; round < rounds; round++) {
  for (const t of threadCounts) {
    let load = loadavg()[0];
    add(`ecode.threads${t}`, ecode(['--threads', String(t)], { ECODE_WASM_THREADS: String(t) }), load);
    if (t === 2) {
      load = loadavg()[0];
      add('ecode.shards2', ecode(['--threads', '1', '--shards', '2']), load);
    }
    if (!noTorch) {
      load = loadavg()[0];
      add(`torch.threads${t}`, torch(t), load);
    }
    if (portable && t === 1) {
      load = loadavg()[0];
      add('ecodePortable.threads1', ecode(['--threads', '1'], { ECODE_NATIVE: '0' }), load);
    }
    if (shapeCpu && t === 1) {
      load = loadavg()[0];
      add('ecodeCpuShape.threads1', ecode(['--threads', '1', '--shape', 'cpu']), load);
      if (portable)
        add(
          'ecodeCpuShapePortable.threads1',
          ecode(['--threads', '1', '--shape', 'cpu'], { ECODE_NATIVE: '0' }),
          loadavg()[0],
        );
    }
    if (shapeCpu && t === 2) {
      load = loadavg()[0];
      add('ecodeCpuShape.shards2', ecode(['--threads', '1', '--shards', '2', '--shape', 'cpu']), load);
    }
  }
}

const summary = (key: string) => {
  const s = samples.get(key);
  if (!s) return null;
  return {
    msPerStep: Math.round(median(s.map((x) => x.ms))),
    rounds: s.map((x) => Math.round(x.ms)),
    loadAverage1m: s.map((x) => +x.load.toFixed(2)),
    kernels: s[0].kernels,
  };
};
const TOKENS = 1024; // batch 4 x 256 target tokens
const results = threadCounts.map((t) => {
  const e = summary(`ecode.threads${t}`)!;
  const sh = t === 2 ? summary('ecode.shards2') : null;
  const tr = summary(`torch.threads${t}`);
  const ratio = (x: { msPerStep: number } | null) => (x && tr ? +(tr.msPerStep / x.msPerStep).toFixed(2) : null);
  return {
    threads: t,
    ecode: { ...e, targetTokensPerSecond: Math.round((TOKENS * 1000) / e.msPerStep), ratio: ratio(e) },
    ...(sh
      ? { ecodeShards: { ...sh, targetTokensPerSecond: Math.round((TOKENS * 1000) / sh.msPerStep), ratio: ratio(sh) } }
      : {}),
    torch: tr ? { ...tr, targetTokensPerSecond: Math.round((TOKENS * 1000) / tr.msPerStep) } : null,
  };
});
const cpuShape = (key: string, batchTokens: number) => {
  const s = summary(key);
  return s ? { ...s, targetTokensPerSecond: Math.round((batchTokens * 1000) / s.msPerStep) } : undefined;
};
console.log(
  JSON.stringify(
    {
      bench: 'model/vs-torch',
      shape: 'small (25.6M parameters, batch 4 x 256 target tokens)',
      rounds,
      stepsPerRun: Number(steps),
      warmupPerRun: Number(warmup),
      torch: noTorch ? null : python,
      torchMissing: noTorch ?? undefined,
      results,
      portable: portable ? cpuShape('ecodePortable.threads1', TOKENS) : undefined,
      learningPreset: shapeCpu
        ? {
            shape: 'configs/presets/cpu.yaml (2.8M parameters, batch 8 x 256 target tokens)',
            threads1: cpuShape('ecodeCpuShape.threads1', 2048),
            shards2: cpuShape('ecodeCpuShape.shards2', 2048),
            portableThreads1: portable ? cpuShape('ecodeCpuShapePortable.threads1', 2048) : undefined,
          }
        : undefined,
      totalSeconds: Math.round((Date.now() - started) / 1000),
    },
    null,
    2,
  ),
);
