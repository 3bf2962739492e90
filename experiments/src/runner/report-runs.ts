/**
 * `ecode report --runs <hash | MLflow run id | run folder>... [--baseline X]`: a report over any
 * runs, from any sweeps or none. Runs whose configs differ only in `experiment.seed` (and labels)
 * are seeds of one variant and are pooled; the others are variants of their own, named by their
 * variant tag (made unique with the run's name where two differ).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { canonicalHash, resolveConfig, type ExperimentConfig } from '@ecode/config';
import { createTracker, TAG_CONFIG_HASH, TAG_VARIANT } from '@ecode/tracking';
import { runPaths } from './run-paths.js';
import { readRunStatus } from './run-status.js';
import type { ReportRun } from './report.js';

/** A run named on the command line, found on disk. */
export interface FoundRun extends ReportRun {
  /** The run folder (config.json, judged.jsonl, ...). */
  root: string;
  /** How it was named on the command line. */
  ref: string;
}

function fromFolder(root: string, ref: string, tagVariant?: string): FoundRun {
  const configPath = join(root, 'config.json');
  let config: ExperimentConfig;
  try {
    config = resolveConfig(JSON.parse(readFileSync(configPath, 'utf8')), configPath);
  } catch (err) {
    throw new Error(
      `--runs ${ref}: ${configPath} is not a run's config (${(err as Error).message.replace(/\n/g, '; ')})`,
    );
  }
  const hash = canonicalHash(config);
  const status = readRunStatus(join(root, 'status.json'));
  const variant = status?.variant || tagVariant || config.model.variant;
  return {
    ref,
    root,
    hash,
    config,
    variant,
    seed: config.experiment.seed,
    name: status?.name || `${variant}-s${config.experiment.seed}`,
  };
}

/**
 * A run named by its folder, its config hash (or a unique prefix of at least 6 characters) in
 * `runsDir`, or its MLflow run id (whose config-hash tag names the folder).
 */
export async function findRun(ref: string, opts: { runsDir?: string; trackingUri?: string } = {}): Promise<FoundRun> {
  const runsDir = resolve(opts.runsDir ?? 'runs');
  const asPath = resolve(ref);
  if (existsSync(asPath) && statSync(asPath).isDirectory()) {
    if (!existsSync(join(asPath, 'config.json')))
      throw new Error(`--runs ${ref}: ${asPath} has no config.json: not a run folder`);
    return fromFolder(asPath, ref);
  }
  // A hash or a prefix of one, alone (in runsDir) or as a path (runs/1a2b3c4d).
  const prefix = basename(ref);
  const inDir = ref.includes('/') ? dirname(asPath) : runsDir;
  if (/^[0-9a-f]{6,64}$/.test(prefix) && existsSync(inDir)) {
    const matches = readdirSync(inDir).filter((d) => d.startsWith(prefix) && existsSync(join(inDir, d, 'config.json')));
    if (matches.length > 1)
      throw new Error(
        `--runs ${ref}: the prefix matches ${matches.length} runs in ${inDir} (${matches.map((m) => m.slice(0, 12)).join(', ')}); give more characters`,
      );
    if (matches.length === 1) return fromFolder(join(inDir, matches[0]), ref);
  }
  if (/^[0-9a-zA-Z_-]{8,64}$/.test(ref)) {
    const tracker = createTracker(opts.trackingUri);
    let run;
    try {
      run = await tracker.getRun(ref);
    } catch {
      run = undefined;
    }
    if (run) {
      const hash = run.data.tags[TAG_CONFIG_HASH];
      if (!hash) throw new Error(`--runs ${ref}: MLflow run ${ref} has no ${TAG_CONFIG_HASH} tag: not an ecode run`);
      const root = runPaths(hash, runsDir).root;
      if (!existsSync(join(root, 'config.json')))
        throw new Error(
          `--runs ${ref}: MLflow run ${ref} (hash ${hash.slice(0, 12)}) has no run folder at ${root}; pass --runs-dir`,
        );
      const found = fromFolder(root, ref, run.data.tags[TAG_VARIANT]);
      return { ...found, name: run.info.runName || found.name };
    }
  }
  throw new Error(
    `--runs ${ref}: not a run folder, a config hash (or prefix) in ${runsDir}, or an MLflow run id at ${createTracker(opts.trackingUri).uri}`,
  );
}

/** The config without what tells seeds and labels apart: runs equal here are seeds of one variant. */
function variantKey(config: ExperimentConfig): string {
  const c = JSON.parse(JSON.stringify(config)) as ExperimentConfig;
  c.experiment.seed = 0;
  return canonicalHash(c);
}

/**
 * Groups runs into variants (seeds pooled), labels them uniquely, and puts the baseline's
 * variant first. Returns the runs with `group` set, in report order.
 */
export function groupRuns(runs: FoundRun[], baseline?: FoundRun): FoundRun[] {
  const all = baseline && !runs.some((r) => r.hash === baseline.hash) ? [baseline, ...runs] : [...runs];
  const seen = new Set<string>();
  const unique = all.filter((r) => (seen.has(r.hash) ? false : (seen.add(r.hash), true)));
  const keys = new Map<string, FoundRun[]>();
  for (const r of unique) keys.set(variantKey(r.config), [...(keys.get(variantKey(r.config)) ?? []), r]);
  const groups = [...keys.values()];
  const byLabel = new Map<string, number>();
  for (const g of groups) byLabel.set(g[0].variant, (byLabel.get(g[0].variant) ?? 0) + 1);
  // A variant tag shared by several groups: their run names without the seed, else with the hash too.
  const stems = groups.map((g) => g[0].name.replace(/-s\d+$/, ''));
  const labelled = groups.map((g, i) => {
    const shared = (byLabel.get(g[0].variant) ?? 0) > 1;
    const stemUnique = stems.filter((s) => s === stems[i]).length === 1;
    const label = !shared ? g[0].variant : stemUnique ? stems[i] : `${stems[i]} (${g[0].hash.slice(0, 8)})`;
    return g.map((r) => ({ ...r, group: label }));
  });
  if (baseline) {
    const i = labelled.findIndex((g) => g.some((r) => r.hash === baseline.hash));
    labelled.unshift(...labelled.splice(i, 1));
  }
  return labelled.flat();
}
