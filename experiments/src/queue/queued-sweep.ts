/**
 * `ecode sweep <file> --queue URL`: enqueues the sweep's runs (idempotently: by config hash) and
 * follows them until each is finished or failed, then writes the report as `ecode sweep` does.
 * The runs execute on `ecode worker` processes, anywhere that reaches the Redis server, the run
 * folder and the MLflow store.
 */
import type { Sweep, SweepQueueOptions } from '@ecode/config';
import type { CommandContext } from '../cli.js';
import { finishedRuns } from '../sweep-runner.js';
import { connectRedis } from './connect.js';
import type { QueueAddress } from './redis-url.js';
import { enqueueSweep, getRunJob, openRunQueue, type RunJobView } from './run-queue.js';

export interface QueuedSweepOptions {
  address: QueueAddress;
  policy: SweepQueueOptions;
  detach?: boolean;
  runsDir?: string;
  reportDir?: string;
  /** Follower poll period (default 1000 ms). */
  pollMs?: number;
  connectTimeoutMs?: number;
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export async function runQueuedSweep(sweep: Sweep, ctx: CommandContext, options: QueuedSweepOptions): Promise<number> {
  const out = ctx.stderr;
  const say = (line: string) => out.write(line + '\n');
  const url = options.address.url;
  const connection = await connectRedis(options.address, { timeoutMs: options.connectTimeoutMs, log: say });
  const queue = openRunQueue(connection);
  let interrupted = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    interrupted = true;
    wake?.();
  };
  try {
    const done = await finishedRuns(sweep);
    const enqueued = await enqueueSweep(queue, sweep, done, options.policy);
    for (const e of enqueued) {
      const tag = `[${e.run.name}]`;
      if (e.outcome === 'finished') say(`${tag} already FINISHED (MLflow run ${e.detail}), skipped`);
      else if (e.outcome === 'queued') say(`${tag} already in the queue (${e.state}), not added again`);
      else if (e.outcome === 'requeued')
        say(
          `${tag} queued again (${e.run.hash.slice(0, 12)}; its last job ${e.state === 'failed' ? `failed: ${e.detail}` : 'completed but MLflow here has no FINISHED run'})`,
        );
      else say(`${tag} queued (${e.run.hash.slice(0, 12)})`);
    }
    const count = (o: string) => enqueued.filter((e) => e.outcome === o).length;
    say(
      `sweep ${sweep.name}: ${sweep.runs.length} runs on ${url}: ${count('added') + count('requeued')} queued, ` +
        `${count('queued')} already in the queue, ${count('finished')} FINISHED; ` +
        `${options.policy.attempts} tries each, ${options.policy.backoff.type} backoff from ${options.policy.backoff.delaySeconds} s`,
    );
    const workers = await queue.getWorkers();
    if (workers.length === 0)
      say(`note: no worker is connected to ${url}; start one with \`ecode worker --queue ${url}\``);
    if (options.detach) {
      say(
        `detached: follow with \`ecode queue status --queue ${url}\`, or \`ecode sweep ${sweep.file} --queue ${url}\` (adds nothing twice)`,
      );
      return 0;
    }

    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const t0 = Date.now();
    const pending = new Map(enqueued.filter((e) => e.outcome !== 'finished').map((e) => [e.run.hash, e.run]));
    const last = new Map<string, RunJobView>();
    const final = new Map<string, RunJobView | undefined>();
    while (pending.size > 0 && !interrupted) {
      for (const [hash, run] of pending) {
        const v = await getRunJob(queue, hash);
        const tag = `[${run.name}]`;
        if (!v) {
          say(`${tag} FAILED: its job was removed from the queue`);
          final.set(hash, undefined);
          pending.delete(hash);
          continue;
        }
        const prev = last.get(hash);
        if (prev && v.workerLosses > prev.workerLosses)
          say(`${tag} its worker ${prev.worker ?? ''} was lost; back in the queue`);
        if (prev && v.failures > prev.failures && (v.state === 'waiting' || v.state === 'active')) {
          const when =
            v.jobState === 'delayed' ? ` in ${seconds(Math.max(0, (v.retryAt ?? Date.now()) - Date.now()))}` : '';
          say(`${tag} try failed (${v.error ?? '?'}); retrying${when}`);
        }
        if (v.state === 'active' && (prev?.state !== 'active' || prev.attemptsStarted !== v.attemptsStarted))
          say(`${tag} running on ${v.worker ?? '?'} (try ${v.failures + v.workerLosses + 1} of ${v.attempts})`);
        last.set(hash, v);
        if (v.state === 'finished') {
          say(`${tag} FINISHED on ${v.worker ?? '?'}${v.mlflowRunId ? ` (MLflow run ${v.mlflowRunId})` : ''}`);
        } else if (v.state === 'failed') {
          say(`${tag} FAILED: ${v.error ?? 'no reason given'}`);
        } else continue;
        final.set(hash, v);
        pending.delete(hash);
      }
      if (pending.size === 0) break;
      await new Promise<void>((res) => {
        const timer = setTimeout(res, options.pollMs ?? 1000);
        wake = () => {
          clearTimeout(timer);
          res();
        };
      });
    }
    if (interrupted) {
      say(
        `interrupted: the ${pending.size} unfinished run(s) go on on the workers; follow again with \`ecode sweep ${sweep.file} --queue ${url}\``,
      );
      return 130;
    }
    const finishedNow = [...final.values()].filter((v) => v?.state === 'finished').length;
    const failed = final.size - finishedNow;
    say(
      `sweep ${sweep.name}: ${finishedNow} finished, ${count('finished')} skipped, ${failed} failed, through ${url} in ${seconds(Date.now() - t0)}`,
    );
    if (finishedNow + count('finished') > 0) {
      const { writeSweepReport } = await import('../runner/report.js');
      const report = await writeSweepReport(sweep, { runsDir: options.runsDir, outDir: options.reportDir });
      ctx.stdout.write(`report: ${report.markdownPath}\nreport: ${report.htmlPath}\n`);
    }
    return failed > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await queue.close();
    connection.disconnect();
  }
}
