/** `ecode run`, and its stages alone: `ecode train`, `ecode generate`, `ecode evaluate`. */
import type { Evaluation } from '@ecode/evaluation';
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command, type CommandContext } from '../cli.js';
import { loadRunConfig } from '../runner/load-run-config.js';
import { configAndOverrides, OVERRIDES_HELP, overridesTag } from './config-args.js';
import { graceSeconds } from './queue-options.js';
import { runPaths } from '../runner/run-paths.js';
import { readRunStatus, STAGES, writeJsonAtomic, type Stage } from '../runner/run-status.js';

const runOptions = {
  name: { type: 'string' },
  variant: { type: 'string' },
  sweep: { type: 'string' },
  'runs-dir': { type: 'string' },
  from: { type: 'string' },
  tag: { type: 'string', multiple: true },
  'grace-seconds': { type: 'string' },
} as const;

/** `--tag key=value` (repeatable): extra MLflow tags. */
function extraTags(ctx: CommandContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of (ctx.values.tag as string[] | undefined) ?? []) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag ${JSON.stringify(t)}: expected key=value`);
    out[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return out;
}

/** The config argument with its command-line overrides applied. */
function loadFromArgs(ctx: CommandContext) {
  const { file, overrides } = configAndOverrides(ctx);
  return { ...loadRunConfig(file, overrides), overrides };
}

async function execute(ctx: CommandContext, until?: Stage): Promise<number> {
  // Loaded on use: the pipeline pulls in TensorFlow.js, which other commands do not need.
  const { resetStages, runExperiment, RunInterrupted } = await import('../runner/run-experiment.js');
  const loaded = loadFromArgs(ctx);
  const { config, hash } = loaded;
  const runsDir = (ctx.values['runs-dir'] as string | undefined) ?? 'runs';
  const from = ctx.values.from as string | undefined;
  if (from !== undefined) {
    if (!(STAGES as readonly string[]).includes(from))
      throw new UsageError(`--from must be one of ${STAGES.join(', ')}, got '${from}'`);
    await resetStages(runPaths(hash, runsDir), from as Stage);
  }
  const grace = graceSeconds(ctx);
  const controller = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      ctx.stderr.write(`${signal} again: stopping at once (the last checkpoint on disk stands)\n`);
      process.exit(130);
    }
    ctx.stderr.write(
      `\n${signal}: stopping at the next micro-batch and writing a checkpoint (within ${grace} s; ${signal} again quits at once)\n`,
    );
    controller.abort();
    // The grace period ran out first (a long step, a slow disk): leave now; checkpoints are
    // written under a temporary name and renamed, so the last complete one stands.
    graceTimer = setTimeout(() => {
      ctx.stderr.write(`grace period of ${grace} s is over: stopping at once (the last checkpoint on disk stands)\n`);
      process.exit(130);
    }, grace * 1000);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Started by `ecode worker` (an IPC channel): when the worker dies (kill -9, lost machine), its
  // run must not go on beside the retry another worker makes of it, so exit at once. The MLflow
  // run left RUNNING is marked KILLED by the worker that retries it.
  const orphaned = () => {
    process.stderr.write('ecode run: its parent (ecode worker or sweep) is gone; stopping at once\n');
    process.exit(137);
  };
  if (process.channel) {
    process.channel.unref();
    process.on('disconnect', orphaned);
  }
  try {
    const variant = (ctx.values.variant as string | undefined) ?? config.model.variant;
    const outcome = await runExperiment({
      config,
      hash,
      name:
        (ctx.values.name as string | undefined) ?? `${config.experiment.name}-${variant}-s${config.experiment.seed}`,
      variant,
      configDir: loaded.configDir,
      runsDir,
      until,
      signal: controller.signal,
      log: (l) => ctx.stderr.write(l + '\n'),
      tags: {
        ...(ctx.values.sweep ? { 'ecode.sweep': ctx.values.sweep as string } : {}),
        ...overridesTag(loaded.overrides),
        ...extraTags(ctx),
      },
    });
    ctx.stdout.write(`run folder: ${outcome.paths.root}\nMLflow: ${outcome.mlflowLink}\n`);
    if (outcome.evaluation) {
      const extra = Object.entries(outcome.splitEvaluations ?? {});
      const label = (name: string) => (name === 'held-out' ? 'held-out families' : name);
      const main = extra.some(([n]) => n.startsWith('unseen-')) ? 'in-distribution' : 'in-family';
      const iv = (e: Evaluation | undefined, k: string) => {
        const v = e?.metrics[k];
        return v ? `${v.estimate.toFixed(3)} [${v.lower.toFixed(3)}, ${v.upper.toFixed(3)}]` : 'n/a';
      };
      const keys = [
        'passRate',
        'allPassRate',
        'compileRate',
        'speedup',
        'improvement',
        'optRate',
        'bleu',
        'effAt1',
        'dps',
      ];
      const lines = keys
        .filter((k) => outcome.evaluation?.metrics[k])
        .map((k) => `${k} ${iv(outcome.evaluation, k)}${extra.map(([n, e]) => ` | ${label(n)} ${iv(e, k)}`).join('')}`);
      if (extra.length)
        lines.unshift(
          `test problems: ${main} (n=${outcome.evaluation.programs} programs)${extra.map(([n, e]) => ` | ${label(n)} (n=${e.programs})`).join('')}`,
        );
      ctx.stdout.write(lines.join('\n') + `\n(cost measure: ${outcome.evaluation.measure.name})\n`);
    }
    return EXIT_OK;
  } catch (err) {
    if (err instanceof RunInterrupted || controller.signal.aborted) {
      ctx.stderr.write('run interrupted: marked KILLED; run the same command again to resume\n');
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('disconnect', orphaned);
    clearTimeout(graceTimer);
  }
}

const common = [
  'Options:',
  '  --name <name>        MLflow run name (default <experiment>-<variant>-s<seed>)',
  '  --variant <name>     variant tag (default model.variant)',
  '  --runs-dir <dir>     where run folders go (default runs/)',
  `  --from <stage>       re-run from this stage on (${STAGES.join(', ')}), discarding later artefacts`,
  '  --sweep <name>       tag the run with the sweep it belongs to',
  '  --tag key=value      an extra MLflow tag (repeatable)',
  '  --grace-seconds <s>  after SIGTERM or Ctrl-C, how long the run may take to reach the next',
  '                       micro-batch and write its checkpoint before it stops at once (default 30)',
  '',
  OVERRIDES_HELP,
  '',
  'Example: ecode run configs/presets/cpu.yaml training.optimizer.lr=5e-4 model.crossAttentionHeads=8',
].join('\n');

export const runCommand: Command = {
  name: 'run',
  summary: 'Run one experiment: data, train, generate, evaluate in the sandbox, log to MLflow',
  usage: `<config.yaml | runs/<hash>> [key=value ...] [options]\n\nEach stage writes its artefact under runs/<hash>/ and is skipped when it is there, so an\ninterrupted run resumes (training from its last checkpoint).\n\n${common}`,
  options: runOptions,
  minArgs: 1,
  run: (ctx) => execute(ctx),
};

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a config (the run stages up to train); weights in runs/<hash>/model.safetensors',
  usage: `<config.yaml | runs/<hash>> [key=value ...] [options]\n\n${common}`,
  options: runOptions,
  minArgs: 1,
  run: (ctx) => execute(ctx, 'train'),
};

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: "Judge a run's saved generations in the sandbox and compute the metrics again",
  usage: `<config.yaml | runs/<hash>> [key=value ...] [options]\n\nRe-runs only the evaluate stage on runs/<hash>/generations.jsonl.\n\n${common}`,
  options: runOptions,
  minArgs: 1,
  async run(ctx) {
    const { hash } = loadFromArgs(ctx);
    const paths = runPaths(hash, (ctx.values['runs-dir'] as string | undefined) ?? 'runs');
    if (!existsSync(paths.generations)) {
      ctx.stderr.write(
        `ecode evaluate: ${paths.generations} does not exist; run \`ecode generate\` or \`ecode run\` first\n`,
      );
      return EXIT_FAILED;
    }
    const { resetStages } = await import('../runner/run-experiment.js');
    await resetStages(paths, 'evaluate');
    return execute(ctx);
  },
};

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate programs for a split with a trained model (KV cache, sampling from the config)',
  usage: `<config.yaml | runs/<hash>> [key=value ...] [--checkpoint <model.safetensors>] [--split test] [--out <file.jsonl>]\n\nWithout --checkpoint it uses runs/<hash>/model.safetensors (train it first).\n\n${common}`,
  options: { ...runOptions, checkpoint: { type: 'string' }, split: { type: 'string' }, out: { type: 'string' } },
  minArgs: 1,
  async run(ctx) {
    const { hash } = loadFromArgs(ctx);
    const split = (ctx.values.split as string | undefined) ?? 'test';
    if (split !== 'test') throw new UsageError(`--split: only the test split is generated for (got '${split}')`);
    const paths = runPaths(hash, (ctx.values['runs-dir'] as string | undefined) ?? 'runs');
    const checkpoint = ctx.values.checkpoint as string | undefined;
    if (checkpoint) {
      const src = resolve(checkpoint.endsWith('.safetensors') ? checkpoint : `${checkpoint}/model.safetensors`);
      if (!existsSync(src)) throw new UsageError(`--checkpoint: ${src} does not exist`);
      await mkdir(paths.root, { recursive: true });
      if (src !== paths.model) await copyFile(src, paths.model);
      // The given weights stand for the train stage: do not train over them.
      const status = readRunStatus(paths.status);
      await writeJsonAtomic(paths.status, {
        ...(status ?? { hash, name: '', variant: '', seed: 0, state: 'RUNNING' }),
        stagesDone: ['data', 'train'],
      });
    }
    const { resetStages } = await import('../runner/run-experiment.js');
    await resetStages(paths, 'generate');
    const code = await execute(ctx, 'generate');
    const out = ctx.values.out as string | undefined;
    if (code === EXIT_OK && out) {
      await copyFile(paths.generations, resolve(out));
      ctx.stdout.write(`generations: ${resolve(out)}\n`);
    }
    return code;
  },
};
