/**
 * `ecode sweep <file>`: runs every expanded run of a sweep, each in its own `ecode run` child
 * process (so `--jobs N` uses N cores, and one crashing run cannot take the sweep down). Runs
 * already FINISHED in MLflow with the same config hash are skipped; a failed run is marked FAILED
 * and the sweep goes on; Ctrl-C marks the running runs KILLED and leaves them resumable.
 */
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdir } from 'node:fs/promises';
import type { Sweep, SweepRun } from '@ecode/config';
import { createTracker, TAG_CONFIG_HASH } from '@ecode/tracking';
import type { CommandContext } from './cli.js';
import { runPaths, trackingUriOf } from './runner/run-paths.js';
import { closeLostAttempt } from './runner/close-attempt.js';
import { spawnEcodeRun, stopRunChild } from './runner/run-child.js';
import { sweepRunTags } from './runner/run-tags.js';
import { readRunStatus, writeJsonAtomic } from './runner/run-status.js';

export type SweepRunResult = 'finished' | 'skipped' | 'failed' | 'killed';

export interface SweepOptions {
  jobs?: number;
  runsDir?: string;
  /** Write the comparison report at the end (default true). */
  report?: boolean;
  reportDir?: string;
  /** After Ctrl-C or SIGTERM, how long a run may take to write its checkpoint (default 30 s). */
  graceSeconds?: number;
}

interface Slot {
  run: SweepRun;
  line: string;
  started: number;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Which runs of the sweep are already FINISHED in the tracker (by config hash). */
export async function finishedRuns(sweep: Sweep): Promise<Map<string, string>> {
  const done = new Map<string, string>();
  for (const run of sweep.runs) {
    const tracker = createTracker(trackingUriOf(run.config));
    const exp = await tracker.getExperimentByName(run.config.tracking.experimentName);
    if (!exp) continue;
    const found = await tracker.searchRuns({
      experimentIds: [exp.experimentId],
      tags: { [TAG_CONFIG_HASH]: run.hash },
      status: 'FINISHED',
      maxResults: 1,
    });
    if (found.length > 0) done.set(run.hash, found[0].info.runId);
  }
  return done;
}

export async function runSweep(sweep: Sweep, ctx: CommandContext, options: SweepOptions = {}): Promise<number> {
  const jobs = Math.max(1, options.jobs ?? Number(ctx.values.jobs ?? 1));
  const runsDir = options.runsDir ?? 'runs';
  const out = ctx.stderr as NodeJS.WriteStream;
  const tty = Boolean(out.isTTY);
  const results = new Map<string, SweepRunResult>();
  const done = await finishedRuns(sweep);
  const pending: SweepRun[] = [];
  for (const run of sweep.runs) {
    if (done.has(run.hash)) {
      results.set(run.name, 'skipped');
      out.write(`[${run.name}] already FINISHED (MLflow run ${done.get(run.hash)}), skipped\n`);
    } else pending.push(run);
  }
  out.write(
    `sweep ${sweep.name}: ${sweep.runs.length} runs, ${pending.length} to run, ${jobs} at a time; logs in ${runsDir}/<hash>/log.txt\n`,
  );
  // Each run uses training.dataParallel cores for training: warn before oversubscribing.
  const widest = Math.max(1, ...pending.map((r) => r.config.training.dataParallel));
  const cores = availableParallelism();
  if (jobs * widest > cores)
    out.write(
      `note: ${jobs} runs at a time x training.dataParallel ${widest} = ${jobs * widest} training threads on ${cores} cores; they will share cores (results are the same, only slower)\n`,
    );
  const t0 = Date.now();
  const active = new Map<string, Slot>();
  const children = new Set<ChildProcess>();
  let interrupted = false;
  let drawn = 0;
  const redraw = () => {
    if (!tty) return;
    if (drawn) out.write(`\x1b[${drawn}A\x1b[J`);
    const finished = [...results.values()].filter((r) => r !== 'skipped').length;
    const total = pending.length;
    const elapsed = Date.now() - t0;
    const eta = finished > 0 ? formatDuration((elapsed / finished) * (total - finished)) : '?';
    const lines = [
      `sweep ${sweep.name}: ${finished}/${total} runs done, ${formatDuration(elapsed)} elapsed, ETA ${eta}`,
      ...[...active.values()].map((s) =>
        `  ${s.run.name} (${formatDuration(Date.now() - s.started)}): ${s.line}`.slice(0, (out.columns ?? 120) - 1),
      ),
    ];
    out.write(lines.join('\n') + '\n');
    drawn = lines.length;
  };
  const say = (line: string) => {
    if (tty && drawn) {
      out.write(`\x1b[${drawn}A\x1b[J`);
      drawn = 0;
    }
    out.write(line + '\n');
    redraw();
  };
  const timer = tty ? setInterval(redraw, 1000) : undefined;
  // Each run is its own process group (a Ctrl-C at the terminal reaches only this process): the
  // first signal goes on to each run once, the second kills them at once.
  const grace = options.graceSeconds ?? 30;
  const onSigint = (signal: NodeJS.Signals) => {
    const first = !interrupted;
    interrupted = true;
    if (first)
      say(
        `${signal}: stopping the running runs at their next micro-batch with a checkpoint (within ${grace} s; again: at once); they are marked KILLED and resume on the next sweep`,
      );
    else say(`${signal} again: stopping the running runs at once (their last checkpoint stands)`);
    for (const c of children)
      stopRunChild(c, 'SIGINT', first ? grace * 1000 : 0, () =>
        first ? say(`grace period of ${grace} s over: run process ${c.pid} killed`) : undefined,
      );
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  const runOne = async (run: SweepRun): Promise<void> => {
    const paths = runPaths(run.hash, runsDir);
    await mkdir(paths.root, { recursive: true });
    await writeJsonAtomic(paths.config, run.config);
    const slot: Slot = { run, line: 'starting', started: Date.now() };
    active.set(run.name, slot);
    say(`[${run.name}] started (${run.hash.slice(0, 12)})`);
    const { child, done } = spawnEcodeRun({
      configPath: paths.config,
      name: run.name,
      variant: run.variant,
      sweep: sweep.name,
      runsDir,
      logPath: paths.log,
      tags: sweepRunTags(sweep, run),
      supervised: true,
      graceSeconds: grace,
      onLines: (lines) => {
        slot.line = lines[lines.length - 1].trim();
        if (!tty) for (const l of lines) out.write(`[${run.name}] ${l}\n`);
      },
    });
    children.add(child);
    const code = await done;
    children.delete(child);
    active.delete(run.name);
    if (code !== 0)
      await closeLostAttempt(paths, trackingUriOf(run.config), (l) => say(`[${run.name}] ${l}`), {
        tag: 'its process was killed (grace period over, or a second Ctrl-C); resumes from its last checkpoint',
        error: 'killed before it could checkpoint (resumable: its last checkpoint stands)',
      });
    const status = readRunStatus(paths.status);
    const took = formatDuration(Date.now() - slot.started);
    if (code === 0 && status?.state === 'FINISHED') {
      results.set(run.name, 'finished');
      say(`[${run.name}] FINISHED in ${took}`);
    } else if (interrupted || code === 130 || status?.state === 'KILLED') {
      results.set(run.name, 'killed');
      say(`[${run.name}] KILLED after ${took} (resumable)`);
    } else {
      results.set(run.name, 'failed');
      const why = status?.error?.split('\n')[0] ?? `exit code ${code}`;
      say(`[${run.name}] FAILED after ${took}: ${why} (see ${paths.log})`);
    }
  };

  const queue = [...pending];
  const workers = Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length > 0 && !interrupted) await runOne(queue.shift() as SweepRun);
  });
  try {
    await Promise.all(workers);
  } finally {
    if (timer) clearInterval(timer);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  const count = (r: SweepRunResult) => [...results.values()].filter((x) => x === r).length;
  const summary = `sweep ${sweep.name}: ${count('finished')} finished, ${count('skipped')} skipped, ${count('failed')} failed, ${count('killed')} killed, ${sweep.runs.length - results.size} not started, in ${formatDuration(Date.now() - t0)}`;
  if (tty && drawn) out.write(`\x1b[${drawn}A\x1b[J`);
  out.write(summary + '\n');
  // A tracking server that was away during the sweep gets the spooled calls now.
  for (const uri of new Set(sweep.runs.map((r) => trackingUriOf(r.config)))) {
    const tracker = createTracker(uri);
    if (tracker.kind !== 'rest') continue;
    try {
      const r = await tracker.flushSpool();
      if (r.replayed > 0 || r.remaining > 0)
        out.write(
          `tracking: replayed ${r.replayed} spooled MLflow calls to ${uri}, ${r.remaining} still in ${r.spoolPath}\n`,
        );
    } catch (err) {
      out.write(
        `tracking: ${uri} still unreachable (${(err as Error).message}); replay later with \`ecode tracking flush\`\n`,
      );
    }
  }
  if (interrupted) {
    out.write(`interrupted: run \`ecode sweep ${sweep.file}\` again to complete the missing runs\n`);
    return 130;
  }
  if (options.report !== false && count('finished') + count('skipped') > 0) {
    const { writeSweepReport } = await import('./runner/report.js');
    const report = await writeSweepReport(sweep, { runsDir, outDir: options.reportDir });
    ctx.stdout.write(`report: ${report.markdownPath}\nreport: ${report.htmlPath}\n`);
  }
  return count('failed') > 0 ? 1 : 0;
}
