/**
 * `ecode timedb build`, `ecode timedb import`, `ecode timedb train` and `ecode predict-time`: thin wrappers over
 * @ecode/time-predictor (CodeExecTimeDB and the execution-time predictor).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readAllProblems } from '@ecode/data';
import { initBackend } from '@ecode/model';
import { Sandbox } from '@ecode/sandbox';
import {
  buildTimeDbInto,
  formatPrediction,
  importTimeDbCsv,
  loadTimePredictorConfig,
  resolveTimePredictorConfig,
  runTimePredictorExperiment,
  TimePredictor,
  TimePredictorConfigError,
  type TimePredictorConfig,
} from '@ecode/time-predictor';
import { createTracker, type RunHandle } from '@ecode/tracking';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../cli.js';

const DEFAULT_MODEL = 'runs/timedb/small-all-views/model';

function openSandbox(concurrency: number) {
  return async () => new Sandbox({ concurrency });
}

function configFrom(path: string | undefined): TimePredictorConfig {
  try {
    return path ? loadTimePredictorConfig(path) : resolveTimePredictorConfig({});
  } catch (e) {
    if (e instanceof TimePredictorConfigError) throw new UsageError(e.message);
    throw e;
  }
}

export const timedbBuildCommand: Command = {
  name: 'timedb build',
  summary: 'Build CodeExecTimeDB: time every solution of a dataset in the sandbox, derive its views, export CSV',
  usage: [
    '--dataset <file.jsonl> --out <dir> [--config <timedb.yaml>] [options]',
    '',
    "Measures every solution on its problem's largest tests (CPU µs, median over repeats; with",
    '--measure instructions also cachegrind instruction counts), derives the views ori, uni (identifiers',
    'renamed), looprec (loops and recursion only) and randdel (20% of tokens deleted, seeded), and writes',
    '<dir>/rows.jsonl, <dir>/manifest.json and <dir>/csv/<view>-<split>.csv (columns Prompt_input, Time).',
    'An interrupted build resumes: rows already measured with the same settings are reused.',
    '',
    "Options (default: the config's measurement and data.split sections, else the schema defaults):",
    '  --config <file>       a time-predictor config (configs/timedb/*.yaml)',
    '  --measure M           cpu-time | instructions',
    '  --repeats K           runs per solution',
    '  --largest-tests N     tests per solution',
    '  --split MODE          source (keep the dataset split) | by-problem (re-split with data.split)',
    '  --seed S              seed of the RandDel deletions (experiment.seed)',
    '  --concurrency N       solutions measured at once',
  ].join('\n'),
  options: {
    dataset: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    measure: { type: 'string' },
    repeats: { type: 'string' },
    'largest-tests': { type: 'string' },
    split: { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string' },
  },
  maxArgs: 0,
  async run(ctx) {
    const dataset = ctx.values.dataset as string | undefined;
    const out = ctx.values.out as string | undefined;
    if (!dataset) throw new UsageError('--dataset <file.jsonl> is required');
    if (!out) throw new UsageError('--out <dir> is required');
    const base = configFrom(ctx.values.config as string | undefined);
    const overrides = {
      measurement: {
        ...base.measurement,
        ...(ctx.values.measure !== undefined ? { costMeasure: ctx.values.measure } : {}),
        ...(ctx.values.repeats !== undefined ? { repeats: Number(ctx.values.repeats) } : {}),
        ...(ctx.values['largest-tests'] !== undefined ? { largestTests: Number(ctx.values['largest-tests']) } : {}),
        ...(ctx.values.concurrency !== undefined ? { concurrency: Number(ctx.values.concurrency) } : {}),
      },
      data: {
        ...base.data,
        split: { ...base.data.split, ...(ctx.values.split !== undefined ? { mode: ctx.values.split } : {}) },
      },
      experiment: { ...base.experiment, ...(ctx.values.seed !== undefined ? { seed: Number(ctx.values.seed) } : {}) },
    };
    let config: TimePredictorConfig;
    try {
      config = resolveTimePredictorConfig({ ...base, ...overrides }, 'command line');
    } catch (e) {
      if (e instanceof TimePredictorConfigError) throw new UsageError(e.message);
      throw e;
    }
    const problems = await readAllProblems(dataset);
    const total = problems.reduce((s, p) => s + p.solutions.length, 0);
    ctx.stderr.write(`timedb build: ${total} solutions of ${problems.length} problems from ${dataset}\n`);
    const sandbox = await openSandbox(config.measurement.concurrency)();
    const started = Date.now();
    let last = 0;
    try {
      const { manifest } = await buildTimeDbInto(resolve(out), problems, config, sandbox, {
        source: { dataset: resolve(dataset) },
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < 5000 && p.done < p.total) return;
          last = now;
          const secs = (now - started) / 1000;
          const rate = p.done / Math.max(secs, 1e-9);
          ctx.stderr.write(
            `timedb build: ${p.done}/${p.total} (${rate.toFixed(2)}/s, ETA ${((p.total - p.done) / Math.max(rate, 1e-9)).toFixed(0)} s, ${p.reused} reused)\n`,
          );
        },
      });
      ctx.stdout.write(
        `wrote ${out}: ${manifest.rows} rows (${manifest.failedRows} failed a test), by split ${JSON.stringify(manifest.bySplit)}, ${manifest.csv.length} CSV files\n`,
      );
      const skipped = Object.entries(manifest.skipped);
      if (skipped.length)
        ctx.stdout.write(`skipped:\n${skipped.map(([r, n]) => `  ${String(n).padStart(6)}  ${r}`).join('\n')}\n`);
      return manifest.rows > 0 ? EXIT_OK : EXIT_FAILED;
    } finally {
      await sandbox.close();
    }
  },
};

const VIEW_NAMES = ['ori', 'uni', 'looprec', 'randdel'] as const;

export const timedbImportCommand: Command = {
  name: 'timedb import',
  summary: 'Import the original CodeExecTimeDB CSV files (Prompt_input, Time in µs) as a database to train on',
  usage: [
    '--train <train.csv> --test <test.csv> --out <dir> [--view V] [--problem-column C] [--valid F] [--seed S]',
    '',
    "Reads the original's train and test CSV files (columns Prompt_input: the program, Time: µs) and",
    'writes <dir>/rows.jsonl, manifest.json and csv/ like `ecode timedb build`; train on it with',
    '`ecode timedb train` and a config whose data.timedb is <dir>. Nothing is measured.',
    '',
    '  --view V             which view the Prompt_input column is: ori (default; the other three are',
    '                       derived from it), uni, looprec or randdel (then every view holds that text)',
    "  --problem-column C   a column naming each row's problem (default: every row its own problem;",
    '                       pairwise accuracy needs several solutions per problem)',
    '  --valid F            share of training problems moved to validation (default 0.1)',
    '  --seed S             seed of that choice and of the randdel deletions (default 0)',
  ].join('\n'),
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    out: { type: 'string' },
    view: { type: 'string' },
    'problem-column': { type: 'string' },
    valid: { type: 'string' },
    seed: { type: 'string' },
  },
  maxArgs: 0,
  async run(ctx) {
    const need = (k: string, what: string) => {
      const v = ctx.values[k] as string | undefined;
      if (!v) throw new UsageError(`--${k} ${what} is required`);
      return v;
    };
    const train = need('train', '<train.csv>');
    const test = need('test', '<test.csv>');
    const out = need('out', '<dir>');
    const view = (ctx.values.view as string | undefined) ?? 'ori';
    if (!(VIEW_NAMES as readonly string[]).includes(view))
      throw new UsageError(`--view: must be one of ${VIEW_NAMES.join(', ')}, found ${JSON.stringify(view)}`);
    const num = (k: string, ok: (x: number) => boolean, what: string) => {
      const raw = ctx.values[k] as string | undefined;
      if (raw === undefined) return undefined;
      const x = Number(raw);
      if (!ok(x)) throw new UsageError(`--${k}: must be ${what}, found ${JSON.stringify(raw)}`);
      return x;
    };
    const valid = num('valid', (x) => x >= 0 && x < 1, 'a fraction in [0, 1)');
    const seed = num('seed', (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer');
    const { manifest } = await importTimeDbCsv(resolve(out), {
      train: resolve(train),
      test: resolve(test),
      view: view as (typeof VIEW_NAMES)[number],
      problemColumn: ctx.values['problem-column'] as string | undefined,
      valid,
      seed,
    });
    ctx.stdout.write(
      `wrote ${out}: ${manifest.rows} rows, by split ${JSON.stringify(manifest.bySplit)}, ${manifest.csv.length} CSV files\n`,
    );
    for (const [r, n] of Object.entries(manifest.skipped)) ctx.stdout.write(`  ${String(n).padStart(6)}  ${r}\n`);
    return manifest.rows > 0 ? EXIT_OK : EXIT_FAILED;
  },
};

export const timedbTrainCommand: Command = {
  name: 'timedb train',
  summary: 'Train and score the execution-time predictor from a config (baselines, MLflow, report)',
  usage: [
    '<config.yaml> [--out <dir>] [--no-tracking]',
    '',
    'Gets the programs (data.timedb, or data.dataset / data.synthetic measured into measurement.cacheDir),',
    'trains the encoder, scores it and the baselines (global mean, per-problem mean, lines of code) on',
    'the held-out problems in every view, and writes <out>/model/, metrics.json, report.md, report.html',
    'and predictions-test.csv. Logged to MLflow (tracking section) unless --no-tracking.',
    '',
    'Options:',
    '  --out <dir>       default runs/timedb/<experiment.name>',
    '  --no-tracking     do not log to MLflow',
  ].join('\n'),
  options: { out: { type: 'string' }, 'no-tracking': { type: 'boolean' } },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const configPath = ctx.positionals[0];
    const config = configFrom(configPath);
    const outDir = (ctx.values.out as string | undefined) ?? `runs/timedb/${config.experiment.name}`;
    await initBackend(config.training.backend, (l) => ctx.stderr.write(l + '\n'));
    let run: RunHandle | undefined;
    if (config.tracking.enabled && !ctx.values['no-tracking']) {
      const tracker = createTracker(config.tracking.uri);
      const experimentId = await tracker.getOrCreateExperiment(config.tracking.experimentName);
      run = await tracker.startRun({
        experimentId,
        runName: config.experiment.name,
        tags: { 'ecode.kind': 'time-predictor' },
      });
      ctx.stderr.write(`tracking: ${tracker.runLink(experimentId, run.runId)}\n`);
    }
    try {
      const result = await runTimePredictorExperiment(config, {
        outDir,
        openMeasurer: openSandbox(config.measurement.concurrency),
        log: (l) => ctx.stderr.write(l + '\n'),
        run,
        command: `ecode timedb train ${configPath}${ctx.values.out ? ` --out ${String(ctx.values.out)}` : ''}`,
      });
      await run?.end('FINISHED');
      ctx.stdout.write(readFileSync(resolve(result.outDir, 'report.md'), 'utf8'));
      ctx.stdout.write(
        `\nwrote ${result.outDir}/ (model/, metrics.json, report.md, report.html, predictions-test.csv)\n`,
      );
      return EXIT_OK;
    } catch (e) {
      await run?.end('FAILED');
      throw e;
    }
  },
};

export const predictTimeCommand: Command = {
  name: 'predict-time',
  summary: "Predict a Python program's CPU time with a trained time predictor (works on code that does not compile)",
  usage: [
    '<file.py> [--model <dir>] [--json]',
    '',
    `Options:`,
    `  --model <dir>   a predictor folder written by 'ecode timedb train' (default ${DEFAULT_MODEL})`,
    '  --json          print {timeUs, logTime, typicalError} as JSON',
  ].join('\n'),
  options: { model: { type: 'string' }, json: { type: 'boolean' } },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    let code: string;
    try {
      code = readFileSync(ctx.positionals[0], 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${ctx.positionals[0]}: ${(e as Error).message}`);
    }
    await initBackend('auto', () => undefined);
    const predictor = await TimePredictor.load((ctx.values.model as string | undefined) ?? DEFAULT_MODEL);
    const [p] = predictor.predict([code]);
    if (ctx.values.json)
      ctx.stdout.write(
        JSON.stringify({ timeUs: p.timeUs, logTime: p.logTime, typicalError: predictor.info.typicalError ?? null }) +
          '\n',
      );
    else ctx.stdout.write(`${ctx.positionals[0]}: ${formatPrediction(p, predictor.info)}\n`);
    predictor.dispose();
    return EXIT_OK;
  },
};
