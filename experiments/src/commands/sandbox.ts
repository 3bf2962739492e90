/** `ecode sandbox doctor` and `ecode sandbox run`: check the host, judge one program. */
import { readFileSync } from 'node:fs';
import { formatDoctorTable, parseTests, runDoctor, Sandbox, type SandboxOptions } from '@ecode/sandbox';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../cli.js';

export const sandboxDoctorCommand: Command = {
  name: 'sandbox doctor',
  summary: 'Check that this host can sandbox Python (bubblewrap, uid mapping, every limit, python, valgrind)',
  usage: [
    '[--python PATH]',
    '',
    'Runs small probe programs in the sandbox and prints a table; exit 1 when a check fails.',
  ].join('\n'),
  options: { python: { type: 'string' } },
  maxArgs: 0,
  async run(ctx) {
    const rows = await runDoctor({ pythonPath: ctx.values.python as string | undefined });
    ctx.stdout.write(formatDoctorTable(rows) + '\n');
    return rows.some((r) => r.status === 'FAIL' || (r.status === 'missing' && !r.check.startsWith('valgrind')))
      ? EXIT_FAILED
      : EXIT_OK;
  },
};

const num = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got '${String(v)}'`);
  return n;
};

export const sandboxRunCommand: Command = {
  name: 'sandbox run',
  summary: 'Judge one Python program on tests in the sandbox (verdicts, pass rate, CPU time or instructions)',
  usage: [
    '<file.py> --tests <tests.json> [options]',
    '',
    'tests.json: a list of {input, output, kind?, fnName?} or an APPS dictionary {inputs, outputs, fn_name?}.',
    'Exit 0 when every test passes, 1 otherwise.',
    '',
    'Options:',
    '  --mode pool|strict      one long-lived sandbox per slot, or a fresh one per test (default pool)',
    '  --concurrency N         slots (default 2)',
    '  --cpu-seconds S         CPU limit per test (default 10)',
    '  --memory-mb M           address-space limit (default 1024)',
    '  --wall-timeout S        wall-clock limit per test (default 10)',
    '  --measure cpu-time|instructions  also measure the cost (CPU over --repeats, or cachegrind)',
    '  --repeats K             repeats for cpu-time (default 5)',
    '  --json                  print the result as JSON',
  ].join('\n'),
  options: {
    tests: { type: 'string' },
    mode: { type: 'string' },
    concurrency: { type: 'string' },
    'cpu-seconds': { type: 'string' },
    'memory-mb': { type: 'string' },
    'wall-timeout': { type: 'string' },
    measure: { type: 'string' },
    repeats: { type: 'string' },
    json: { type: 'boolean' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const file = ctx.positionals[0];
    const testsPath = ctx.values.tests as string | undefined;
    if (!testsPath) throw new UsageError('--tests <tests.json> is required');
    const mode = (ctx.values.mode as string | undefined) ?? 'pool';
    if (mode !== 'pool' && mode !== 'strict') throw new UsageError(`--mode must be pool or strict, got '${mode}'`);
    const measure = ctx.values.measure as string | undefined;
    if (measure && measure !== 'cpu-time' && measure !== 'instructions')
      throw new UsageError(`--measure must be cpu-time or instructions, got '${measure}'`);
    const code = readFileSync(file, 'utf8');
    const tests = parseTests(JSON.parse(readFileSync(testsPath, 'utf8')), testsPath);
    const opts: Partial<SandboxOptions> = { mode };
    const set = <K extends keyof SandboxOptions>(k: K, v: SandboxOptions[K] | undefined) => {
      if (v !== undefined) opts[k] = v;
    };
    set('concurrency', num(ctx.values.concurrency, 'concurrency'));
    set('cpuSeconds', num(ctx.values['cpu-seconds'], 'cpu-seconds'));
    set('memoryMb', num(ctx.values['memory-mb'], 'memory-mb'));
    set('wallTimeoutSeconds', num(ctx.values['wall-timeout'], 'wall-timeout'));
    const sb = new Sandbox(opts);
    try {
      const json = ctx.values.json === true;
      const result = await sb.judge(code, tests, (r) => {
        if (!json)
          ctx.stdout.write(
            `test ${r.index}: ${r.verdict}${r.detail ? ` (${r.detail})` : ''}  cpu ${(r.cpuUs / 1000).toFixed(1)} ms  rss ${r.maxRssKb} KiB\n`,
          );
      });
      const cost = measure
        ? await sb.measureCost(code, tests, {
            costMeasure: measure as 'cpu-time' | 'instructions',
            repeats: num(ctx.values.repeats, 'repeats') ?? 5,
          })
        : undefined;
      if (json) {
        ctx.stdout.write(JSON.stringify({ ...result, ...(cost ? { cost } : {}) }, null, 2) + '\n');
      } else {
        ctx.stdout.write(
          `pass rate ${result.passRate.toFixed(3)}  all-pass ${result.allPass}  compiled ${result.compiled}\n`,
        );
        if (cost)
          ctx.stdout.write(
            `cost (${cost.measure}): ${cost.value}${cost.measure === 'cpu-time' ? ' µs (median)' : ' instructions (net)'}\n`,
          );
      }
      return result.allPass ? EXIT_OK : EXIT_FAILED;
    } finally {
      await sb.close();
    }
  },
};
