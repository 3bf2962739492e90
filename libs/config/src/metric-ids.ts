/**
 * Metric ids: one camelCase string per metric, the same in a config's `evaluation.metrics`, the
 * keys of `evaluation.json`, the MLflow metric names (`test/allPassRate`) and a report's
 * `--metric`. @ecode/evaluation computes them (its README defines each); the list lives here
 * because a config is validated against it and this lib depends on nothing that computes them.
 *
 * Names used before the ids were unified are read, never written: `LEGACY_METRIC_NAMES` maps each
 * to its id, for old configs (kebab-case ids), old `evaluation.json` files and old MLflow runs.
 */

/** Every metric a config may ask for, in the order a report lists them. */
export const METRIC_IDS = [
  'passRate',
  'compileRate',
  'allPassRate',
  'bleu',
  'lineBleu',
  'codeBleu',
  'improvement',
  'speedup',
  'optRate',
  'npi',
  'net',
  'beyond',
] as const;

export type MetricId = (typeof METRIC_IDS)[number];

/**
 * A config's old metric ids (kebab-case) -> the ids. `bleu`, `speedup`, `npi`, `net` and `beyond`
 * were spelled as now. `ioccb` is not here: it was accepted but never computed (see
 * @ecode/evaluation, "Not implemented"); a config that lists it is told so.
 */
export const LEGACY_CONFIG_METRIC_IDS: Readonly<Record<string, MetricId>> = {
  'pass-rate': 'passRate',
  'compile-rate': 'compileRate',
  'pass-all': 'allPassRate',
  'line-bleu': 'lineBleu',
  codebleu: 'codeBleu',
  'efficiency-improvement': 'improvement',
  'percent-opt': 'optRate',
};

/**
 * Every old name -> its id: the config ids above, the all-pass rate's old name in `evaluation.json`
 * and MLflow (`strictPassRate`), and MLflow's old `pass_count` (`passCount` in `evaluation.json`).
 */
export const LEGACY_METRIC_NAMES: Readonly<Record<string, MetricId | 'passCount'>> = {
  ...LEGACY_CONFIG_METRIC_IDS,
  strictPassRate: 'allPassRate',
  pass_count: 'passCount',
};

/** The id an old metric name stands for; any other name unchanged. */
export function metricIdOf(name: string): string {
  return Object.hasOwn(LEGACY_METRIC_NAMES, name) ? LEGACY_METRIC_NAMES[name] : name;
}

/**
 * An MLflow metric key (`test/strictPassRate_ci_low`, `heldout/easy/pass_count`) with each old
 * metric name in it read as its id (`test/allPassRate_ci_low`).
 */
export function metricKeyOf(key: string): string {
  return key
    .split('/')
    .map((seg) => {
      const m = /^(.*?)(_ci_low|_ci_high)?$/.exec(seg) as RegExpExecArray;
      return metricIdOf(m[1]) + (m[2] ?? '');
    })
    .join('/');
}

const HASH_SPELLING: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LEGACY_CONFIG_METRIC_IDS).map(([old, id]) => [id, old]),
);

/**
 * How the run hash spells a metric id: as configs did before the ids were unified, so that a
 * config computes the same thing and keeps its hash (and its run folder) whichever spelling it
 * uses. Only the hash reads this; nothing is written with these names.
 */
export function hashSpellingOf(id: string): string {
  return Object.hasOwn(HASH_SPELLING, id) ? HASH_SPELLING[id] : id;
}
