/**
 * `ecode report`: gathers the finished runs of a sweep (or of an MLflow experiment), pools each
 * variant's seeds, and writes the comparison report as Markdown and a self-contained HTML page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { metricIdOf, type ExperimentConfig, type Sweep } from '@ecode/config';
import {
  buildReportInput,
  evaluatePrograms,
  perProgramCodeBleu,
  renderReport,
  type Evaluation,
  type TrainingPoint,
} from '@ecode/evaluation';
import { createTracker, TAG_CONFIG_HASH, TAG_VARIANT } from '@ecode/tracking';
import { matchesFilter, parseFilter } from './mlflow-filter.js';
import { findRun, groupRuns, type FoundRun } from './report-runs.js';
import { readTrainMetrics } from './run-experiment.js';
import { runPaths } from './run-paths.js';
import { measureName, peerExtras, peerMetricNames, type JudgedRecord } from './evaluate-stage.js';

export interface ReportRun {
  name: string;
  variant: string;
  seed: number;
  hash: string;
  config: ExperimentConfig;
  /** What the report pools seeds by (default: the variant); a sweep grid's point gives its own. */
  group?: string;
  /** A grid point (swept key -> value), for the parallel-coordinates chart. */
  point?: Record<string, unknown>;
  /** The run folder when it is not `<runsDir>/<hash>` (a run named by its folder). */
  root?: string;
}

export interface ReportOptions {
  runsDir?: string;
  outDir: string;
  notes?: string[];
  /** Refuse to pair variants whose test problems differ (reports over runs of different origins). */
  strictPairing?: boolean;
  /** The swept keys of a grid (draws their parallel coordinates against `metric`). */
  gridKeys?: string[];
  /** The metric of the headline's first panel and of the grid chart (default allPassRate; an old metric name is read as its id). */
  metric?: string;
}

/** A judged record's test split: its `testSplit`, or the in-family split when it has none. */
const splitOf = (j: { testSplit?: string }): string => j.testSplit ?? 'in-family';

/** Test splits: a judged record's `testSplit` (absent: the in-family split) -> how reports name it. */
const SPLIT_LABELS: Record<string, string> = {
  'in-family': 'in-family test problems',
  'unseen-combination': 'unseen combinations (trained idioms in contexts they were not trained in)',
  'unseen-idiom': 'unseen idioms (held out of training by each seed)',
};

/**
 * How a report names a test split. On the idiom corpus (runs with `unseen-*` splits) the main split
 * is the in-distribution one: seen idioms in seen contexts.
 */
function splitLabel(id: string, runs: ReportRun[], corpus = false): string {
  if (id === 'held-out') {
    const families = [...new Set(runs.flatMap((r) => r.config.data.heldOutFamilies ?? []))];
    return `held-out families (${families.join(', ')})`;
  }
  if (id === 'in-family' && corpus) return 'in-distribution test problems';
  return SPLIT_LABELS[id] ?? id;
}

/** Each test problem of each split, told apart by content (the reference), not only by id. */
function problemSet(judged: JudgedRecord[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const j of judged) {
    const split = splitOf(j);
    const set = out.get(split) ?? new Set<string>();
    set.add(`${j.problemId}\u0000${j.reference ?? ''}`);
    out.set(split, set);
  }
  return out;
}

/** Throws when a variant's test problems differ from the baseline's on some split. */
function checkPairable(groups: Array<{ name: string; judged: JudgedRecord[]; runs: ReportRun[] }>): void {
  const [base, ...rest] = groups;
  const baseSets = problemSet(base.judged);
  const names = (g: (typeof groups)[number]) => g.runs.map((r) => `${r.name} (${r.hash.slice(0, 12)})`).join(', ');
  for (const g of rest) {
    const sets = problemSet(g.judged);
    for (const split of new Set([...baseSets.keys(), ...sets.keys()])) {
      const a = sets.get(split) ?? new Set<string>();
      const b = baseSets.get(split) ?? new Set<string>();
      const common = [...a].filter((x) => b.has(x)).length;
      if (common === a.size && common === b.size) continue;
      const id = (x: string) => x.split('\u0000')[0];
      const onlyA = [...a]
        .filter((x) => !b.has(x))
        .map(id)
        .slice(0, 3);
      const onlyB = [...b]
        .filter((x) => !a.has(x))
        .map(id)
        .slice(0, 3);
      throw new Error(
        [
          `report: cannot pair variant ${g.name} with the baseline ${base.name}: their ${splitLabel(split, g.runs)} differ`,
          `  ${g.name}: ${a.size} problems, ${base.name}: ${b.size}, ${common} the same`,
          ...(onlyA.length ? [`  only in ${g.name}: ${onlyA.join(', ')}${a.size - common > 3 ? ', ...' : ''}`] : []),
          ...(onlyB.length ? [`  only in ${base.name}: ${onlyB.join(', ')}${b.size - common > 3 ? ', ...' : ''}`] : []),
          `  runs: ${names(g)} against ${names(base)}`,
          '  Paired comparisons need the same test problems: runs with the same data settings (data.*,',
          '  experiment.seed for synthetic data, evaluation.maxProblems). Report them separately.',
        ].join('\n'),
      );
    }
  }
}

export interface WrittenReport {
  markdownPath: string;
  htmlPath: string;
  variants: number;
  runs: number;
  missing: string[];
}

function readJudged(path: string): JudgedRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as JudgedRecord);
}

/** Mean training (and validation) loss per step over the variant's seeds. */
function meanCurve(curves: TrainingPoint[][]): TrainingPoint[] {
  const byStep = new Map<number, { loss: number[]; evalLoss: number[] }>();
  for (const c of curves)
    for (const p of c) {
      const at = byStep.get(p.step) ?? { loss: [], evalLoss: [] };
      at.loss.push(p.loss);
      if (p.evalLoss !== undefined && Number.isFinite(p.evalLoss)) at.evalLoss.push(p.evalLoss);
      byStep.set(p.step, at);
    }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, at]) => ({
      step,
      loss: mean(at.loss),
      ...(at.evalLoss.length ? { evalLoss: mean(at.evalLoss) } : {}),
    }));
}

export async function writeReport(title: string, runs: ReportRun[], options: ReportOptions): Promise<WrittenReport> {
  const missing: string[] = [];
  const byVariant = new Map<string, { judged: JudgedRecord[]; curves: TrainingPoint[][]; runs: ReportRun[] }>();
  for (const run of runs) {
    const paths = run.root ? runPaths(basename(run.root), dirname(run.root)) : runPaths(run.hash, options.runsDir);
    if (!existsSync(paths.judged)) {
      missing.push(`${run.name} (${run.hash.slice(0, 12)}): no judged results in ${paths.root}`);
      continue;
    }
    const v = byVariant.get(run.group ?? run.variant) ?? { judged: [], curves: [], runs: [] };
    // Several seeds of a variant pool their programs; sample ids stay distinct per seed.
    v.judged.push(...readJudged(paths.judged).map((j) => ({ ...j, sampleId: `s${run.seed}:${j.sampleId}` })));
    v.curves.push(
      readTrainMetrics(paths).map((m) => ({
        step: m.step,
        loss: m.loss,
        ...(m.evalLoss !== undefined ? { evalLoss: m.evalLoss } : {}),
      })),
    );
    v.runs.push(run);
    byVariant.set(run.group ?? run.variant, v);
  }
  if (byVariant.size === 0) throw new Error(`report ${title}: no finished runs with results\n${missing.join('\n')}`);
  if (options.strictPairing) checkPairable([...byVariant].map(([name, v]) => ({ name, ...v })));
  const first = runs[0].config;
  const evaluateJudged = async (judged: JudgedRecord[], config: ExperimentConfig): Promise<Evaluation> => {
    const extra: Record<string, Array<number | undefined>> = {};
    if (first.evaluation.metrics.includes('codeBleu')) extra.codeBleu = await perProgramCodeBleu(judged);
    if (judged.some((j) => j.predictedCost !== undefined))
      extra.predictedSpeedupUncompiled = judged.map((j) =>
        j.predictedCost !== undefined && j.icCost !== undefined ? j.icCost / j.predictedCost : undefined,
      );
    Object.assign(extra, peerExtras(judged, config));
    return evaluatePrograms(judged, {
      measure: measureName(config),
      seed: first.experiment.seed,
      resamples: first.evaluation.bootstrapSamples,
      extra,
    });
  };
  const variants: Array<{
    name: string;
    evaluation: Evaluation;
    splitEvaluations: Record<string, Evaluation>;
    trainingCurve: TrainingPoint[];
  }> = [];
  // Each test split is evaluated (and bootstrapped) apart; the in-family split comes first.
  const splitIds = [...new Set(runs.length ? [...byVariant.values()].flatMap((v) => v.judged.map(splitOf)) : [])]
    .filter((id) => id !== 'in-family')
    .sort();
  for (const [name, v] of byVariant) {
    const primary = v.judged.filter((j) => splitOf(j) === 'in-family');
    const evaluation = await evaluateJudged(primary, v.runs[0].config);
    const splitEvaluations: Record<string, Evaluation> = {};
    for (const id of splitIds) {
      const part = v.judged.filter((j) => splitOf(j) === id);
      if (part.length) splitEvaluations[id] = await evaluateJudged(part, v.runs[0].config);
    }
    variants.push({ name, evaluation, splitEvaluations, trainingCurve: meanCurve(v.curves) });
  }
  const metrics: string[] = [...first.evaluation.metrics];
  // Predicted (not measured) speedups of outputs that do not compile, shown apart when present.
  if (variants.some((v) => v.evaluation.metrics.predictedSpeedupUncompiled)) metrics.push('predictedSpeedupUncompiled');
  // The peers' metrics (eff@k, DPS) when generation drew several samples per input.
  for (const m of peerMetricNames(variants[0].evaluation)) if (!metrics.includes(m)) metrics.push(m);
  const chosen = metricIdOf(options.metric ?? 'allPassRate');
  const points = Object.fromEntries(
    [...byVariant].flatMap(([name, v]) => (v.runs[0].point ? [[name, v.runs[0].point]] : [])),
  );
  const input = buildReportInput(title, variants, {
    seed: first.experiment.seed,
    resamples: first.evaluation.bootstrapSamples,
    metrics,
    headline: [...new Set([chosen, 'allPassRate', 'speedup'])].slice(0, 3),
    // the corpus names its main split in-distribution (the judged records keep 'in-family')
    primaryId: splitIds.some((id) => id.startsWith('unseen-')) ? 'in-distribution' : 'in-family',
    primaryLabel: splitLabel(
      'in-family',
      runs,
      splitIds.some((id) => id.startsWith('unseen-')),
    ),
    splits: splitIds.map((id) => ({ id, label: splitLabel(id, runs) })),
    ...(options.gridKeys?.length ? { grid: { keys: options.gridKeys, points, metric: chosen } } : {}),
    notes: [
      ...(options.notes ?? []),
      `runs: ${runs.map((r) => `${r.name}=${r.hash.slice(0, 12)}`).join(', ')}`,
      ...missing.map((m) => `missing: ${m}`),
    ],
  });
  const { markdown, html } = await renderReport(input);
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const markdownPath = join(outDir, 'report.md');
  const htmlPath = join(outDir, 'report.html');
  await writeFile(markdownPath, markdown);
  await writeFile(htmlPath, html);
  return { markdownPath, htmlPath, variants: byVariant.size, runs: runs.length - missing.length, missing };
}

/** A path as the report shows it: relative to the working directory when inside it (no home folders in a shared report). */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export async function writeSweepReport(
  sweep: Sweep,
  options: { runsDir?: string; outDir?: string; metric?: string } = {},
): Promise<WrittenReport> {
  return writeReport(
    `ecode sweep ${sweep.name}`,
    sweep.runs.map((r) => ({
      name: r.name,
      variant: r.variant,
      seed: r.seed,
      hash: r.hash,
      config: r.config,
      group: r.group,
      ...(r.point.length ? { point: Object.fromEntries(r.point.map((p) => [p.key, p.value])) } : {}),
    })),
    {
      runsDir: options.runsDir,
      outDir: options.outDir ?? join('reports', sweep.name),
      notes: [
        `sweep file: ${displayPath(sweep.file)}`,
        `seeds: ${sweep.seeds.join(', ')}`,
        ...(sweep.overrides.length ? [`overrides: ${sweep.overrides.join(' ')}`] : []),
      ],
      gridKeys: sweep.gridKeys,
      metric: options.metric,
    },
  );
}

/**
 * The FINISHED runs of an MLflow experiment (found through their config-hash tags), optionally
 * only those matching an MLflow search filter. Runs of different origins: test problems must match.
 */
export async function writeExperimentReport(
  experimentName: string,
  options: { trackingUri?: string; runsDir?: string; outDir?: string; filter?: string; metric?: string } = {},
): Promise<WrittenReport> {
  const clauses = options.filter ? parseFilter(options.filter) : [];
  const tracker = createTracker(options.trackingUri);
  const exp = await tracker.getExperimentByName(experimentName);
  if (!exp) throw new Error(`report: no MLflow experiment named '${experimentName}' at ${tracker.uri}`);
  const found = (await tracker.searchRuns({ experimentIds: [exp.experimentId], status: 'FINISHED' })).filter((r) =>
    matchesFilter(r, clauses),
  );
  const seen = new Set<string>();
  const runs: FoundRun[] = [];
  for (const r of found) {
    const hash = r.data.tags[TAG_CONFIG_HASH];
    if (!hash || seen.has(hash)) continue;
    seen.add(hash);
    const root = runPaths(hash, options.runsDir).root;
    if (!existsSync(join(root, 'config.json'))) continue;
    const run = await findRun(root, { runsDir: options.runsDir });
    runs.push({
      ...run,
      ref: r.info.runId,
      name: r.info.runName || run.name,
      variant: r.data.tags[TAG_VARIANT] ?? run.variant,
    });
  }
  if (runs.length === 0)
    throw new Error(
      `report: experiment '${experimentName}' has no FINISHED ecode runs with local results${options.filter ? ` matching --filter ${options.filter}` : ''}`,
    );
  runs.sort((a, b) => (a.name < b.name ? -1 : 1));
  return writeReport(`ecode experiment ${experimentName}`, groupRuns(runs), {
    runsDir: options.runsDir,
    outDir: options.outDir ?? join('reports', experimentName),
    strictPairing: true,
    metric: options.metric,
    notes: [
      `MLflow experiment ${experimentName} (${exp.experimentId}) at ${tracker.uri}${options.filter ? `, filter: ${options.filter}` : ''}`,
    ],
  });
}

/** A report over runs named on the command line (hash, MLflow run id or folder), from any sweeps. */
export async function writeRunsReport(
  refs: string[],
  options: { baseline?: string; trackingUri?: string; runsDir?: string; outDir?: string; metric?: string } = {},
): Promise<WrittenReport> {
  const opts = { runsDir: options.runsDir, trackingUri: options.trackingUri };
  const runs: FoundRun[] = [];
  for (const ref of refs) runs.push(await findRun(ref, opts));
  const baseline = options.baseline ? await findRun(options.baseline, opts) : undefined;
  const grouped = groupRuns(runs, baseline);
  return writeReport(`ecode report: ${new Set(grouped.map((r) => r.group)).size} variants`, grouped, {
    runsDir: options.runsDir,
    outDir: options.outDir ?? join('reports', 'runs'),
    strictPairing: true,
    metric: options.metric,
    notes: [
      `runs given: ${refs.join(' ')}${options.baseline ? `; baseline: ${options.baseline}` : ''}`,
      ...grouped.map((r) => `${r.group}: ${r.name} = ${r.ref} (${displayPath(r.root)})`),
    ],
  });
}
