/** `ecode report <sweep file | experiment name>`: the comparison report (Markdown + HTML). */
import { existsSync } from 'node:fs';
import { inspectSweepFile, formatProblems } from '@ecode/config';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../cli.js';
import { configAndOverrides, gridArgs } from './config-args.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write the comparison report of a sweep, an MLflow experiment or any runs (Markdown + HTML with charts)',
  usage: [
    "<sweep.yaml [key=value ...] [--grid 'key=v1,v2'] | experiment-name> [options]",
    '--runs <hash | MLflow run id | run folder>... [--baseline <run>] [options]',
    "--experiment <name> [--filter '<MLflow search filter>'] [options]",
    '',
    'Pools each variant over its seeds: a headline chart of the chosen metrics with 95% intervals',
    'first, then metrics tables, paired-bootstrap comparisons against the baseline (the first',
    'variant), training curves, per-problem speedups; a metric or test split where every variant',
    'has the same value is stated in one line. A sweep with a grid gets a parallel-coordinates',
    'chart of its swept keys against --metric.',
    '',
    '--runs compares runs from any sweeps (or none): runs whose configs differ only in the seed are',
    'pooled as one variant. --runs and --experiment refuse to pair runs whose test problems differ.',
    '--filter takes the AND-joined comparisons of MLflow search syntax on params., tags., metrics.',
    'and attributes. (= != LIKE ILIKE on strings; = != < <= > >= on numbers).',
    '',
    "A sweep's report takes the overrides and --grid its `ecode sweep` had (they decide the runs' hashes).",
    '',
    'Options:',
    '  --runs <ref...>          runs to compare: config hash (or a prefix of 6+), MLflow run id, or run folder',
    '  --baseline <ref>         the run (any ref form) every variant is compared with (default: the first)',
    '  --experiment <name>      the FINISHED runs of an MLflow experiment',
    `  --filter '<expr>'        with --experiment: e.g. 'params.model.variant = "e-code" AND metrics.test/speedup > 1.5'`,
    '  --metric <name>          headline and grid metric (default allPassRate), e.g. speedup, effAt1',
    '  --out <dir>              output folder (default reports/<sweep | experiment | runs>)',
    '  --runs-dir <dir>         where run folders are (default runs/)',
    '  --tracking-uri <uri>     MLflow store (default MLFLOW_TRACKING_URI or file:./mlruns)',
    '',
    'Examples:',
    '  ecode report configs/sweeps/ablation.yaml',
    '  ecode report --runs runs/1a2b3c4d5e6f 9f8e7d6c5b4a --baseline runs/1a2b3c4d5e6f',
    `  ecode report --experiment ecode --filter 'params.model.variant = "e-code"'`,
  ].join('\n'),
  options: {
    out: { type: 'string' },
    'runs-dir': { type: 'string' },
    'tracking-uri': { type: 'string' },
    runs: { type: 'boolean' },
    baseline: { type: 'string' },
    experiment: { type: 'string' },
    filter: { type: 'string' },
    metric: { type: 'string' },
    grid: { type: 'string', multiple: true },
  },
  async run(ctx) {
    const outDir = ctx.values.out as string | undefined;
    const runsDir = ctx.values['runs-dir'] as string | undefined;
    const trackingUri = ctx.values['tracking-uri'] as string | undefined;
    const metric = ctx.values.metric as string | undefined;
    const { writeExperimentReport, writeRunsReport, writeSweepReport } = await import('../runner/report.js');
    const { FilterSyntaxError } = await import('../runner/mlflow-filter.js');
    const experiment = ctx.values.experiment as string | undefined;
    if (ctx.values.filter !== undefined && !experiment) throw new UsageError('--filter needs --experiment <name>');
    if (ctx.values.baseline !== undefined && !ctx.values.runs) throw new UsageError('--baseline needs --runs');
    if (ctx.values.runs || experiment) {
      if (ctx.values.runs && experiment) throw new UsageError('give --runs or --experiment, not both');
      if (experiment && ctx.positionals.length)
        throw new UsageError(`--experiment takes no other arguments (got ${ctx.positionals.join(' ')})`);
      if (ctx.values.runs && ctx.positionals.length === 0) throw new UsageError('--runs needs at least one run');
      const report = ctx.values.runs
        ? await writeRunsReport(ctx.positionals, {
            baseline: ctx.values.baseline as string | undefined,
            runsDir,
            outDir,
            trackingUri,
            metric,
          })
        : await writeExperimentReport(experiment as string, {
            runsDir,
            outDir,
            trackingUri,
            metric,
            filter: ctx.values.filter as string | undefined,
          }).catch((err: unknown) => {
            throw err instanceof FilterSyntaxError ? new UsageError(err.message) : err;
          });
      for (const m of report.missing) ctx.stderr.write(`warning: ${m}\n`);
      ctx.stdout.write(
        `${report.variants} variants from ${report.runs} runs\n${report.markdownPath}\n${report.htmlPath}\n`,
      );
      return EXIT_OK;
    }
    const { file: target, overrides } = configAndOverrides(ctx);
    const grid = gridArgs(ctx);
    let report;
    if (existsSync(target)) {
      const { problems, sweep } = inspectSweepFile(target, {}, { overrides, grid });
      if (!sweep) {
        ctx.stderr.write(formatProblems(problems) + '\n');
        return EXIT_FAILED;
      }
      report = await writeSweepReport(sweep, { runsDir, outDir, metric });
    } else {
      report = await writeExperimentReport(target, { runsDir, outDir, trackingUri, metric });
    }
    for (const m of report.missing) ctx.stderr.write(`warning: ${m}\n`);
    ctx.stdout.write(
      `${report.variants} variants from ${report.runs} runs\n${report.markdownPath}\n${report.htmlPath}\n`,
    );
    return EXIT_OK;
  },
};
