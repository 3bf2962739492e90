/** `ecode sweep <file>`: expands a sweep (base x variants x seeds); --dry-run lists the runs. */
import * as nodePath from 'node:path';
import { inspectSweepFile, formatProblems } from '@ecode/config';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../cli.js';
import { configAndOverrides, gridArgs, OVERRIDES_HELP } from './config-args.js';
import {
  CONNECT_TIMEOUT_HELP,
  GRACE_HELP,
  QUEUE_URL_HELP,
  connectTimeoutMs,
  graceSeconds,
  numberOption,
  queueAddress,
} from './queue-options.js';

const shown = (abs: string) => {
  const rel = nodePath.relative(process.cwd(), abs);
  return rel.startsWith('..') ? abs : rel;
};

export const sweepCommand: Command = {
  name: 'sweep',
  summary:
    'Run a sweep of variants x grid points x seeds, here or through a Redis queue (--dry-run: list the runs and their hashes)',
  usage: [
    "<file> [key=value ...] [--grid 'key=v1,v2' ...] [--dry-run] [--json] [--jobs N] [--runs-dir DIR] [--grace-seconds S]",
    '<file> --queue redis://HOST:PORT[/db] [--detach] [--attempts N] [--backoff-seconds S]',
    '',
    'Every run is a fully resolved config; its canonical hash is its identity (a rerun skips or',
    'resumes runs by hash). A sweep file may hold a grid and a random search over any key:',
    '  grid:   { training.optimizer.lr: [1e-3, 5e-4], model.crossAttentionHeads: [4, 8] }',
    '  sample: { points: 8, seed: 0, parameters: { training.optimizer.lr: { logUniform: [1e-4, 1e-2] } } }',
    '         (distributions: choice: [..], uniform: [lo, hi], logUniform: [lo, hi], intUniform: [lo, hi])',
    'crossed with the variants and seeds; runs are named <variant>-<point>-s<seed>.',
    '',
    'With --queue the runs go to a Redis queue, one job per run with its config hash as the job id',
    '(queueing again adds nothing: runs FINISHED in MLflow and runs already queued are left alone),',
    'and `ecode worker --queue` processes, on any machine, execute them. The command then follows',
    'the runs until each is FINISHED or FAILED and writes the report (run folders: --runs-dir,',
    'shared with the workers). Tries and backoff come from the sweep file (queue: attempts,',
    'backoff) unless given here.',
    '',
    'Without --queue each run is its own process group: Ctrl-C (or SIGTERM) stops every run once, at',
    'its next micro-batch with a checkpoint, and marks it KILLED (resumable); Ctrl-C again stops them',
    'at once (their last checkpoint stands).',
    '',
    'Options:',
    "  --grid 'key=v1,v2'       one more grid key (repeatable; replaces the file's grid values of that key)",
    '  --dry-run                list the expanded runs, run nothing',
    '  --jobs N                 runs at a time, each in its own process (default 1)',
    '  --runs-dir <dir>         where run folders are (default runs/)',
    GRACE_HELP,
    '  --json                   with --dry-run: JSON { name, file, base, variants, seeds, runs: [{ name, variant, seed, hash, config }], queue }',
    QUEUE_URL_HELP,
    '  --detach                 with --queue: enqueue and return',
    "  --attempts N             with --queue: tries per run (default: the sweep file's queue.attempts, else 3)",
    '  --backoff-seconds <s>    with --queue: wait before retrying a failed run (default: queue.backoff.delaySeconds, else 30)',
    CONNECT_TIMEOUT_HELP,
    '',
    OVERRIDES_HELP.replace(
      'after extends, the variant and a sweep file',
      "over every run, after the sweep's overrides",
    ),
    '',
    "Example: ecode sweep configs/sweeps/smoke.yaml --grid 'training.optimizer.lr=1e-3,5e-4' training.maxSteps=10 --dry-run",
  ].join('\n'),
  options: {
    'dry-run': { type: 'boolean' },
    grid: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    jobs: { type: 'string' },
    'runs-dir': { type: 'string' },
    queue: { type: 'string' },
    detach: { type: 'boolean' },
    attempts: { type: 'string' },
    'backoff-seconds': { type: 'string' },
    'connect-timeout': { type: 'string' },
    'grace-seconds': { type: 'string' },
  },
  minArgs: 1,
  async run(ctx) {
    const { file, overrides } = configAndOverrides(ctx);
    const grid = gridArgs(ctx);
    const { problems, sweep } = inspectSweepFile(file, {}, { overrides, grid });
    if (!sweep) {
      ctx.stderr.write(formatProblems(problems) + '\n');
      return EXIT_FAILED;
    }
    const address = queueAddress(ctx, false);
    const runsDir = ctx.values['runs-dir'] as string | undefined;
    if (!address) {
      for (const flag of ['detach', 'attempts', 'backoff-seconds', 'connect-timeout'])
        if (ctx.values[flag] !== undefined) throw new UsageError(`--${flag} needs --queue`);
    }
    if (address && !ctx.values['dry-run']) {
      if (ctx.values.jobs !== undefined)
        throw new UsageError('--jobs: with --queue, each worker sets its --concurrency');
      if (ctx.values['grace-seconds'] !== undefined)
        throw new UsageError('--grace-seconds: with --queue, each worker sets its --grace-seconds');
      const attempts = numberOption(ctx, 'attempts', { integer: true, min: 1, max: 100 });
      const backoff = numberOption(ctx, 'backoff-seconds', { min: 0 });
      const timeoutMs = connectTimeoutMs(ctx);
      const { runQueuedSweep } = await import('../queue/queued-sweep.js');
      return runQueuedSweep(sweep, ctx, {
        address,
        detach: Boolean(ctx.values.detach),
        runsDir,
        connectTimeoutMs: timeoutMs,
        policy: {
          attempts: attempts ?? sweep.queue.attempts,
          backoff: { ...sweep.queue.backoff, delaySeconds: backoff ?? sweep.queue.backoff.delaySeconds },
        },
      });
    }
    if (!ctx.values['dry-run']) {
      // Loaded only when running: a dry run stays a quick config check.
      const { runSweep } = await import('../sweep-runner.js');
      return runSweep(sweep, ctx, { runsDir, graceSeconds: graceSeconds(ctx) });
    }
    if (ctx.values.json) {
      const out = { ...sweep, file: shown(sweep.file), base: shown(sweep.base) };
      ctx.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return EXIT_OK;
    }
    const points = sweep.runs.length / (sweep.variants.length * sweep.seeds.length);
    const nameW = Math.max(3, ...sweep.runs.map((r) => r.name.length));
    const varW = Math.max(7, ...sweep.variants.map((v) => v.length));
    const lines = [
      `sweep ${sweep.name}: ${sweep.runs.length} runs = ${sweep.variants.length} variants x ${points} points x ${sweep.seeds.length} seeds (base ${shown(sweep.base)})`.replace(
        ' x 1 points',
        '',
      ),
      ...(sweep.gridKeys.length ? [`grid/sample keys: ${sweep.gridKeys.join(', ')}`] : []),
      ...(sweep.overrides.length ? [`overrides: ${sweep.overrides.join(' ')}`] : []),
      `${'RUN'.padEnd(nameW)}  ${'VARIANT'.padEnd(varW)}  ${'SEED'.padStart(6)}  HASH`,
      ...sweep.runs.map(
        (r) => `${r.name.padEnd(nameW)}  ${r.variant.padEnd(varW)}  ${String(r.seed).padStart(6)}  ${r.hash}`,
      ),
    ];
    ctx.stdout.write(lines.join('\n') + '\n');
    return EXIT_OK;
  },
};
