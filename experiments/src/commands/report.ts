/** `ecode report <sweep file | experiment name>`: the comparison report (Markdown + HTML). */
import { existsSync } from 'node:fs';
import { inspectSweepFile, formatProblems } from '@ecode/config';
import { EXIT_FAILED, EXIT_OK, type Command } from '../cli.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write the comparison report of a sweep or an MLflow experiment (Markdown + HTML with charts)',
  usage: [
    '<sweep.yaml | experiment-name> [--out <dir>] [--runs-dir <dir>] [--tracking-uri <uri>]',
    '',
    'Pools each variant over its seeds: metrics with bootstrap 95% intervals, training curves,',
    'per-problem speedups, and a paired-bootstrap significance table against the first variant.',
    'Default output: reports/<name>/report.{md,html}.',
  ].join('\n'),
  options: { out: { type: 'string' }, 'runs-dir': { type: 'string' }, 'tracking-uri': { type: 'string' } },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const target = ctx.positionals[0];
    const outDir = ctx.values.out as string | undefined;
    const runsDir = ctx.values['runs-dir'] as string | undefined;
    const { writeExperimentReport, writeSweepReport } = await import('../runner/report.js');
    let report;
    if (existsSync(target)) {
      const { problems, sweep } = inspectSweepFile(target);
      if (!sweep) {
        ctx.stderr.write(formatProblems(problems) + '\n');
        return EXIT_FAILED;
      }
      report = await writeSweepReport(sweep, { runsDir, outDir });
    } else {
      report = await writeExperimentReport(target, {
        runsDir,
        outDir,
        trackingUri: ctx.values['tracking-uri'] as string | undefined,
      });
    }
    for (const m of report.missing) ctx.stderr.write(`warning: ${m}\n`);
    ctx.stdout.write(
      `${report.variants} variants from ${report.runs} runs\n${report.markdownPath}\n${report.htmlPath}\n`,
    );
    return EXIT_OK;
  },
};
