/**
 * Synthetic data benchmark: (1) how long generating + verifying N problems takes on this machine,
 * (2) per family, the median CPU-time ratio slow/fast on the large tests.
 *   npx tsx tools/bench/data/synth.ts [--problems 1000] [--seed 1] [--per-family 5] [--repeats 5]
 *                                     [--concurrency <cores>] [--out <file.json>]
 * Timing: each solution runs in a python3 worker (stdin/stdout on fd 0/1, as a real process),
 * CPU = time.process_time() around the run (a round of a short program repeats it until 50 ms of
 * CPU have passed and takes the mean); rounds interleave fast and slow solutions of a problem;
 * per solution the median of its rounds; ratio = median slow / median fast; per family
 * the median (and min) over all slow solutions of the sampled problems. Prints JSON.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { generateSynthetic, pythonExecutable, VerifierPool, type Problem } from '@ecode/data';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const problems = Number(arg('problems', '1000'));
const seed = arg('seed', '1');
const perFamily = Number(arg('per-family', '5'));
const repeats = Number(arg('repeats', '5'));
const concurrency = Number(arg('concurrency', String(availableParallelism())));
const outFile = arg('out', '');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x: number, d = 2) => Number(x.toFixed(d));

const load0 = loadavg()[0];
const t0 = performance.now();
let lastLog = 0;
const gen = await generateSynthetic({
  problems,
  seed,
  concurrency,
  onProgress: (p) => {
    if (performance.now() - lastLog > 30000) {
      lastLog = performance.now();
      process.stderr.write(`generate: ${p.done}/${p.total} after ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    }
  },
});
const genSeconds = (performance.now() - t0) / 1000;

// Sample the first `perFamily` problems of each family.
const byFamily = new Map<string, Problem[]>();
for (const p of gen.problems) {
  const list = byFamily.get(p.family!) ?? [];
  if (list.length < perFamily) list.push(p);
  byFamily.set(p.family!, list);
}

const pool = new VerifierPool(1);
const t1 = performance.now();
const families: Record<string, unknown> = {};
for (const [family, list] of [...byFamily.entries()].sort()) {
  const ratios: number[] = [];
  const wallRatios: number[] = [];
  const slowMs: number[] = [];
  const fastMs: number[] = [];
  const byVariant = new Map<string, number[]>();
  for (const p of list) {
    const large = p.tests.filter((t) => t.large);
    const cpu = p.solutions.map(() => [] as number[]);
    const wall = p.solutions.map(() => [] as number[]);
    for (let r = 0; r < repeats; r++) {
      for (let k = 0; k < p.solutions.length; k++) {
        // Short runs repeat until their CPU adds up to 50 ms: this VM's per-process CPU clock
        // under-reports runs of a few ms, while sums over many runs are right.
        const [res] = await pool.run({ code: p.solutions[k].code, tests: large, check: r === 0, minCpu: 0.05 });
        if (!res.ok) throw new Error(`${p.id} ${p.solutions[k].variant}: ${res.reason}`);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        cpu[k].push(sum(res.cpu) / res.cpu.length);
        wall[k].push(sum(res.wall) / res.wall.length);
      }
    }
    const fastIdx = p.solutions.findIndex((s) => s.role === 'fast');
    const fastCpu = Math.max(median(cpu[fastIdx]), 1e-5);
    const fastWall = Math.max(median(wall[fastIdx]), 1e-5);
    fastMs.push(fastCpu * 1000);
    p.solutions.forEach((s, k) => {
      if (s.role !== 'slow') return;
      const ratio = median(cpu[k]) / fastCpu;
      ratios.push(ratio);
      wallRatios.push(median(wall[k]) / fastWall);
      slowMs.push(median(cpu[k]) * 1000);
      const v = byVariant.get(s.variant ?? '?') ?? [];
      v.push(ratio);
      byVariant.set(s.variant ?? '?', v);
    });
  }
  families[family] = {
    problems: list.length,
    slowSolutions: ratios.length,
    medianCpuRatio: round(median(ratios), 1),
    minCpuRatio: round(Math.min(...ratios), 1),
    medianWallRatio: round(median(wallRatios), 1),
    medianSlowCpuMs: round(median(slowMs), 1),
    maxSlowCpuMs: round(Math.max(...slowMs), 1),
    medianFastCpuMs: round(median(fastMs), 2),
    byVariant: Object.fromEntries([...byVariant.entries()].map(([v, r]) => [v, round(median(r), 1)])),
  };
}
pool.close();

const result = {
  bench: 'data/synth',
  machine: {
    cores: availableParallelism(),
    loadAverageAtStart: round(load0),
    loadAverageAtEnd: round(loadavg()[0]),
    python: execFileSync(pythonExecutable(), ['--version']).toString().trim(),
  },
  generation: {
    problems: gen.problems.length,
    seed,
    concurrency,
    seconds: round(genSeconds, 1),
    msPerProblem: round((genSeconds * 1000) / Math.max(1, gen.problems.length), 1),
    attempted: gen.stats.attempted,
    droppedSolutions: gen.stats.droppedSolutions,
    droppedProblems: gen.stats.droppedProblems,
    solutions: {
      slow: gen.problems.reduce((a, p) => a + p.solutions.filter((s) => s.role === 'slow').length, 0),
      fast: gen.problems.length,
    },
  },
  timing: { perFamily, repeats, seconds: round((performance.now() - t1) / 1000, 1), families },
};
const json = JSON.stringify(result, null, 2);
if (outFile) writeFileSync(outFile, json + '\n');
console.log(json);
