/** `ecode queue status --queue URL`: the runs in the queue and the workers on it. */
import { EXIT_OK, type Command } from '../cli.js';
import { CONNECT_TIMEOUT_HELP, QUEUE_URL_HELP, connectTimeoutMs, queueAddress } from './queue-options.js';

function ago(ms: number | undefined, now: number): string {
  if (ms === undefined) return '';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

export const queueStatusCommand: Command = {
  name: 'queue status',
  summary: 'Runs of queued sweeps: waiting, active (on which worker), finished, failed',
  usage: [
    '--queue redis://HOST:PORT[/db] [--json]',
    '',
    "TRIES-USED: tries that failed or lost their worker, of the sweep's queue.attempts (a run that a",
    'stopped worker put back does not use one).',
    '',
    'Options:',
    QUEUE_URL_HELP,
    '  --json                   JSON { queue, url, workers, counts, runs: [{ hash, run, sweep, state, worker, attemptsStarted, attempts, failures, workerLosses, error, mlflowRunId, ... }] }',
    CONNECT_TIMEOUT_HELP,
  ].join('\n'),
  options: { queue: { type: 'string' }, json: { type: 'boolean' }, 'connect-timeout': { type: 'string' } },
  maxArgs: 0,
  async run(ctx) {
    const address = queueAddress(ctx)!;
    const timeoutMs = connectTimeoutMs(ctx);
    const { connectRedis } = await import('../queue/connect.js');
    const { openRunQueue, queueStatus } = await import('../queue/run-queue.js');
    const connection = await connectRedis(address, { timeoutMs });
    const queue = openRunQueue(connection);
    try {
      const status = await queueStatus(queue, address.url);
      if (ctx.values.json) {
        ctx.stdout.write(JSON.stringify(status, null, 2) + '\n');
        return EXIT_OK;
      }
      const now = Date.now();
      const c = status.counts;
      const lines = [
        `queue ${status.queue} on ${status.url}: ${c.waiting} waiting, ${c.active} active, ${c.finished} finished, ${c.failed} failed`,
        `workers connected: ${status.workers.length ? status.workers.join(', ') : 'none'}`,
      ];
      if (status.runs.length > 0) {
        const rows = status.runs.map((r) => [
          r.state === 'waiting' && r.jobState === 'delayed'
            ? `waiting (retry in ${ago(now, r.retryAt ?? now)})`
            : r.state,
          r.sweep,
          r.run,
          r.hash.slice(0, 12),
          `${r.failures + r.workerLosses}/${r.attempts}`,
          r.state === 'active' && r.worker && !status.workers.includes(r.worker)
            ? `${r.worker} (not connected)`
            : (r.worker ?? ''),
          r.state === 'active'
            ? ago(r.startedAt, now)
            : r.state === 'waiting'
              ? ago(r.queuedAt, now)
              : ago(r.finishedAt, now),
          r.state === 'failed' || r.jobState === 'delayed'
            ? (r.error ?? '')
            : r.state === 'finished'
              ? r.mlflowRunId
                ? `MLflow ${r.mlflowRunId}`
                : ''
              : r.workerLosses
                ? `${r.workerLosses} lost worker(s)`
                : '',
        ]);
        const head = ['STATE', 'SWEEP', 'RUN', 'HASH', 'TRIES-USED', 'WORKER', 'SINCE', 'DETAIL'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        const fmt = (r: string[]) =>
          r
            .map((x, i) => (i === r.length - 1 ? x : x.padEnd(widths[i])))
            .join('  ')
            .trimEnd();
        lines.push(fmt(head), ...rows.map(fmt));
      }
      ctx.stdout.write(lines.join('\n') + '\n');
      return EXIT_OK;
    } finally {
      await queue.close();
      connection.disconnect();
    }
  },
};
