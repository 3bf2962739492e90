/**
 * `ecode run`: one experiment end to end — data -> tokenizers -> train -> generate -> evaluate ->
 * MLflow — every stage writing its artefact under `runs/<hash>/` and skipped when its artefact is
 * already there, so a crashed or interrupted run resumes where it stopped (training from its
 * last checkpoint).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { resolveConfig, type ExperimentConfig } from '@ecode/config';
import type { Problem } from '@ecode/data';
import type { Evaluation } from '@ecode/evaluation';
import type { TrainMetrics } from '@ecode/model';
import {
  createTracker,
  logConfigParams,
  TAG_BACKEND,
  TAG_CONFIG_HASH,
  TAG_ERROR,
  TAG_VARIANT,
  type RunHandle,
  type Tracker,
} from '@ecode/tracking';
import { backendTags } from './backend-tags.js';
import { loadDataset } from './dataset-stage.js';
import { evaluationPathOf, metricPrefixOf, runPaths, trackingUriOf, type RunPaths } from './run-paths.js';
import { readRunStatus, writeJsonAtomic, type RunStatus, type Stage } from './run-status.js';
import { evaluateStage } from './evaluate-stage.js';
import { generateStage, readGenerations } from './generate-stage.js';
import { appendJsonLine, type StageContext } from './stage-context.js';
import { trainStage } from './train-stage.js';
import { encodeSamples, prepareTokenizers } from './tokenize-stage.js';
import { hubParams, resolveHubRefs } from './hub-refs.js';
import { describeTrainingPlan, planTraining } from './training-plan.js';

export interface RunRequest {
  config: ExperimentConfig;
  hash: string;
  /** Run name in MLflow (`<variant>-s<seed>` in a sweep). */
  name: string;
  variant: string;
  configDir?: string;
  runsDir?: string;
  /** Stop after this stage (e.g. `train` for `ecode train`). */
  until?: Stage;
  log?: (line: string) => void;
  progress?: NodeJS.WritableStream | false;
  signal?: AbortSignal;
  /** Extra MLflow tags (e.g. the sweep's name). */
  tags?: Record<string, string>;
}

export interface RunOutcome {
  status: RunStatus;
  paths: RunPaths;
  /** The in-family test split. */
  evaluation?: Evaluation;
  /** The held-out families' test split (data.heldOutFamilies), when there is one. */
  heldOutEvaluation?: Evaluation;
  /** Every further test split's evaluation by name (`held-out`, `unseen-combination`, `unseen-idiom`). */
  splitEvaluations?: Record<string, Evaluation>;
  mlflowLink?: string;
}

export class RunInterrupted extends Error {}

/** The training curve of a run (one point per optimizer step), from `train-metrics.jsonl`. */
export function readTrainMetrics(paths: RunPaths): TrainMetrics[] {
  if (!existsSync(paths.trainMetrics)) return [];
  const byStep = new Map<number, TrainMetrics>();
  for (const line of readFileSync(paths.trainMetrics, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const m = JSON.parse(line) as TrainMetrics;
      byStep.set(m.step, m); // a resumed run rewrites the steps after its checkpoint
    } catch {
      /* a line cut by a crash */
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/**
 * Keeps the records of `train-metrics.jsonl` before `step` (and drops lines cut by a crash): a
 * resumed run calls it before its first step, so the steps an earlier attempt logged after the
 * checkpoint it resumes from are not in the log twice.
 */
export async function truncateTrainMetrics(paths: RunPaths, step: number): Promise<void> {
  if (!existsSync(paths.trainMetrics)) return;
  const kept = readTrainMetrics(paths).filter((m) => m.step < step);
  const tmp = `${paths.trainMetrics}.tmp-${process.pid}`;
  await writeFile(tmp, kept.map((m) => JSON.stringify(m) + '\n').join(''));
  await rename(tmp, paths.trainMetrics);
}

/** The MLflow points of one training step. */
function trainPoints(m: TrainMetrics) {
  const points = [
    { key: 'train/loss', value: m.loss, step: m.step },
    { key: 'train/lr', value: m.lr, step: m.step },
    { key: 'train/tokens_per_s', value: m.tokensPerSecond, step: m.step },
    { key: 'train/grad_norm', value: m.gradNorm, step: m.step },
  ];
  if (m.evalLoss !== undefined) points.push({ key: 'eval/loss', value: m.evalLoss, step: m.step });
  return points;
}

function metricKey(name: string): string {
  return name.replace(/[^A-Za-z0-9_\-./ ]/g, '_');
}

/**
 * MLflow metrics of one test split: `test/...` for the in-family split (with the plain
 * `programs`, `problems`, `passCount`), `heldout/...` for the held-out families. Metric ids
 * as in evaluation.json (`test/allPassRate`); `mlflow-filter.ts` reads the names older runs logged.
 */
export function evaluationMetrics(evaluation: Evaluation, prefix = 'test'): Record<string, number> {
  const out: Record<string, number> =
    prefix === 'test'
      ? { programs: evaluation.programs, problems: evaluation.problems, passCount: evaluation.passCount }
      : {
          [`${prefix}/programs`]: evaluation.programs,
          [`${prefix}/problems`]: evaluation.problems,
          [`${prefix}/passCount`]: evaluation.passCount,
        };
  for (const [k, v] of Object.entries(evaluation.metrics)) {
    if (!Number.isFinite(v.estimate)) continue;
    out[`${prefix}/${metricKey(k)}`] = v.estimate;
    out[`${prefix}/${metricKey(k)}_ci_low`] = v.lower;
    out[`${prefix}/${metricKey(k)}_ci_high`] = v.upper;
  }
  for (const [d, group] of Object.entries(evaluation.byDifficulty)) {
    for (const [k, v] of Object.entries(group.metrics)) {
      if (Number.isFinite(v.estimate)) out[`${prefix}/${metricKey(d)}/${metricKey(k)}`] = v.estimate;
    }
  }
  return out;
}

/**
 * Whether a run folder's config.json holds `configJson`: the same text, or a config written before
 * the metric ids were unified that reads as it (it is then rewritten with the ids).
 */
function sameConfig(stored: string, configJson: string, file: string): boolean {
  if (stored === configJson) return true;
  try {
    return JSON.stringify(resolveConfig(JSON.parse(stored), file), null, 2) + '\n' === configJson;
  } catch {
    return false;
  }
}

export async function runExperiment(req: RunRequest): Promise<RunOutcome> {
  const { hash } = req;
  let config = req.config;
  const log = req.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const signal = req.signal ?? new AbortController().signal;
  const paths = runPaths(hash, req.runsDir);
  await mkdir(paths.root, { recursive: true });
  const configJson = JSON.stringify(config, null, 2) + '\n';
  if (existsSync(paths.config) && !sameConfig(readFileSync(paths.config, 'utf8'), configJson, paths.config))
    throw new Error(`${paths.config}: holds a different config for hash ${hash}; remove ${paths.root} to start over`);
  await writeFile(paths.config, configJson);

  const previous = readRunStatus(paths.status);
  const status: RunStatus = {
    hash,
    name: req.name,
    variant: req.variant,
    seed: config.experiment.seed,
    state: 'RUNNING',
    stagesDone: previous?.stagesDone ?? [],
    startedAt: new Date().toISOString(),
  };
  const done = (s: Stage) => status.stagesDone.includes(s);
  const save = () => writeJsonAtomic(paths.status, status);

  const tracker: Tracker = createTracker(trackingUriOf(config));
  const experimentId = await tracker.getOrCreateExperiment(config.tracking.experimentName);
  const run: RunHandle = await tracker.startRun({
    experimentId,
    runName: req.name,
    tags: { [TAG_CONFIG_HASH]: hash, [TAG_VARIANT]: req.variant, ...(req.tags ?? {}) },
  });
  status.mlflowRunId = run.runId;
  status.mlflowExperimentId = experimentId;
  status.trackingUri = tracker.uri;
  await save();
  await logConfigParams(run, config);
  await run.logArtifact({ name: 'config.json', content: configJson });
  log(`run ${req.name} (${hash.slice(0, 12)}): MLflow ${tracker.runLink(experimentId, run.runId)}`);
  const stageCtx: StageContext = {
    config,
    paths,
    hash,
    configDir: req.configDir ?? process.cwd(),
    log,
    signal,
    progress: req.progress ?? process.stderr,
  };
  const check = () => {
    if (signal.aborted) throw new RunInterrupted('interrupted');
  };

  try {
    // Hub ids (hf:...) -> files in the shared Hugging Face cache; the commits they resolved to are
    // recorded (the hash is the config text's, so it never depended on them).
    const hub = await resolveHubRefs(config, stageCtx.configDir, {
      progress: stageCtx.progress === false ? null : stageCtx.progress,
    });
    if (hub.refs.length) {
      config = stageCtx.config = hub.config;
      await writeJsonAtomic(`${paths.root}/hub.json`, { refs: hub.refs });
      await run.logParams(hubParams(hub.refs));
      for (const r of hub.refs) log(`hub: ${r.key} = ${r.id} -> ${r.repo}@${r.commit} ${r.file}`);
    }
    // Data and tokenizers are cheap to rebuild and deterministic: always recomputed (cached on disk).
    const data = await loadDataset(config, { log, configDir: stageCtx.configDir });
    log(
      `data: ${data.bySplit.train.length} train / ${data.bySplit.valid.length} valid / ${data.bySplit.test.length} test problems` +
        data.extraTests.map((t) => ` + ${t.problems.length} test problems of ${t.label}`).join('') +
        ` from ${data.path}`,
    );
    const tok = prepareTokenizers(config, data.bySplit.train, paths.tokenizers, stageCtx.configDir, log);
    const trainRefs = encodeSamples(data.bySplit.train, tok, config);
    const validRefs = encodeSamples(data.bySplit.valid, tok, config);
    let testProblems = data.bySplit.test;
    if (config.evaluation.maxProblems !== undefined)
      testProblems = testProblems.slice(0, config.evaluation.maxProblems);
    const testRefs = encodeSamples(testProblems, tok, config);
    // Every further test split (held-out families, or the corpus's unseen combinations and idioms).
    const extraSplitOf = new Map<string, string>();
    const extraRefs = data.extraTests.flatMap((t) => {
      let ps = t.problems;
      if (config.evaluation.maxProblems !== undefined) ps = ps.slice(0, config.evaluation.maxProblems);
      for (const p of ps) extraSplitOf.set(p.id, t.name);
      return encodeSamples(ps, tok, config);
    });
    const heldOutRefs = extraRefs.filter((r) => extraSplitOf.get(r.problem.id) === 'held-out');
    const plan = planTraining(config.training, trainRefs.length);
    log(describeTrainingPlan(config.training, plan, trainRefs.length));
    for (const w of plan.warnings) log(`warning: ${w}`);
    await run.logParams({
      'derived.samples_per_step': plan.samplesPerStep,
      'derived.steps_per_epoch': Number(plan.stepsPerEpoch.toFixed(4)),
      'derived.planned_steps': plan.steps,
      'derived.train_samples': trainRefs.length,
    });
    if (plan.warnings.length) await run.setTags({ 'ecode.warnings': plan.warnings.join('\n').slice(0, 5000) });
    if (!done('data')) {
      status.stagesDone.push('data');
      await save();
    }
    await run.logMetrics([
      { key: 'data/train_samples', value: trainRefs.length },
      { key: 'data/valid_samples', value: validRefs.length },
      { key: 'data/test_samples', value: testRefs.length },
      { key: 'data/heldout_samples', value: heldOutRefs.length },
      ...data.extraTests
        .filter((t) => t.name !== 'held-out')
        .map((t) => ({
          key: `data/${t.name}_samples`,
          value: extraRefs.filter((r) => extraSplitOf.get(r.problem.id) === t.name).length,
        })),
      { key: 'tokenizer/code_vocab', value: tok.code.vocabSize },
      { key: 'tokenizer/text_vocab', value: tok.text.vocabSize },
    ]);
    if (req.until === 'data') return await finish();
    check();

    if (!done('train') || !existsSync(paths.model)) {
      let first = true;
      const trained = await trainStage(
        stageCtx,
        tok,
        trainRefs.map((r) => r.sample),
        validRefs.map((r) => r.sample),
        async (m) => {
          if (first) await truncateTrainMetrics(paths, m.step);
          first = false;
          await appendJsonLine(paths.trainMetrics, m);
          await run.logMetrics(trainPoints(m));
        },
      );
      await run.setTags(backendTags(trained));
      check();
      if (trained.result.stopReason === 'aborted') throw new RunInterrupted('interrupted during training');
      if (trained.result.resumedFromStep > 0) {
        // The MLflow run of this attempt gets the steps logged before the resume too, so it holds
        // the same curves as a run that was never interrupted.
        const earlier = readTrainMetrics(paths).filter((m) => m.step <= trained.result.resumedFromStep);
        await run.logMetrics(earlier.flatMap(trainPoints));
      }
      status.train = {
        steps: trained.result.steps,
        parameters: trained.parameters,
        tokensPerSecond: trained.result.tokensPerSecond,
        backend: trained.backend,
      };
      await logTrainSummary(status.train);
      status.stagesDone = [...status.stagesDone.filter((s) => s === 'data'), 'train'];
      await save();
    } else {
      log('train: model.safetensors exists, skipped');
      // An earlier attempt trained (and was cut off later): this attempt's MLflow run gets its record.
      await run.logMetrics(readTrainMetrics(paths).flatMap(trainPoints));
      if (previous?.train) {
        await run.setTags({ [TAG_BACKEND]: previous.train.backend });
        status.train = previous.train;
        await logTrainSummary(previous.train);
      }
    }
    if (req.until === 'train') return await finish();
    check();

    let programs;
    if (!done('generate') || !existsSync(paths.generations)) {
      programs = await generateStage(stageCtx, tok, [...testRefs, ...extraRefs], extraSplitOf);
      status.stagesDone = [...status.stagesDone.filter((s) => s !== 'generate' && s !== 'evaluate'), 'generate'];
      await save();
    } else {
      programs = readGenerations(paths.generations);
      log(`generate: ${programs.length} saved generations reused`);
    }
    await run.logArtifact(paths.generations);
    if (req.until === 'generate') return await finish();
    check();

    const byId = new Map<string, Problem>(data.problems.map((p) => [p.id, p]));
    const { evaluation, heldOutEvaluation, splitEvaluations } = await evaluateStage(stageCtx, programs, byId);
    const metrics = {
      ...evaluationMetrics(evaluation),
      ...Object.assign(
        {},
        ...Object.entries(splitEvaluations).map(([n, e]) => evaluationMetrics(e, metricPrefixOf(n))),
      ),
    } as Record<string, number>;
    await run.logMetrics(Object.entries(metrics).map(([key, value]) => ({ key, value })));
    await run.setTags({ 'ecode.cost_measure': evaluation.measure.name });
    await run.logArtifact(paths.judged);
    await run.logArtifact(paths.evaluation);
    for (const name of Object.keys(splitEvaluations)) await run.logArtifact(evaluationPathOf(paths, name));
    if (!done('evaluate')) status.stagesDone.push('evaluate');
    const outcome = await finish();
    return { ...outcome, evaluation, heldOutEvaluation, splitEvaluations };
  } catch (err) {
    const interrupted = err instanceof RunInterrupted || signal.aborted;
    status.state = interrupted ? 'KILLED' : 'FAILED';
    status.error = interrupted ? 'interrupted (resumable: run it again)' : ((err as Error).stack ?? String(err));
    status.endedAt = new Date().toISOString();
    await save();
    try {
      if (!interrupted) await run.setTags({ [TAG_ERROR]: String((err as Error).message ?? err).slice(0, 5000) });
      await run.end(interrupted ? 'KILLED' : 'FAILED');
    } catch (trackErr) {
      log(`tracking: could not mark the run ${status.state}: ${(trackErr as Error).message}`);
    }
    throw err;
  }

  async function logTrainSummary(t: NonNullable<RunStatus['train']>): Promise<void> {
    await run.logMetrics([
      { key: 'train/steps', value: t.steps },
      { key: 'train/final_tokens_per_s', value: t.tokensPerSecond },
      { key: 'model/parameters', value: t.parameters },
    ]);
  }

  async function finish(): Promise<RunOutcome> {
    status.state = 'FINISHED';
    status.endedAt = new Date().toISOString();
    await save();
    await run.end('FINISHED');
    return { status, paths, mlflowLink: tracker.runLink(experimentId, run.runId) };
  }
}

/** Removes a run's later-stage artefacts so `from` and every stage after it run again. */
export async function resetStages(paths: RunPaths, from: Stage): Promise<void> {
  const order: Stage[] = ['data', 'train', 'generate', 'evaluate'];
  const i = order.indexOf(from);
  const files: Record<Stage, string[]> = {
    data: [],
    train: [paths.model, paths.checkpoints, paths.trainMetrics],
    generate: [paths.generations],
    evaluate: [paths.judged, paths.evaluation],
  };
  for (const s of order.slice(i)) for (const f of files[s]) await rm(f, { recursive: true, force: true });
  const status = readRunStatus(paths.status);
  if (status) {
    status.stagesDone = status.stagesDone.filter((s) => order.indexOf(s) < i);
    await writeJsonAtomic(paths.status, status);
  }
}
