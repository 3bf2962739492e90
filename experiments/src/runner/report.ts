/**
 * `ecode report`: gathers the finished runs of a sweep (or of an MLflow experiment), pools each
 * variant's seeds, and writes the comparison report as Markdown and a self-contained HTML page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ExperimentConfig, Sweep } from '@ecode/config';
import {
  buildReportInput,
  evaluatePrograms,
  perProgramCodeBleu,
  renderReport,
  type Evaluation,
  type TrainingPoint,
} from '@ecode/evaluation';
import { createTracker, TAG_CONFIG_HASH, TAG_VARIANT } from '@ecode/tracking';
import { readTrainMetrics } from './run-experiment.js';
import { runPaths } from './run-paths.js';
import { METRIC_NAMES, measureName, testSplitOf, type JudgedRecord } from './stages.js';

export interface ReportRun {
  name: string;
  variant: string;
  seed: number;
  hash: string;
  config: ExperimentConfig;
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

/** The order further test splits are reported in. */
const SPLIT_ORDER = ['unseen-combination', 'unseen-idiom', 'held-out'];

export async function writeReport(
  title: string,
  runs: ReportRun[],
  options: { runsDir?: string; outDir: string; notes?: string[] },
): Promise<WrittenReport> {
  const missing: string[] = [];
  const byVariant = new Map<string, { judged: JudgedRecord[]; curves: TrainingPoint[][]; runs: ReportRun[] }>();
  for (const run of runs) {
    const paths = runPaths(run.hash, options.runsDir);
    if (!existsSync(paths.judged)) {
      missing.push(`${run.name} (${run.hash.slice(0, 12)}): no judged results in ${paths.root}`);
      continue;
    }
    const v = byVariant.get(run.variant) ?? { judged: [], curves: [], runs: [] };
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
    byVariant.set(run.variant, v);
  }
  if (byVariant.size === 0) throw new Error(`report ${title}: no finished runs with results\n${missing.join('\n')}`);
  const first = runs[0].config;
  const evaluateJudged = async (judged: JudgedRecord[], config: ExperimentConfig): Promise<Evaluation> => {
    const extra: Record<string, Array<number | undefined>> = {};
    if (first.evaluation.metrics.includes('codebleu')) extra.codeBleu = await perProgramCodeBleu(judged);
    if (judged.some((j) => j.predictedCost !== undefined))
      extra.predictedSpeedupUncompiled = judged.map((j) =>
        j.predictedCost !== undefined && j.icCost !== undefined ? j.icCost / j.predictedCost : undefined,
      );
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
    heldOutEvaluation?: Evaluation;
    splitEvaluations?: Record<string, Evaluation>;
    trainingCurve: TrainingPoint[];
  }> = [];
  // Every test split is evaluated (and bootstrapped) apart: the main one (in-family, or
  // in-distribution for the idiom corpus), held-out families, unseen combinations, unseen idioms.
  const splitNames = [...new Set([...byVariant.values()].flatMap((v) => v.judged.map(testSplitOf)))]
    .filter((s) => s !== 'in-family')
    .sort((a, b) => SPLIT_ORDER.indexOf(a) - SPLIT_ORDER.indexOf(b) || a.localeCompare(b));
  const corpus = splitNames.some((s) => s.startsWith('unseen-'));
  for (const [name, v] of byVariant) {
    const inFamily = v.judged.filter((j) => testSplitOf(j) === 'in-family');
    const evaluation = await evaluateJudged(inFamily, v.runs[0].config);
    const splitEvaluations: Record<string, Evaluation> = {};
    for (const s of splitNames) {
      const js = v.judged.filter((j) => testSplitOf(j) === s);
      if (js.length) splitEvaluations[s] = await evaluateJudged(js, v.runs[0].config);
    }
    variants.push({ name, evaluation, splitEvaluations, trainingCurve: meanCurve(v.curves) });
  }
  const heldOutFamilies = [...new Set(runs.flatMap((r) => r.config.data.heldOutFamilies ?? []))];
  const splitLabels: Record<string, string> = Object.fromEntries(
    splitNames.map((s) => [
      s,
      s === 'held-out'
        ? `held-out families (${heldOutFamilies.join(', ')})`
        : s === 'unseen-combination'
          ? 'unseen combinations (trained idioms in contexts they were not trained in)'
          : s === 'unseen-idiom'
            ? 'unseen idioms (held out of training by each seed)'
            : s,
    ]),
  );
  const metrics = first.evaluation.metrics.map((m) => METRIC_NAMES[m]).filter((m): m is string => Boolean(m));
  // Predicted (not measured) speedups of outputs that do not compile, shown apart when present.
  if (variants.some((v) => v.evaluation.metrics.predictedSpeedupUncompiled)) metrics.push('predictedSpeedupUncompiled');
  const input = buildReportInput(title, variants, {
    seed: first.experiment.seed,
    resamples: first.evaluation.bootstrapSamples,
    metrics,
    splitLabels,
    mainSplitLabel: corpus ? 'in-distribution' : 'in-family',
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
  options: { runsDir?: string; outDir?: string } = {},
): Promise<WrittenReport> {
  return writeReport(
    `ecode sweep ${sweep.name}`,
    sweep.runs.map((r) => ({ name: r.name, variant: r.variant, seed: r.seed, hash: r.hash, config: r.config })),
    {
      runsDir: options.runsDir,
      outDir: options.outDir ?? join('reports', sweep.name),
      notes: [`sweep file: ${displayPath(sweep.file)}`, `seeds: ${sweep.seeds.join(', ')}`],
    },
  );
}

/** The FINISHED runs of an MLflow experiment (found through their config-hash tags). */
export async function writeExperimentReport(
  experimentName: string,
  options: { trackingUri?: string; runsDir?: string; outDir?: string } = {},
): Promise<WrittenReport> {
  const tracker = createTracker(options.trackingUri);
  const exp = await tracker.getExperimentByName(experimentName);
  if (!exp) throw new Error(`report: no MLflow experiment named '${experimentName}' at ${tracker.uri}`);
  const found = await tracker.searchRuns({ experimentIds: [exp.experimentId], status: 'FINISHED' });
  const seen = new Set<string>();
  const runs: ReportRun[] = [];
  for (const r of found) {
    const hash = r.data.tags[TAG_CONFIG_HASH];
    if (!hash || seen.has(hash)) continue;
    seen.add(hash);
    const paths = runPaths(hash, options.runsDir);
    if (!existsSync(paths.config)) continue;
    const config = JSON.parse(readFileSync(paths.config, 'utf8')) as ExperimentConfig;
    runs.push({
      name: r.info.runName,
      variant: r.data.tags[TAG_VARIANT] ?? config.model.variant,
      seed: config.experiment.seed,
      hash,
      config,
    });
  }
  if (runs.length === 0)
    throw new Error(`report: experiment '${experimentName}' has no FINISHED ecode runs with local results`);
  runs.sort((a, b) => (a.name < b.name ? -1 : 1));
  return writeReport(`ecode experiment ${experimentName}`, runs, {
    runsDir: options.runsDir,
    outDir: options.outDir ?? join('reports', experimentName),
    notes: [`MLflow experiment ${experimentName} (${exp.experimentId}) at ${tracker.uri}`],
  });
}
