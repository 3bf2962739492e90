/** `ecode worker --queue URL`: executes queued sweep runs (see ../queue/run-worker.ts). */
import { EXIT_OK, type Command } from '../cli.js';
import {
  CONNECT_TIMEOUT_HELP,
  GRACE_HELP,
  QUEUE_URL_HELP,
  connectTimeoutMs,
  graceSeconds,
  numberOption,
  queueAddress,
} from './queue-options.js';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Take runs of queued sweeps (ecode sweep --queue) from Redis and execute them',
  usage: [
    '--queue redis://HOST:PORT[/db] [--concurrency N] [--runs-dir DIR] [--name NAME]',
    '',
    'Each run executes as `ecode run` does, in a child process, writing runs/<hash>/ and logging to',
    "the run config's MLflow store (MLFLOW_TRACKING_URI overrides it). Start one worker per machine",
    '(or per GPU); every worker must reach the same run folder (e.g. NFS) and MLflow store (a',
    'tracking server, or a shared file store) for a run retried elsewhere to resume from its last',
    'checkpoint and for the sweep report.',
    '',
    'A worker that dies (kill -9, machine lost) is noticed by the others once its lock expires',
    "(--lock-seconds, plus up to --stall-check-seconds); its run is retried, within the sweep's",
    'queue.attempts. Ctrl-C: finish the current runs, then leave; Ctrl-C again or SIGTERM: stop them',
    'at their next micro-batch with a checkpoint (killed once --grace-seconds is over) and put them',
    'back in the queue. An idle worker leaves at once, also while Redis is unreachable.',
    '',
    'Options:',
    QUEUE_URL_HELP,
    '  --concurrency N          runs at a time, each in its own process (default 1)',
    '  --runs-dir <dir>         where run folders go (default runs/; shared storage for several machines)',
    '  --name <name>            worker name shown by `ecode queue status` (default <hostname>-<pid>)',
    '  --lock-seconds <s>       a run lock lasts this long unrenewed (renewed every half; default 30)',
    '  --stall-check-seconds <s> how often to look for runs of lost workers (default 15)',
    CONNECT_TIMEOUT_HELP,
    GRACE_HELP,
  ].join('\n'),
  options: {
    queue: { type: 'string' },
    concurrency: { type: 'string' },
    'runs-dir': { type: 'string' },
    name: { type: 'string' },
    'lock-seconds': { type: 'string' },
    'stall-check-seconds': { type: 'string' },
    'connect-timeout': { type: 'string' },
    'grace-seconds': { type: 'string' },
  },
  maxArgs: 0,
  async run(ctx) {
    const address = queueAddress(ctx)!;
    const concurrency = numberOption(ctx, 'concurrency', { integer: true, min: 1, max: 64 });
    const lock = numberOption(ctx, 'lock-seconds', { min: 0.5, max: 3600 });
    const stall = numberOption(ctx, 'stall-check-seconds', { min: 0.1, max: 3600 });
    const timeout = connectTimeoutMs(ctx);
    const grace = graceSeconds(ctx);
    const { runWorker } = await import('../queue/run-worker.js');
    const code = await runWorker({
      address,
      concurrency,
      runsDir: ctx.values['runs-dir'] as string | undefined,
      name: ctx.values.name as string | undefined,
      lockMs: lock === undefined ? undefined : Math.round(lock * 1000),
      stalledCheckMs: stall === undefined ? undefined : Math.round(stall * 1000),
      connectTimeoutMs: timeout,
      graceMs: grace * 1000,
      log: (l) => ctx.stderr.write(l + '\n'),
    });
    // Connections BullMQ keeps retrying (Redis away) must not keep the process alive once stopped.
    setTimeout(() => process.exit(code), 500).unref();
    return code === 0 ? EXIT_OK : code;
  },
};
