/**
 * The comparison table: for every view of the held-out rows, the predictor and each baseline
 * (global mean, per-problem mean oracle, lines-of-code regression fitted on the training rows of
 * the same view) scored with the same metrics.
 */
import { globalMeanBaseline, linesOfCodeBaseline, problemMeanBaseline, type LabelledCode } from './baselines.js';
import { TIME_VIEWS, type TimeView } from './config.js';
import { costScores, type CostCache, type CostModel } from './cost-model.js';
import { timeMetrics, type TimeMetrics } from './metrics.js';
import type { TimeRow } from './timedb-row.js';

export const METHODS = ['model', 'cost_model', 'global_mean', 'problem_mean', 'loc'] as const;
export type Method = (typeof METHODS)[number];
export const METHOD_LABELS: Record<Method, string> = {
  model: 'predictor (transformer encoder)',
  cost_model: 'cost model alone (cost-structure features)',
  global_mean: 'global mean',
  problem_mean: 'per-problem mean (oracle)',
  loc: 'lines-of-code regression',
};

export interface EvaluationRow {
  view: TimeView;
  method: Method;
  metrics: TimeMetrics;
}

export interface EvaluationTable {
  split: string;
  rows: EvaluationRow[];
  /** The LOC fit per view (ln µs = intercept + slope * lines). */
  locFits: Record<string, { intercept: number; slope: number }>;
}

const labelled = (rows: TimeRow[], view: TimeView): LabelledCode[] =>
  rows.map((r) => ({ problemId: r.problemId, code: r.views[view], logTime: Math.log(Math.max(r.timeUs, 1)) }));

/**
 * `predictLog(codes)` gives the model's ln(µs). `train` fits the baselines; `evalRows` are scored.
 */
export function evaluateAgainstBaselines(
  train: TimeRow[],
  evalRows: TimeRow[],
  predictLog: (codes: string[]) => number[],
  split = 'test',
  views: readonly TimeView[] = TIME_VIEWS,
  /** When given, the cost model alone is scored too (its score around the training rows' mean ln µs). */
  cost?: { model: CostModel; cache?: CostCache },
): EvaluationTable {
  const rows: EvaluationRow[] = [];
  const locFits: EvaluationTable['locFits'] = {};
  for (const view of views) {
    const tr = labelled(train, view);
    const ev = labelled(evalRows, view);
    const score = (pred: number[]) =>
      timeMetrics(ev.map((e, i) => ({ problemId: e.problemId, trueLog: e.logTime, predLog: pred[i] })));
    const loc = linesOfCodeBaseline(tr);
    locFits[view] = { intercept: loc.intercept, slope: loc.slope };
    rows.push({ view, method: 'model', metrics: score(predictLog(ev.map((e) => e.code))) });
    if (cost) {
      const level = globalMeanBaseline(tr).mean;
      const base = costScores(
        cost.model,
        tr.map((r) => r.code),
        cost.cache,
      );
      const mid = base.reduce((a, b) => a + b, 0) / base.length;
      const s = costScores(
        cost.model,
        ev.map((e) => e.code),
        cost.cache,
      );
      rows.push({ view, method: 'cost_model', metrics: score(s.map((x) => level + x - mid)) });
    }
    rows.push({ view, method: 'global_mean', metrics: score(globalMeanBaseline(tr).predictLog(ev)) });
    rows.push({ view, method: 'problem_mean', metrics: score(problemMeanBaseline().predictLog(ev)) });
    rows.push({ view, method: 'loc', metrics: score(loc.predictLog(ev)) });
  }
  return { split, rows, locFits };
}

export function findRow(table: EvaluationTable, view: TimeView, method: Method): EvaluationRow | undefined {
  return table.rows.find((r) => r.view === view && r.method === method);
}
