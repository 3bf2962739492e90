/** `ecode sweep <file>`: expands a sweep (base x variants x seeds); --dry-run lists the runs. */
import * as nodePath from 'node:path';
import { inspectSweepFile, formatProblems } from '@ecode/config';
import { EXIT_FAILED, EXIT_OK, type Command } from '../cli.js';

const shown = (abs: string) => {
  const rel = nodePath.relative(process.cwd(), abs);
  return rel.startsWith('..') ? abs : rel;
};

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'Run a sweep of variants x seeds (--dry-run: list the runs and their hashes)',
  usage: [
    '<file> [--dry-run] [--json] [--jobs N]',
    '',
    'Every run is a fully resolved config; its canonical hash is its identity (a rerun skips or',
    'resumes runs by hash).',
    '',
    'Options:',
    '  --dry-run   list the expanded runs, run nothing',
    '  --jobs N    runs at a time, each in its own process (default 1)',
    '  --json      with --dry-run: JSON { name, file, base, variants, seeds, runs: [{ name, variant, seed, hash, config }] }',
  ].join('\n'),
  options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, jobs: { type: 'string' } },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { problems, sweep } = inspectSweepFile(ctx.positionals[0]);
    if (!sweep) {
      ctx.stderr.write(formatProblems(problems) + '\n');
      return EXIT_FAILED;
    }
    if (!ctx.values['dry-run']) {
      // Loaded only when running: a dry run stays a quick config check.
      const { runSweep } = await import('../sweep-runner.js');
      return runSweep(sweep, ctx);
    }
    if (ctx.values.json) {
      const out = { ...sweep, file: shown(sweep.file), base: shown(sweep.base) };
      ctx.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return EXIT_OK;
    }
    const nameW = Math.max(3, ...sweep.runs.map((r) => r.name.length));
    const varW = Math.max(7, ...sweep.variants.map((v) => v.length));
    const lines = [
      `sweep ${sweep.name}: ${sweep.runs.length} runs = ${sweep.variants.length} variants x ${sweep.seeds.length} seeds (base ${shown(sweep.base)})`,
      `${'RUN'.padEnd(nameW)}  ${'VARIANT'.padEnd(varW)}  ${'SEED'.padStart(6)}  HASH`,
      ...sweep.runs.map(
        (r) => `${r.name.padEnd(nameW)}  ${r.variant.padEnd(varW)}  ${String(r.seed).padStart(6)}  ${r.hash}`,
      ),
    ];
    ctx.stdout.write(lines.join('\n') + '\n');
    return EXIT_OK;
  },
};
