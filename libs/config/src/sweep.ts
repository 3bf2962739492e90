/**
 * Sweep expansion: base x variants x seeds -> fully resolved run configs, each with its
 * canonical hash (the identity a runner resumes by). Run order: variants in file order, then seeds.
 */
import * as nodePath from 'node:path';
import { hashResolved } from './canonical.js';
import { describeValue } from './describe.js';
import { childPointer, getAt } from './json-path.js';
import { resolveLayers } from './load-config.js';
import { distributionProblem, expandGrid, pointLabel, samplePoints, type GridPoint, type SampleSpec } from './grid.js';
import { isPlainObject, mergeLayers, type MergedValue } from './merge.js';
import { argumentLocation, type ConfigOverride } from './overrides.js';
import { ConfigError, formatProblem, type ConfigProblem, type SourceLocation } from './problems.js';
import type { ExperimentConfig } from './schema.js';
import { displayName, loadLayerChain, readLocatedYaml, type LoadOptions } from './source-files.js';
import { SweepSchema, type SweepFile, type SweepQueueOptions } from './sweep-schema.js';
import { locate, problemAt, validateAgainst } from './validate.js';
import type { LocatedValue } from './yaml-source.js';

export interface SweepRun {
  /** `<variant>-s<seed>`, or `<variant>-<point>-s<seed>` in a grid: unique within the sweep. */
  name: string;
  variant: string;
  seed: number;
  /** The grid / sample point (dotted key -> value); empty without a grid. */
  point: GridPoint;
  /** What the report pools seeds by: the variant, with its point (`e-code-lr=0.001`). */
  group: string;
  config: ExperimentConfig;
  hash: string;
}

export interface Sweep {
  name: string;
  description?: string;
  /** Absolute path of the sweep file and of its base config. */
  file: string;
  base: string;
  variants: string[];
  seeds: number[];
  /** The keys a grid or sample varies (file's, then --grid's), in order; empty without. */
  gridKeys: string[];
  /** Command-line overrides applied to every run, as given. */
  overrides: string[];
  runs: SweepRun[];
  /** Retry policy for `ecode sweep --queue` (the file's `queue:` with defaults filled in). */
  queue: SweepQueueOptions;
}

/** The part of a located file under `pointer`, re-rooted there. */
function subLayer(source: LocatedValue, pointer: string): LocatedValue {
  const re = (m: Map<string, SourceLocation>) =>
    new Map(
      [...m]
        .filter(([k]) => k === pointer || k.startsWith(pointer + '/'))
        .map(([k, v]) => [k.slice(pointer.length), v] as const),
    );
  return {
    file: source.file,
    value: getAt(source.value, pointer),
    keyLocs: re(source.keyLocs),
    valueLocs: re(source.valueLocs),
  };
}

const VARIANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface SweepExtras {
  /** Command-line overrides, applied to every run last. */
  overrides?: readonly ConfigOverride[];
  /** `--grid key=v1,v2` from the command line: added to (or replacing a key of) the file's grid. */
  grid?: ReadonlyArray<{ key: string; values: unknown[]; label: string }>;
}

/** The sweep's points: grid x sample, each value as an override located where it was written. */
function sweepPoints(
  sweepFile: SweepFile,
  located: MergedValue,
  extras: SweepExtras,
  problems: ConfigProblem[],
): { points: Array<{ point: GridPoint; overrides: ConfigOverride[] }>; keys: string[] } {
  const where = new Map<string, SourceLocation>();
  const grid: Record<string, unknown[]> = {};
  for (const [key, values] of Object.entries(sweepFile.grid ?? {})) {
    grid[key] = values;
    where.set(key, locate(located, childPointer('/grid', key), true));
  }
  for (const g of extras.grid ?? []) {
    grid[g.key] = g.values;
    where.set(g.key, argumentLocation(g.label));
  }
  let samples: GridPoint[] = [[]];
  if (sweepFile.sample) {
    for (const [key, d] of Object.entries(sweepFile.sample.parameters)) {
      const pointer = childPointer('/sample/parameters', key);
      where.set(key, locate(located, pointer, true));
      const why = distributionProblem(d);
      if (why) problems.push(problemAt(located, pointer, 'type', why));
      if (key in grid)
        problems.push(
          problemAt(located, pointer, 'constraint', `${key} is in grid too, expected each key in one of them`, {
            preferKey: true,
          }),
        );
    }
    if (problems.length === 0) samples = samplePoints(sweepFile.sample as SampleSpec);
  }
  const points = expandGrid(grid).flatMap((g) => samples.map((s) => [...g, ...s]));
  const keys = [...Object.keys(grid), ...Object.keys(sweepFile.sample?.parameters ?? {})];
  return {
    keys,
    points: points.map((point) => ({
      point,
      overrides: point.map(({ key, value }) => ({
        op: 'set' as const,
        key,
        value,
        text: `${key}=${JSON.stringify(value)}`,
        at: where.get(key)!,
      })),
    })),
  };
}

/** Expands a sweep without throwing: every problem found, and the sweep when there are none. */
export function inspectSweepFile(
  path: string,
  opts: LoadOptions = {},
  extras: SweepExtras = {},
): { problems: ConfigProblem[]; sweep?: Sweep } {
  const abs = nodePath.resolve(opts.cwd ?? process.cwd(), path);
  const dir = nodePath.dirname(abs);
  const { source, problems } = readLocatedYaml(abs, opts);
  if (!source || problems.length > 0) return { problems };
  const root = { file: source.file, line: 1, column: 1 };
  const sweepMerged = mergeLayers([source], root);
  if (!isPlainObject(source.value)) {
    return {
      problems: [
        {
          ...root,
          kind: 'type',
          path: '',
          message: `found ${describeValue(source.value)} at the top level, expected a sweep mapping (name, base, variants, seeds)`,
        },
      ],
    };
  }
  const checked = validateAgainst<SweepFile>(SweepSchema, sweepMerged);
  problems.push(...checked.problems);
  const sweepFile = checked.value;
  const variants = isPlainObject(sweepFile.variants) ? Object.entries(sweepFile.variants) : [];
  for (const [name, v] of variants) {
    const pointer = childPointer('/variants', name);
    if (!VARIANT_NAME.test(name)) {
      problems.push(
        problemAt(
          sweepMerged,
          pointer,
          'constraint',
          `found variant name ${JSON.stringify(name)}, expected letters, digits, _ . - (starting with a letter or digit)`,
          { preferKey: true },
        ),
      );
    }
    if (typeof v !== 'string' && !isPlainObject(v)) {
      problems.push(
        problemAt(
          sweepMerged,
          pointer,
          'type',
          `found ${describeValue(v)}, expected a config file path or an overlay mapping`,
        ),
      );
    }
  }
  const { points, keys: gridKeys } = sweepPoints(sweepFile, sweepMerged, extras, problems);
  if (problems.length > 0) return { problems };

  const baseAbs = nodePath.resolve(dir, sweepFile.base);
  const base = loadLayerChain(baseAbs, opts, [], sweepMerged.valueLocs.get('/base'));
  const overrides = sweepFile.overrides ? [subLayer(source, '/overrides')] : [];
  const runs: SweepRun[] = [];
  const seenProblems = new Set<string>();
  const report = (p: ConfigProblem) => {
    const key = formatProblem(p);
    if (!seenProblems.has(key)) {
      seenProblems.add(key);
      problems.push(p);
    }
  };
  base.problems.forEach(report);
  if (base.problems.some((p) => p.kind === 'syntax')) return { problems };
  const byHash = new Map<string, string>();
  for (const [variant, v] of variants) {
    const pointer = childPointer('/variants', variant);
    let variantLayers: LocatedValue[];
    if (typeof v === 'string') {
      const chain = loadLayerChain(nodePath.resolve(dir, v), opts, [], sweepMerged.valueLocs.get(pointer));
      chain.problems.forEach(report);
      if (chain.problems.length > 0) continue; // its runs would only repeat the file's problems
      variantLayers = chain.layers;
    } else {
      variantLayers = [subLayer(source, pointer)];
    }
    for (const { point, overrides: pointOverrides } of points)
      sweepFile.seeds.forEach((seed, i) => {
        const seedLoc = sweepMerged.valueLocs.get(`/seeds/${i}`) ?? root;
        const seedLayer: LocatedValue = {
          file: source.file,
          value: { experiment: { seed } },
          keyLocs: new Map(),
          valueLocs: new Map([['/experiment/seed', seedLoc]]),
        };
        const res = resolveLayers(
          [...base.layers, ...variantLayers, ...overrides, seedLayer],
          { file: displayName(baseAbs, opts.cwd), line: 1, column: 1 },
          [...pointOverrides, ...(extras.overrides ?? [])],
        );
        res.problems.forEach(report);
        if (res.problems.length > 0) return;
        const group = point.length ? `${variant}-${pointLabel(point)}` : variant;
        const name = `${group}-s${seed}`;
        const config = res.config;
        config.experiment.name = `${sweepFile.name}-${name}`;
        config.experiment.tags = [
          ...config.experiment.tags.filter((t) => !t.startsWith('sweep=') && !t.startsWith('variant=')),
          `sweep=${sweepFile.name}`,
          `variant=${variant}`,
          ...(point.length ? [`point=${pointLabel(point)}`] : []),
        ];
        const hash = hashResolved(config);
        const twin = byHash.get(hash);
        if (twin) {
          report(
            problemAt(
              sweepMerged,
              pointer,
              'constraint',
              `run ${name} resolves to the same config as run ${twin} (hash ${hash.slice(0, 12)}), expected every run to differ`,
              { preferKey: true },
            ),
          );
        }
        byHash.set(hash, name);
        runs.push({ name, variant, seed, point, group, config, hash });
      });
  }
  if (problems.length > 0) return { problems };
  const sweep: Sweep = {
    name: sweepFile.name,
    file: abs,
    base: baseAbs,
    variants: variants.map(([n]) => n),
    seeds: sweepFile.seeds,
    gridKeys,
    overrides: (extras.overrides ?? []).map((o) => o.text),
    runs,
    queue: {
      attempts: sweepFile.queue?.attempts ?? 3,
      backoff: {
        type: sweepFile.queue?.backoff?.type ?? 'exponential',
        delaySeconds: sweepFile.queue?.backoff?.delaySeconds ?? 30,
      },
    },
  };
  if (sweepFile.description !== undefined) sweep.description = sweepFile.description;
  return { problems: [], sweep };
}

/** Expands a sweep file; throws ConfigError listing every problem of the sweep and its configs. */
export function loadSweep(path: string, opts: LoadOptions = {}, extras: SweepExtras = {}): Sweep {
  const { problems, sweep } = inspectSweepFile(path, opts, extras);
  if (!sweep) throw new ConfigError(problems, 'sweep');
  return sweep;
}

/** A sweep file is recognised by its top-level `variants` key. */
export function isSweepValue(value: unknown): boolean {
  return isPlainObject(value) && 'variants' in value;
}
