/**
 * Sandbox benchmark (issue 4). Prints JSON:
 *  - judged tests/s for a trivial program in pool and strict modes (targets: pool >= 500/s,
 *    strict >= 50/s on 2 cores);
 *  - the coefficient of variation over 10 measurements of one program with the other core busy,
 *    for CPU time and for cachegrind instruction counts (target for instructions: CV < 0.5 %).
 * Run: npx tsx tools/bench/sandbox/bench.ts [--pool-tests N] [--strict-tests N] [--runs K] [--skip-instructions]
 * The machine is shared: the load average before and after is printed with the numbers.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { Sandbox, summarize } from '@ecode/sandbox';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const skipInstructions = process.argv.includes('--skip-instructions');
const poolTests = arg('pool-tests', 2000);
const strictTests = arg('strict-tests', 200);
const runs = arg('runs', 10);

const TRIVIAL = 'a, b = map(int, input().split())\nprint(a + b)\n';
const MEASURED =
  'n = int(input())\nd = {}\nfor i in range(n):\n    d[i % 1000] = d.get(i % 1000, 0) + i * i\nprint(sum(d.values()) % 1000003)\n';
const MEASURED_INPUT = '30000';

async function throughput(mode: 'pool' | 'strict', n: number) {
  const sb = new Sandbox({ mode, concurrency: 2, cpuSeconds: 2, memoryMb: 256, wallTimeoutSeconds: 5 });
  try {
    const tests = Array.from({ length: n }, (_, i) => ({ input: `${i} 1\n`, output: `${i + 1}` }));
    await sb.judge(TRIVIAL, tests.slice(0, 4)); // warm up (pool: starts the workers)
    const t0 = performance.now();
    const r = await sb.judge(TRIVIAL, tests);
    const s = (performance.now() - t0) / 1000;
    const cpu = summarize(r.results.map((x) => x.cpuUs));
    return {
      mode,
      tests: n,
      seconds: +s.toFixed(3),
      testsPerSecond: +(n / s).toFixed(1),
      allPass: r.allPass,
      medianTestCpuMs: +(cpu.median / 1000).toFixed(2),
    };
  } finally {
    await sb.close();
  }
}

async function withBusyCore<T>(fn: () => Promise<T>): Promise<T> {
  const busy = spawn('/usr/bin/yes', [], { stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    return await fn();
  } finally {
    busy.kill('SIGKILL');
  }
}

async function variation() {
  const sb = new Sandbox({ concurrency: 1, cpuSeconds: 10, memoryMb: 512, wallTimeoutSeconds: 20 });
  const test = { input: MEASURED_INPUT, output: '' };
  try {
    return await withBusyCore(async () => {
      const cpu: number[] = [];
      for (let i = 0; i < runs; i++) cpu.push((await sb.measureCpu(MEASURED, [test], 1)).samples[0]);
      const c = summarize(cpu);
      const out: Record<string, unknown> = {
        program: `dict accumulation, n=${MEASURED_INPUT}`,
        cpuTime: { runs, medianUs: c.median, minUs: c.min, maxUs: c.max, cv: +c.cv.toFixed(4) },
      };
      if (!skipInstructions) {
        const ir: number[] = [];
        const t0 = performance.now();
        for (let i = 0; i < runs; i++) {
          // a fresh Sandbox each time so no in-process memo can hide a difference (no disk cache is set)
          const s2 = new Sandbox({ concurrency: 1, cpuSeconds: 10, memoryMb: 512, wallTimeoutSeconds: 20 });
          ir.push((await s2.countInstructions(MEASURED, test)).net);
          await s2.close();
        }
        const s = summarize(ir);
        out.instructions = {
          runs,
          medianNet: s.median,
          min: s.min,
          max: s.max,
          cv: s.cv,
          distinctValues: new Set(ir).size,
          secondsPerCount: +((performance.now() - t0) / 1000 / (2 * runs)).toFixed(2),
        };
      }
      return out;
    });
  } finally {
    await sb.close();
  }
}

const result: Record<string, unknown> = { loadavgBefore: loadavg().map((x) => +x.toFixed(2)) };
result.pool = await throughput('pool', poolTests);
result.strict = await throughput('strict', strictTests);
result.variationOtherCoreBusy = await variation();
result.loadavgAfter = loadavg().map((x) => +x.toFixed(2));
console.log(JSON.stringify(result, null, 2));
