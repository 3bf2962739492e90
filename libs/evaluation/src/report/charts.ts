/**
 * Vega-Lite chart specs for the report, compiled to Vega and rendered to SVG server-side
 * (headless View, renderer 'none', toSVG). Data is always inline: nothing is fetched.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { metricLabel } from './labels.js';
import type { Interval } from '../types.js';
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

/** A variant's metrics on a split (`undefined`: the first split). */
export function metricsOf(v: ReportInput['variants'][number], split?: string): Record<string, Interval> {
  return (split === undefined ? v.metrics : v.splits?.[split]?.metrics) ?? {};
}

/** A label broken into lines of at most `width` characters (at spaces), so no chart cuts it off. */
export function wrapLabel(label: string, width = 26): string {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Facet headers that wrap at the `\n`s of wrapLabel instead of being cut with an ellipsis. */
const WRAPPED_HEADER = { labelLimit: 0, labelExpr: "split(datum.value, '\\n')", labelFontSize: 12 } as const;

const intervalRow = (iv: Interval) => ({
  estimate: iv.estimate,
  lower: Number.isFinite(iv.lower) ? iv.lower : iv.estimate,
  upper: Number.isFinite(iv.upper) ? iv.upper : iv.estimate,
});

/**
 * Bars with interval whiskers, one panel per metric, for one split (`undefined`: the first).
 * The caller leaves out metrics that are the same for every variant (stated in one line instead).
 */
export function metricBarsSpec(
  input: ReportInput,
  metrics: readonly string[],
  split?: string,
): TopLevelSpec | undefined {
  const values = input.variants.flatMap((v) =>
    metrics.flatMap((m) => {
      const iv = metricsOf(v, split)[m];
      if (!iv || !Number.isFinite(iv.estimate)) return [];
      return [{ variant: v.name, metric: wrapLabel(metricLabel(m)), ...intervalRow(iv) }];
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
      sort: metrics.map((m) => wrapLabel(metricLabel(m))),
      header: WRAPPED_HEADER,
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
}

/**
 * The headline: the chosen metrics per variant with their intervals, one panel per metric, the
 * test splits side by side within a panel (each split where the metric differs between variants).
 */
export function headlineSpec(
  input: ReportInput,
  rows: Array<{ metric: string; split?: string; splitLabel: string }>,
): TopLevelSpec | undefined {
  const variantNames = input.variants.map((v) => v.name);
  const values = rows.flatMap((r) =>
    input.variants.flatMap((v) => {
      const iv = metricsOf(v, r.split)[r.metric];
      if (!iv || !Number.isFinite(iv.estimate)) return [];
      return [{ variant: v.name, metric: wrapLabel(metricLabel(r.metric)), split: r.splitLabel, ...intervalRow(iv) }];
    }),
  );
  if (values.length === 0) return undefined;
  const splits = [...new Set(values.map((v) => v.split))];
  const several = splits.length > 1;
  const metrics = [...new Set(values.map((v) => v.metric))];
  const pct = Math.round((input.confidence ?? 0.95) * 100);
  const colorField = several ? 'split' : 'variant';
  const color = {
    field: colorField,
    type: 'nominal' as const,
    sort: several ? splits : variantNames,
    ...(several ? { legend: { title: 'test split', orient: 'bottom' as const, labelLimit: 0 } } : { legend: null }),
  };
  return {
    $schema: SCHEMA,
    title: {
      text: `by variant; bars: estimate, whiskers: ${pct}% bootstrap interval`,
      fontSize: 11,
      fontWeight: 'normal',
      limit: 0,
    },
    data: { values },
    facet: { field: 'metric', type: 'nominal', title: null, sort: metrics, header: WRAPPED_HEADER },
    columns: 3,
    spec: {
      width: Math.max(220, 48 * variantNames.length * (several ? splits.length : 1)),
      height: 200,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: {
              field: 'variant',
              type: 'nominal',
              title: null,
              sort: variantNames,
              axis: { labelAngle: -30, labelLimit: 0 },
            },
            ...(several ? { xOffset: { field: 'split', type: 'nominal', sort: splits } } : {}),
            y: { field: 'estimate', type: 'quantitative', title: null, axis: { format: '~r' } },
            color,
          },
        },
        {
          mark: { type: 'rule', strokeWidth: 1.5, color: '#222' },
          encoding: {
            x: { field: 'variant', type: 'nominal', sort: variantNames },
            ...(several ? { xOffset: { field: 'split', type: 'nominal', sort: splits } } : {}),
            y: { field: 'lower', type: 'quantitative' },
            y2: { field: 'upper' },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/**
 * Parallel coordinates of a grid: one axis per swept key and one for the metric, one line per
 * variant-point, coloured by the metric. Numeric axes are min-max scaled; other values are
 * spread evenly in their sorted order; each point is labelled with its value.
 */
export function gridSpec(input: ReportInput): TopLevelSpec | undefined {
  const grid = input.grid;
  if (!grid || grid.keys.length === 0) return undefined;
  const metric = grid.metric ?? 'allPassRate';
  const rows = input.variants.flatMap((v) => {
    const iv = v.metrics[metric];
    const point = grid.points[v.name];
    return point && iv && Number.isFinite(iv.estimate) ? [{ variant: v.name, point, value: iv.estimate }] : [];
  });
  if (rows.length === 0) return undefined;
  const axes = [...grid.keys, metricLabel(metric)];
  const column = (axis: string, i: number): unknown[] =>
    rows.map((r) => (i < grid.keys.length ? r.point[axis] : r.value));
  const values = axes.flatMap((axis, i) => {
    const col = column(axis, i);
    const numeric = col.every((x) => typeof x === 'number' && Number.isFinite(x));
    const nums = col as number[];
    const lo = numeric ? Math.min(...nums) : 0;
    const hi = numeric ? Math.max(...nums) : 0;
    const order = [...new Set(col.map((x) => JSON.stringify(x)))].sort();
    return rows.map((r, j) => {
      const x = col[j];
      const pos = numeric
        ? hi === lo
          ? 0.5
          : ((x as number) - lo) / (hi - lo)
        : order.length === 1
          ? 0.5
          : order.indexOf(JSON.stringify(x)) / (order.length - 1);
      const text =
        typeof x === 'number'
          ? Math.abs(x) < 1e-3 && x !== 0
            ? x.toExponential(2)
            : String(Number(x.toPrecision(4)))
          : typeof x === 'string'
            ? x
            : JSON.stringify(x);
      return { variant: r.variant, axis: wrapLabel(axis, 22), pos, text, metric: r.value };
    });
  });
  const axisOrder = axes.map((a) => wrapLabel(a, 22));
  const x = {
    field: 'axis',
    type: 'nominal' as const,
    sort: axisOrder,
    title: null,
    axis: { labelAngle: 0, labelLimit: 0, labelExpr: "split(datum.value, '\\n')", orient: 'top' as const },
  };
  const y = { field: 'pos', type: 'quantitative' as const, axis: null, scale: { domain: [0, 1] } };
  return {
    $schema: SCHEMA,
    title: { text: `Grid: swept keys against ${metricLabel(metric)}`, limit: 0 },
    width: Math.max(360, 170 * axes.length),
    height: 260,
    data: { values },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2, opacity: 0.8 },
        encoding: {
          x,
          y,
          detail: { field: 'variant', type: 'nominal' },
          color: {
            field: 'metric',
            type: 'quantitative',
            title: metricLabel(metric),
            legend: { orient: 'right', titleLimit: 0 },
          },
        },
      },
      { mark: { type: 'point', filled: true, size: 40, color: '#333' }, encoding: { x, y } },
      { mark: { type: 'text', align: 'left', dx: 6, fontSize: 10 }, encoding: { x, y, text: { field: 'text' } } },
    ],
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
