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

export function trainingCurveSpec(input: ReportInput): TopLevelSpec | undefined {
  const values = input.variants.flatMap((v) =>
    thin((v.trainingCurve ?? []).filter((p) => Number.isFinite(p.loss))).map((p) => ({
      variant: v.name,
      step: p.step,
      loss: p.loss,
    })),
  );
  if (values.length === 0) return undefined;
  return {
    $schema: SCHEMA,
    title: 'Training loss',
    width: 560,
    height: 260,
    data: { values },
    mark: { type: 'line', point: values.length <= 60 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } },
      color: { field: 'variant', type: 'nominal', sort: input.variants.map((v) => v.name) },
    },
  };
}

export function metricBarsSpec(input: ReportInput, metrics: readonly string[]): TopLevelSpec | undefined {
  const values = input.variants.flatMap((v) =>
    metrics.flatMap((m) => {
      const iv = v.metrics[m];
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
  if (values.length === 0) return undefined;
  const variantNames = input.variants.map((v) => v.name);
  const pct = Math.round((input.confidence ?? 0.95) * 100);
  return {
    $schema: SCHEMA,
    title: `Metrics by variant (bars: estimate; whiskers: ${pct}% bootstrap interval)`,
    data: { values },
    facet: {
      field: 'metric',
      type: 'nominal',
      title: null,
      sort: metrics.map(metricLabel),
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
            y: { field: 'estimate', type: 'quantitative', title: null },
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
