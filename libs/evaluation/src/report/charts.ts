/**
 * Vega-Lite chart specs for the report, compiled to Vega and rendered to SVG server-side
 * (headless View, renderer 'none', toSVG). Data is always inline: nothing is fetched.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { metricLabel } from './labels.js';
import type { ReportInput } from './types.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** At most `max` points, evenly strided, always keeping the last one (keeps the SVG small). */
export function thin<T>(points: readonly T[], max = 400): T[] {
  if (points.length <= max) return [...points];
  const stride = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % stride === 0);
  if ((points.length - 1) % stride !== 0) out.push(points[points.length - 1]);
  return out;
}

/** Training loss and validation loss side by side (the validation panel only when there is one). */
export function trainingCurveSpec(input: ReportInput): TopLevelSpec | undefined {
  const sort = input.variants.map((v) => v.name);
  const values = input.variants.flatMap((v) =>
    thin((v.trainingCurve ?? []).filter((p) => Number.isFinite(p.loss))).map((p) => ({
      variant: v.name,
      step: p.step,
      loss: p.loss,
    })),
  );
  if (values.length === 0) return undefined;
  const evalValues = input.variants.flatMap((v) =>
    thin((v.trainingCurve ?? []).filter((p) => p.evalLoss !== undefined && Number.isFinite(p.evalLoss))).map((p) => ({
      variant: v.name,
      step: p.step,
      loss: p.evalLoss as number,
    })),
  );
  const panel = (title: string, vals: typeof values) => ({
    title,
    width: 420,
    height: 240,
    data: { values: vals },
    mark: { type: 'line' as const, point: vals.length <= 60 },
    encoding: {
      x: { field: 'step', type: 'quantitative' as const, title: 'optimizer step' },
      y: { field: 'loss', type: 'quantitative' as const, title: 'loss', scale: { zero: false } },
      color: { field: 'variant', type: 'nominal' as const, sort },
    },
  });
  if (evalValues.length === 0) return { $schema: SCHEMA, ...panel('Training loss', values) };
  return {
    $schema: SCHEMA,
    hconcat: [panel('Training loss', values), panel('Validation loss', evalValues)],
    resolve: { scale: { color: 'shared' } },
  };
}

/**
 * Bars with interval whiskers, one panel per metric, for the main split (`in-family`) or a further
 * one by key (`held-out`, or a key of `ReportInput.splits`).
 * Metrics that are 0 for every variant get no panel (an empty panel with an axis of zeros says
 * nothing); the caption names them instead.
 */
export function metricBarsSpec(
  input: ReportInput,
  metrics: readonly string[],
  split = 'in-family',
): { spec: TopLevelSpec; caption: string } | undefined {
  const of = (v: ReportInput['variants'][number]) =>
    (split === 'in-family'
      ? v.metrics
      : (v.splits?.[split] ?? (split === 'held-out' ? v.heldOut : undefined))?.metrics) ?? {};
  const finite = (m: string) =>
    input.variants.flatMap((v) => {
      const iv = of(v)[m];
      return iv && Number.isFinite(iv.estimate) ? [iv] : [];
    });
  const allZero = metrics.filter((m) => {
    const ivs = finite(m);
    return ivs.length > 0 && ivs.every((iv) => iv.estimate === 0 && !(iv.upper > 0));
  });
  const shown = metrics.filter((m) => !allZero.includes(m));
  const values = input.variants.flatMap((v) =>
    shown.flatMap((m) => {
      const iv = of(v)[m];
      if (!iv || !Number.isFinite(iv.estimate)) return [];
      return [
        {
          variant: v.name,
          metric: metricLabel(m),
          estimate: iv.estimate,
          lower: Number.isFinite(iv.lower) ? iv.lower : iv.estimate,
          upper: Number.isFinite(iv.upper) ? iv.upper : iv.estimate,
        },
      ];
    }),
  );
  const caption = allZero.length ? `; 0 for every variant (no panel): ${allZero.map(metricLabel).join(', ')}` : '';
  if (values.length === 0) return undefined;
  const variantNames = input.variants.map((v) => v.name);
  const pct = Math.round((input.confidence ?? 0.95) * 100);
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: `Metrics by variant (bars: estimate; whiskers: ${pct}% bootstrap interval)`,
    data: { values },
    facet: {
      field: 'metric',
      type: 'nominal',
      title: null,
      sort: shown.map(metricLabel),
      header: { labelLimit: 200 },
    },
    columns: 4,
    spec: {
      width: 170,
      height: 170,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'variant', type: 'nominal', title: null, sort: variantNames },
            // '~r': no trailing zeros (an axis of 0.000000 ticks says nothing).
            y: { field: 'estimate', type: 'quantitative', title: null, axis: { format: '~r' } },
            color: { field: 'variant', type: 'nominal', legend: null, sort: variantNames },
          },
        },
        {
          mark: { type: 'rule', strokeWidth: 1.5 },
          encoding: {
            x: { field: 'variant', type: 'nominal', sort: variantNames },
            y: { field: 'lower', type: 'quantitative' },
            y2: { field: 'upper' },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
  return { spec, caption };
}

export function speedupDistributionSpec(input: ReportInput): TopLevelSpec | undefined {
  const values = input.variants.flatMap((v) =>
    (v.perProblemSpeedups ?? [])
      .filter((p) => Number.isFinite(p.speedup))
      .map((p) => ({ variant: v.name, problem: p.problemId, speedup: p.speedup })),
  );
  if (values.length === 0) return undefined;
  return {
    $schema: SCHEMA,
    title: `Per-problem speedup (IC / EC, ${input.measure.name}; failed or slower = 1)`,
    width: 560,
    height: { step: 36 },
    data: { values },
    layer: [
      {
        mark: { type: 'boxplot', extent: 'min-max', opacity: 0.5 },
        encoding: {
          y: { field: 'variant', type: 'nominal', title: null, sort: input.variants.map((v) => v.name) },
          x: { field: 'speedup', type: 'quantitative', title: 'speedup (log scale)', scale: { type: 'log' } },
          color: { field: 'variant', type: 'nominal', legend: null, sort: input.variants.map((v) => v.name) },
        },
      },
      {
        mark: { type: 'tick', opacity: 0.6, color: '#333' },
        encoding: {
          y: { field: 'variant', type: 'nominal', sort: input.variants.map((v) => v.name) },
          x: { field: 'speedup', type: 'quantitative' },
          tooltip: [{ field: 'problem' }, { field: 'speedup', format: '.3f' }],
        },
      },
    ],
  };
}
