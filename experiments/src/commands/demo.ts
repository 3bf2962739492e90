/** `ecode demo`: the embedded default job — the ablation sweep on synthetic data, cpu preset. */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblems, inspectSweepFile } from '@ecode/config';
import { EXIT_FAILED, type Command } from '../cli.js';

const CONFIGS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../configs');
export const DEMO_SWEEP = resolve(CONFIGS, 'sweeps/demo.yaml');
/** The measured duration of the default demo (README quotes the same figure). */
export const DEMO_DURATION = 'about 17 minutes on 2 cores (measured 16 min 37 s)';

export const demoCommand: Command = {
  name: 'demo',
  summary: `Run the demo: E-code, No-expert, RELU, 8 heads and GPT-Neo on the synthetic idiom corpus (${DEMO_DURATION})`,
  usage: [
    '[--jobs N] [--sweep <file>]',
    '',
    'Generates a verified synthetic dataset (the idiom x context corpus), trains the five ablation',
    'variants at the corpus preset (sized to learn on 2 cores), generates code for the test problems',
    'of its three test splits (in-distribution, unseen combinations, unseen idioms), judges and times',
    'it in the sandbox, logs every run to MLflow (./mlruns) and writes the comparison report.',
    'Interrupt and rerun to resume.',
    `Duration: ${DEMO_DURATION}, from a fresh clone with the native kernels.`,
    '',
    'Options:',
    '  --jobs N        runs at a time (default 2: one per core)',
    `  --sweep <file>  another sweep file (default ${relative(process.cwd(), DEMO_SWEEP)})`,
  ].join('\n'),
  options: { jobs: { type: 'string' }, sweep: { type: 'string' } },
  maxArgs: 0,
  async run(ctx) {
    const file = (ctx.values.sweep as string | undefined) ?? DEMO_SWEEP;
    const { problems, sweep } = inspectSweepFile(file);
    if (!sweep) {
      ctx.stderr.write(formatProblems(problems) + '\n');
      return EXIT_FAILED;
    }
    const jobs = Number(ctx.values.jobs ?? 2);
    ctx.stderr.write(
      `ecode demo: ${sweep.runs.length} runs (${sweep.variants.join(', ')}), ${jobs} at a time.\n` +
        `Expected duration: ${DEMO_DURATION} with the default sweep (the first run also generates the dataset).\n` +
        `MLflow file store: ./mlruns (mlflow ui --backend-store-uri ./mlruns, with MLFLOW_ALLOW_FILE_STORE=true on MLflow 3.13+)\n`,
    );
    const { runSweep } = await import('../sweep-runner.js');
    return runSweep(sweep, ctx, { jobs });
  },
};
