/**
 * The whole predictor experiment from one config: get the programs (a built CodeExecTimeDB, a
 * dataset to measure, or synthetic problems), build or reuse the database, train the predictor,
 * score it and the baselines on the held-out problems, save the model, the metrics and a report,
 * and log everything to a tracker run when one is given.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  DatasetWriter,
  generateSynthetic,
  readAllProblems,
  SYNTHETIC_GENERATOR_VERSION,
  type Problem,
} from '@ecode/data';
import { buildTimeDb, problemSplitter, type BuildProgress, type Measurer } from './build-timedb.js';
import { TIME_VIEWS, type TimePredictorConfig } from './config.js';
import { evaluateAgainstBaselines, findRow, type EvaluationTable } from './evaluate-predictor.js';
import { TimePredictor, type PredictorInfo, type TypicalError } from './predictor.js';
import { renderHtml, renderMarkdown } from './report.js';
import { checkSetProblems } from './check-set.js';
import { fitCostModel } from './cost-model.js';
import { appendPartialRow, csvField, knownRows, readTimeDb, writeTimeDb, type TimeDbManifest } from './timedb-store.js';
import type { TimeRow } from './timedb-row.js';
import { itemsOf, trainPredictor, type MetricSink } from './train-predictor.js';

/** What the pipeline logs to (an MLflow run handle from @ecode/tracking fits). */
export interface RunLike extends MetricSink {
  logParams(params: Record<string, string | number | boolean>): Promise<void>;
  logArtifact(source: string, artifactDir?: string): Promise<unknown>;
}

export interface PipelineOptions {
  /** Where the model, metrics and report go. */
  outDir: string;
  /** Opens a sandbox for measuring (only called when something must be measured). */
  openMeasurer?: () => Promise<Measurer & { close(): Promise<void> }>;
  log?: (line: string) => void;
  run?: RunLike;
  /** The command line, recorded in the report. */
  command?: string;
}

export interface PipelineResult {
  table: EvaluationTable;
  /** The same on each corpus test split of the test rows and on the check set, by name. */
  splitTables: Record<string, EvaluationTable>;
  typicalError: TypicalError;
  timedbDir: string;
  outDir: string;
  trainRows: number;
  testRows: number;
  seconds: number;
  beatsLoc: boolean;
}

/**
 * Builds (or resumes building) a CodeExecTimeDB for `problems` in `dir`. A solution already timed
 * in `dir` or in one of `reuseFrom` (other databases, e.g. of another seed) on the same tests with
 * the same measure and repeats is not timed again: its row is reused with this build's split and
 * views.
 */
export async function buildTimeDbInto(
  dir: string,
  problems: Problem[],
  config: Pick<TimePredictorConfig, 'measurement' | 'data' | 'experiment'>,
  measurer: Measurer,
  options: { source: Record<string, unknown>; onProgress?: (p: BuildProgress) => void; reuseFrom?: string[] },
): Promise<{ rows: TimeRow[]; manifest: TimeDbManifest }> {
  await mkdir(dir, { recursive: true });
  const known = new Map<string, TimeRow>();
  for (const other of options.reuseFrom ?? []) for (const [k, r] of await knownRows(other)) known.set(k, r);
  for (const [k, r] of await knownRows(dir)) known.set(k, r);
  const m = config.measurement;
  const measurement = {
    costMeasure: m.costMeasure,
    repeats: m.repeats,
    largestTests: m.largestTests,
    concurrency: m.concurrency,
    deleteFraction: m.deleteFraction,
  };
  const result = await buildTimeDb(problems, measurer, {
    measurement,
    seed: config.experiment.seed,
    splitOf: problemSplitter(problems, config.data.split),
    known,
    onRow: (row) => appendPartialRow(dir, row),
    onProgress: options.onProgress,
  });
  const manifest = await writeTimeDb(dir, result.rows, {
    source: { ...options.source, split: config.data.split },
    measurement,
    seed: config.experiment.seed,
    skipped: result.skipped,
  });
  return { rows: result.rows, manifest };
}

function shortHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}

async function loadProblems(
  config: TimePredictorConfig,
  log: (l: string) => void,
): Promise<{ problems: Problem[]; source: Record<string, unknown> }> {
  if (config.data.dataset) {
    const path = resolve(config.data.dataset);
    return { problems: await readAllProblems(path), source: { dataset: path } };
  }
  const { problems: n, seed } = config.data.synthetic;
  const cached = resolve(
    config.measurement.cacheDir,
    `synthetic-v${SYNTHETIC_GENERATOR_VERSION}-${n}-seed${seed}.jsonl`,
  );
  if (existsSync(cached)) {
    log(`data: reusing ${cached}`);
    return { problems: await readAllProblems(cached), source: { synthetic: { problems: n, seed } } };
  }
  log(`data: generating ${n} verified synthetic problems (seed ${seed})`);
  let last = 0;
  const { problems } = await generateSynthetic({
    problems: n,
    seed,
    onProgress: (p) => {
      if (Date.now() - last > 5000) {
        last = Date.now();
        log(`data: ${p.done}/${p.total} problems`);
      }
    },
  });
  await mkdir(resolve(config.measurement.cacheDir), { recursive: true });
  const writer = await DatasetWriter.open(cached);
  for (const p of problems) await writer.write(p);
  await writer.close({
    tool: 'ecode timedb train',
    generator: 'synthetic',
    generatorVersion: SYNTHETIC_GENERATOR_VERSION,
    seed,
    options: { problems: n },
  });
  return { problems, source: { synthetic: { problems: n, seed } } };
}

/** The rows the config asks for: a built database as is, else one built (or resumed) in the cache. */
export async function obtainTimeDb(
  config: TimePredictorConfig,
  options: Pick<PipelineOptions, 'openMeasurer' | 'log'>,
): Promise<{ rows: TimeRow[]; manifest: TimeDbManifest; dir: string }> {
  const log = options.log ?? (() => undefined);
  if (config.data.timedb) {
    const dir = resolve(config.data.timedb);
    const db = await readTimeDb(dir);
    log(`timedb: ${dir}: ${db.rows.length} rows`);
    return { ...db, dir };
  }
  const { problems, source } = await loadProblems(config, log);
  const m = config.measurement;
  const dir = resolve(
    m.cacheDir,
    `timedb-${shortHash([source, m.costMeasure, m.repeats, m.largestTests, m.deleteFraction, config.data.split, config.experiment.seed])}`,
  );
  if (existsSync(join(dir, 'manifest.json'))) {
    const db = await readTimeDb(dir);
    log(`timedb: reusing ${dir} (${db.rows.length} rows)`);
    return { ...db, dir };
  }
  if (!options.openMeasurer) throw new Error('obtainTimeDb: programs must be measured but no sandbox was given');
  const measurer = await options.openMeasurer();
  let last = 0;
  try {
    log(
      `timedb: measuring ${problems.reduce((s, p) => s + p.solutions.length, 0)} solutions of ${problems.length} problems into ${dir}`,
    );
    // Databases of other seeds or splits in the cache hold timings of the same programs.
    const siblings = (await readdir(dirname(dir), { withFileTypes: true }))
      .filter((e) => e.isDirectory() && e.name.startsWith('timedb-') && e.name !== basename(dir))
      .map((e) => join(dirname(dir), e.name))
      .sort();
    const db = await buildTimeDbInto(dir, problems, config, measurer, {
      source,
      reuseFrom: siblings,
      onProgress: (p) => {
        if (Date.now() - last > 5000 || p.done === p.total) {
          last = Date.now();
          log(`timedb: ${p.done}/${p.total} measured (${p.reused} reused)`);
        }
      },
    });
    return { ...db, dir };
  } finally {
    await measurer.close();
  }
}

const fmt3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/**
 * The check set's rows: measured once into the cache (like a synthetic database), reused after.
 * Never trained on.
 */
async function obtainCheckSet(
  config: TimePredictorConfig,
  options: Pick<PipelineOptions, 'openMeasurer' | 'log'>,
): Promise<TimeRow[]> {
  const log = options.log ?? (() => undefined);
  const m = config.measurement;
  const dir = resolve(
    m.cacheDir,
    `checkset-${shortHash(['check-set-v4', m.costMeasure, m.repeats, m.deleteFraction, config.experiment.seed])}`,
  );
  if (existsSync(join(dir, 'manifest.json'))) return (await readTimeDb(dir)).rows;
  if (!options.openMeasurer) {
    log('check set: not measured (no sandbox given); skipped');
    return [];
  }
  const measurer = await options.openMeasurer();
  try {
    log(`check set: measuring its realistic programs into ${dir}`);
    const problems = checkSetProblems();
    const cfg = { ...config, data: { ...config.data, split: { ...config.data.split, mode: 'source' as const } } };
    return (await buildTimeDbInto(dir, problems, cfg, measurer, { source: { checkSet: 'v4' } })).rows;
  } finally {
    await measurer.close();
  }
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) out[prefix] = Array.isArray(value) ? value.join(',') : String(value);
  return out;
}

export async function runTimePredictorExperiment(
  config: TimePredictorConfig,
  options: PipelineOptions,
): Promise<PipelineResult> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  await options.run?.logParams(flatten(config));

  const db = await obtainTimeDb(config, options);
  const good = db.rows.filter((r) => r.passed && r.timeUs > 0);
  const train = good.filter((r) => r.split === 'train');
  const valid = good.filter((r) => r.split === 'valid');
  const test = good.filter((r) => r.split === 'test');
  log(
    `data: ${train.length} train / ${valid.length} valid / ${test.length} test rows (${db.rows.length - good.length} failed rows left out)`,
  );
  if (test.length === 0)
    throw new Error(`${db.dir}: no test rows: set data.split.test > 0 (or use a dataset with a test split)`);

  const trained = await trainPredictor(itemsOf(train, config.training.views), itemsOf(valid, ['ori']), {
    model: config.model,
    training: config.training,
    seed: config.experiment.seed,
    log,
    sink: options.run,
  });
  log(`train: ${trained.steps} steps in ${trained.seconds.toFixed(0)} s; kept epoch ${trained.bestEpoch}`);

  const info: PredictorInfo = {
    format: 'ecode-time-predictor',
    version: 1,
    spec: trained.spec,
    norm: trained.norm,
    target: {
      unit: 'us',
      costMeasure: 'cpu-time',
      repeats: db.manifest.measurement.repeats,
      largestTests: db.manifest.measurement.largestTests,
    },
    trainedOn: {
      views: config.training.views,
      rows: train.length,
      problems: new Set(train.map((r) => r.problemId)).size,
      seed: config.experiment.seed,
    },
    ...(trained.costModel ? { costModel: trained.costModel } : {}),
    createdAt: new Date().toISOString(),
  };
  const predictor = new TimePredictor(trained.model, trained.tokenizer, info);
  // The cost model alone as a method of its own: the one trained with the encoder, else one fitted
  // here on the same training rows and views (never on test rows).
  const costModel =
    trained.costModel ??
    fitCostModel(
      itemsOf(train, config.training.views).map((i) => ({
        group: `${i.problemId}\u0000${i.view}`,
        code: i.code,
        logTime: i.logTime,
      })),
    );
  const cost = { model: costModel, cache: new Map() };
  const table = evaluateAgainstBaselines(
    train,
    test,
    (codes) => predictor.predict(codes).map((p) => p.logTime),
    'test',
    TIME_VIEWS,
    cost,
  );
  // The corpus's test splits apart (in-distribution, unseen combinations, unseen idioms), and the
  // check set of realistic programs in styles the corpus does not use.
  const splitTables: Record<string, EvaluationTable> = {};
  const predictLog = (codes: string[]) => predictor.predict(codes).map((p) => p.logTime);
  for (const s of ['in-distribution', 'unseen-combination', 'unseen-idiom']) {
    const rows = test.filter((r) => r.testSplit === s);
    if (rows.length) splitTables[s] = evaluateAgainstBaselines(train, rows, predictLog, s, TIME_VIEWS, cost);
  }
  if (config.data.checkSet) {
    const check = (await obtainCheckSet(config, options)).filter((r) => r.passed && r.timeUs > 0);
    if (check.length)
      splitTables['check-set'] = evaluateAgainstBaselines(train, check, predictLog, 'check-set', TIME_VIEWS, cost);
  }
  const ori = findRow(table, 'ori', 'model')!.metrics;
  const typicalError: TypicalError = {
    view: 'ori',
    n: ori.n,
    medianAbsLog: ori.medianAbsLog,
    factor: Math.exp(ori.medianAbsLog),
    maeUs: ori.maeUs,
    maeLog: ori.maeLog,
    pairwiseAccuracy: ori.pairwiseAccuracy,
  };
  info.typicalError = typicalError;
  await predictor.save(join(outDir, 'model'));

  const loc = findRow(table, 'ori', 'loc')!.metrics;
  const beatsLoc = ori.pairwiseAccuracy > loc.pairwiseAccuracy;
  const verdict = `Held-out pairwise accuracy (view ori): predictor ${ori.pairwiseAccuracy.toFixed(3)} vs lines-of-code ${loc.pairwiseAccuracy.toFixed(3)}: ${beatsLoc ? 'the predictor beats the LOC baseline' : 'the predictor does NOT beat the LOC baseline'}.`;
  const seconds = (performance.now() - started) / 1000;
  const facts = [
    `CodeExecTimeDB: ${db.dir} (${db.rows.length} rows; CPU µs, median of ${db.manifest.measurement.repeats} on the ${db.manifest.measurement.largestTests} largest test(s))`,
    `split by problem: ${train.length} train / ${valid.length} valid / ${test.length} test rows (${new Set(test.map((r) => r.problemId)).size} test problems)`,
    `model: BERT encoder hidden ${config.model.hidden}, ${config.model.layers} layers, ${config.model.heads} heads, ${config.model.maxTokens} tokens, BPE vocab ${trained.spec.vocabSize}; trained on views ${config.training.views.join(', ')}`,
    `training: ${trained.steps} steps, ${config.training.epochs} epochs, kept epoch ${trained.bestEpoch} (best validation MAE ln); ${trained.seconds.toFixed(0)} s`,
    `typical error (ori, held out): ×/÷ ${typicalError.factor.toFixed(2)}; whole run ${seconds.toFixed(0)} s`,
    `cost model${trained.costModel ? ' (its score added to the encoder)' : ' (scored alone; the encoder does not use it)'}: prices 10^[${costModel.logPrices.join(', ')}] for ${costModel.kinds.join('/')} work at size ${costModel.sizes[costModel.size]}, scale ${costModel.scale.toFixed(3)} ln µs, training pairwise ${fmt3(costModel.trainPairwiseAccuracy)}`,
    ...Object.entries(splitTables).map(
      ([s, t]) =>
        `pairwise accuracy (ori) on ${s}: predictor ${fmt3(findRow(t, 'ori', 'model')!.metrics.pairwiseAccuracy)}, cost model alone ${fmt3(findRow(t, 'ori', 'cost_model')!.metrics.pairwiseAccuracy)}, lines of code ${fmt3(findRow(t, 'ori', 'loc')!.metrics.pairwiseAccuracy)} (${findRow(t, 'ori', 'model')!.metrics.pairs} pairs)`,
    ),
    ...(options.command ? [`command: ${options.command}`] : []),
  ];
  const ctx = {
    title: `Execution-time predictor: ${config.experiment.name}`,
    facts,
    table,
    verdict,
    extra: Object.values(splitTables),
  };
  const predLines = ['id,problemId,view,role,variant,timeUs,predictedUs'];
  for (const view of TIME_VIEWS) {
    const preds = predictor.predict(test.map((r) => r.views[view]));
    test.forEach((r, i) =>
      predLines.push(
        [r.id, r.problemId, view, r.role, r.variant ?? '', r.timeUs, preds[i].timeUs.toFixed(1)]
          .map((x) => csvField(x))
          .join(','),
      ),
    );
  }
  const files: [string, string][] = [
    [
      'metrics.json',
      JSON.stringify(
        {
          table,
          splitTables,
          typicalError,
          history: trained.history,
          bestEpoch: trained.bestEpoch,
          beatsLoc,
          timedb: db.dir,
        },
        null,
        2,
      ) + '\n',
    ],
    ['report.md', renderMarkdown(ctx)],
    ['report.html', renderHtml(ctx)],
    ['predictions-test.csv', predLines.join('\n') + '\n'],
    ['config.resolved.json', JSON.stringify(config, null, 2) + '\n'],
  ];
  for (const [name, text] of files) await writeFile(join(outDir, name), text);

  if (options.run) {
    const metrics: { key: string; value: number }[] = [];
    for (const r of table.rows) {
      for (const [k, v] of Object.entries(r.metrics))
        if (Number.isFinite(v)) metrics.push({ key: `test_${r.view}_${r.method}_${snake(k)}`, value: v });
    }
    for (const [s, t] of Object.entries(splitTables))
      for (const r of t.rows)
        for (const [k, v] of Object.entries(r.metrics))
          if (Number.isFinite(v))
            metrics.push({ key: `${s.replace(/-/g, '_')}_${r.view}_${r.method}_${snake(k)}`, value: v });
    metrics.push(
      { key: 'typical_error_factor', value: typicalError.factor },
      { key: 'train_seconds', value: trained.seconds },
    );
    await options.run.logMetrics(metrics);
    for (const name of ['report.md', 'report.html', 'metrics.json']) await options.run.logArtifact(join(outDir, name));
    await options.run.logArtifact(join(outDir, 'model', 'predictor.json'), 'model');
  }
  return {
    table,
    splitTables,
    typicalError,
    timedbDir: db.dir,
    outDir,
    trainRows: train.length,
    testRows: test.length,
    seconds,
    beatsLoc,
  };
}
