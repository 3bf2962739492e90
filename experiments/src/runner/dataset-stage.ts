/**
 * Data stage: the problems a run trains and is judged on, with their splits. Synthetic data is
 * generated on demand (seeded, every solution verified) into the git-ignored
 * `datasets/generated/` and reused by every run that asks for the same problems and seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ExperimentConfig } from '@ecode/config';
import {
  assignSplits,
  importGec,
  listFamilies,
  newReadStats,
  readAllProblems,
  type Problem,
  type Split,
  SYNTHETIC_GENERATOR_VERSION,
  writeSynthetic,
} from '@ecode/data';
import { ByteLevelBpeTokenizer } from '@ecode/tokenizer';

export const GENERATED_DIR = 'datasets/generated';

export interface DatasetResult {
  path: string;
  problems: Problem[];
  /** train / valid / test hold only problems of the trained families. */
  bySplit: Record<Split, Problem[]>;
  /**
   * The second test split: every problem of `data.heldOutFamilies` (none of them is in train or
   * valid), sorted by id. Empty when the option is [] or the data has no families.
   */
  heldOut: Problem[];
  /** The held-out family names that the data has. */
  heldOutFamilies: string[];
  /**
   * Every test split beyond the main one, by name, in report order: `held-out` (the problems of
   * `data.heldOutFamilies`), or for corpus data `unseen-combination` and `unseen-idiom`. None of
   * their problems is in train or valid.
   */
  extraTests: ExtraTestSplit[];
  /** What the main test split is: `in-family`, or `in-distribution` for corpus data. */
  mainSplit: 'in-family' | 'in-distribution';
  /** Lines of the dataset file skipped as corrupt (each named in the log). */
  skipped: number;
}

export interface ExtraTestSplit {
  name: string;
  /** For reports, e.g. "unseen idioms (a, b)". */
  label: string;
  problems: Problem[];
}

export interface DatasetStageOptions {
  log?: (line: string) => void;
  /** Folder for generated datasets (default `datasets/generated` under the cwd). */
  generatedDir?: string;
  /** The config file's folder: relative `data.path`s resolve against it. */
  configDir?: string;
}

/** Creates `path` once even when several runs of a sweep ask for it at the same time. */
async function createOnce(
  path: string,
  make: (tmpPath: string) => Promise<void>,
  log: (l: string) => void,
): Promise<void> {
  if (existsSync(path)) return;
  await mkdir(dirname(path), { recursive: true });
  const lock = `${path}.lock`;
  let waitingSince = 0;
  let lastSaid = 0;
  for (;;) {
    try {
      const fh = await open(lock, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch {
      if (existsSync(path)) return;
      // One line, then how long so far every 30 s (not a line per poll).
      const now = Date.now();
      if (!waitingSince) {
        waitingSince = lastSaid = now;
        log(`waiting for another process to finish ${basename(path)} (lock ${lock})`);
      } else if (now - lastSaid >= 30_000) {
        lastSaid = now;
        log(`still waiting for ${basename(path)} (${Math.round((now - waitingSince) / 1000)} s so far)`);
      }
      await new Promise((r) => setTimeout(r, 2000));
      try {
        const pid = Number(readFileSync(lock, 'utf8'));
        if (pid && !processAlive(pid)) await rm(lock, { force: true });
      } catch {
        /* the lock went away meanwhile */
      }
    }
  }
  try {
    if (!existsSync(path)) await make(path);
  } finally {
    await rm(lock, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ensureSynthetic(config: ExperimentConfig, dir: string, log: (l: string) => void): Promise<string> {
  const n = config.data.synthetic.problems;
  const seed = config.data.synthetic.seed ?? config.experiment.seed;
  // The generator version is in the name: data of an older generator is never reused by mistake.
  // `generator: families` is version 1's 14 monolithic families (the demo's data).
  const families = config.data.synthetic.generator === 'families';
  const two = config.data.synthetic.twoIdiomShare ?? 0.2;
  const path = resolve(
    dir,
    families
      ? `synthetic-v1-families-${n}-seed${seed}.jsonl`
      : `synthetic-v${SYNTHETIC_GENERATOR_VERSION}-${n}-seed${seed}-two${two}.jsonl`,
  );
  await createOnce(
    path,
    async () => {
      log(`generating ${n} synthetic problems (seed ${seed}), every solution verified with python3`);
      let last = 0;
      await writeSynthetic(path, {
        problems: n,
        seed,
        ...(families ? { families: listFamilies().map((f) => f.name) } : { corpus: { twoIdiomShare: two } }),
        onProgress: (p) => {
          if (p.done - last >= Math.max(10, n / 10) || p.done === p.total) {
            last = p.done;
            log(`synthetic: ${p.done}/${p.total} problems verified (${p.droppedSolutions} solutions dropped)`);
          }
        },
      });
    },
    log,
  );
  return path;
}

async function ensureGec(
  config: ExperimentConfig,
  dir: string,
  configDir: string,
  log: (l: string) => void,
): Promise<string> {
  if (!config.data.path) throw new Error('data.path: the GEC folder is required when data.source is gec');
  const src = resolve(configDir, config.data.path);
  if (!existsSync(join(src, 'train')) && !existsSync(join(src, 'test')))
    throw new Error(`data.path: ${src} is not a GEC folder (no train/ or test/ inside); see datasets/README.md`);
  const { createHash } = await import('node:crypto');
  const key = createHash('sha256').update(src).digest('hex').slice(0, 12);
  const path = resolve(dir, `gec-${key}.jsonl`);
  await createOnce(
    path,
    async () => {
      log(`importing GEC from ${src}`);
      // The original filters by GPT-2 tokens: possible when the config names GPT-2's files.
      const files = config.tokenizer.code.files;
      let countTokens: ((code: string) => number) | undefined;
      if (files) {
        const vocab = readFileSync(resolve(configDir, files.vocab), 'utf8');
        const bpe = ByteLevelBpeTokenizer.fromVocabAndMerges(
          vocab,
          readFileSync(resolve(configDir, files.merges), 'utf8'),
        );
        countTokens = (code) => bpe.encode(code, { splitSpecialTokens: false }).length;
      } else {
        log(
          'GEC import: tokenizer.code.files (GPT-2 vocab.json/merges.txt) not set, so the 766/768-token filters are off',
        );
      }
      const { report } = await importGec(src, path, {
        countTokens,
        maxFastTokens: config.data.maxEcTokens,
        maxSlowTokens: config.data.maxIcTokens,
      });
      log(
        `GEC import: ${report.problemsWritten}/${report.problemsSeen} problems, skipped ${JSON.stringify(report.skipped)}`,
      );
    },
    log,
  );
  return path;
}

export async function loadDataset(config: ExperimentConfig, options: DatasetStageOptions = {}): Promise<DatasetResult> {
  const log = options.log ?? (() => {});
  const dir = resolve(options.generatedDir ?? GENERATED_DIR);
  const configDir = options.configDir ?? process.cwd();
  let path: string;
  if (config.data.source === 'synthetic') path = await ensureSynthetic(config, dir, log);
  else if (config.data.source === 'gec') path = await ensureGec(config, dir, configDir, log);
  else {
    if (!config.data.path) throw new Error('data.path: a dataset file is required when data.source is jsonl');
    path = resolve(configDir, config.data.path);
    if (!existsSync(path)) throw new Error(`data.path: ${path} does not exist`);
  }
  const stats = newReadStats();
  let problems = await readAllProblems(path, {
    stats,
    onSkip: (s) => log(`dataset: skipped ${s.file}:${s.line}: ${s.reason}`),
  });
  problems = problems.filter(
    (p) => p.solutions.some((s) => s.role === 'fast') && p.solutions.some((s) => s.role === 'slow'),
  );
  problems.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (config.data.maxProblems !== undefined) problems = problems.slice(0, config.data.maxProblems);
  const corpus = problems.some((p) => p.testSplit !== undefined);
  const { inFamily, heldOut, heldOutFamilies, extraTests } = corpus
    ? separateCorpusSplits(problems, config, log)
    : separateHeldOutSplit(problems, config, path, log);
  let split = inFamily;
  if (!config.data.useSourceSplit) {
    // Only the trained families are split: the held-out ones never reach train or valid.
    const splits = assignSplits(
      inFamily.map((p) => p.id),
      { seed: config.experiment.seed, fractions: config.data.split },
    );
    split = inFamily.map((p) => ({ ...p, split: splits.get(p.id) as Split }));
  }
  const heldOutTest = heldOut.map((p) => ({ ...p, split: 'test' as Split }));
  const bySplit: Record<Split, Problem[]> = { train: [], valid: [], test: [] };
  for (const p of split) bySplit[p.split].push(p);
  if (bySplit.train.length === 0) throw new Error(`data: no training problems in ${path} (check data.split)`);
  if (bySplit.test.length === 0) throw new Error(`data: no test problems in ${path} (check data.split)`);
  const extra = extraTests.map((t) => ({ ...t, problems: t.problems.map((p) => ({ ...p, split: 'test' as Split })) }));
  return {
    path,
    // Every problem once: the split ones and those of every further test split (held-out included).
    problems: [...split, ...extra.flatMap((t) => t.problems)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    bySplit,
    heldOut: heldOutTest,
    heldOutFamilies,
    extraTests: extra,
    mainSplit: corpus ? 'in-distribution' : 'in-family',
    skipped: stats.skipped,
  };
}

type Separated = ReturnType<typeof separateHeldOut> & { extraTests: ExtraTestSplit[] };

function separateHeldOutSplit(
  problems: Problem[],
  config: ExperimentConfig,
  path: string,
  log: (l: string) => void,
): Separated {
  const r = separateHeldOut(problems, config, path, log);
  const label = `held-out families (${r.heldOutFamilies.join(', ')})`;
  return { ...r, extraTests: r.heldOut.length ? [{ name: 'held-out', label, problems: r.heldOut }] : [] };
}

/**
 * Corpus data (problems with a `testSplit`): only in-distribution problems are split into train,
 * valid and test; the unseen combinations and unseen idioms are test splits of their own.
 * `data.heldOutFamilies` does not apply (the corpus holds out idioms and combinations itself).
 */
export function separateCorpusSplits(
  problems: Problem[],
  config: ExperimentConfig,
  log: (l: string) => void = () => {},
): Separated {
  if ((config.data.heldOutFamilies ?? []).length)
    log(
      'data.heldOutFamilies: the data is the idiom corpus, which holds out idioms and idiom-context combinations by its own seeded split, so no family is held out',
    );
  const inFamily = problems.filter((p) => (p.testSplit ?? 'in-distribution') === 'in-distribution');
  const trained = new Set(inFamily.flatMap((p) => p.idioms ?? []));
  const unseenIdioms = [
    ...new Set(problems.filter((p) => p.testSplit === 'unseen-idiom').flatMap((p) => p.idioms ?? [])),
  ]
    .filter((i) => !trained.has(i))
    .sort();
  const labels: Record<string, string> = {
    'unseen-combination': 'unseen combinations (trained idioms in contexts they were not trained in)',
    'unseen-idiom': `unseen idioms (${unseenIdioms.join(', ')})`,
  };
  const extraTests = Object.entries(labels).flatMap(([name, label]) => {
    const ps = problems.filter((p) => p.testSplit === name);
    return ps.length ? [{ name, label, problems: ps }] : [];
  });
  return { inFamily, heldOut: [], heldOutFamilies: [], extraTests };
}

/**
 * `data.heldOutFamilies`: the problems of those families, taken out before the split. A name that
 * is not a family of the data is an error (a typo would otherwise hold out nothing, silently) —
 * unless the data has no families at all (GEC), where the option does not apply.
 */
export function separateHeldOut(
  problems: Problem[],
  config: ExperimentConfig,
  path: string,
  log: (line: string) => void = () => {},
): { inFamily: Problem[]; heldOut: Problem[]; heldOutFamilies: string[] } {
  const names = config.data.heldOutFamilies ?? [];
  if (names.length === 0) return { inFamily: problems, heldOut: [], heldOutFamilies: [] };
  const present = new Set(problems.flatMap((p) => (p.family ? [p.family] : [])));
  if (present.size === 0) {
    log(`data.heldOutFamilies: ${path} has no problem families (not synthetic data), so no family is held out`);
    return { inFamily: problems, heldOut: [], heldOutFamilies: [] };
  }
  const known = config.data.source === 'synthetic' ? new Set(listFamilies().map((f) => f.name)) : present;
  names.forEach((name, i) => {
    if (!known.has(name))
      throw new Error(
        `data.heldOutFamilies[${i}]: "${name}" is not a family of ${config.data.source === 'synthetic' ? 'the synthetic generator' : path} (families: ${[...known].sort().join(', ')})`,
      );
  });
  const held = new Set(names);
  const heldOut = problems.filter((p) => p.family !== undefined && held.has(p.family));
  const inFamily = problems.filter((p) => p.family === undefined || !held.has(p.family));
  if (inFamily.length === 0)
    throw new Error(`data.heldOutFamilies: holds out every family of ${path}; nothing is left to train on`);
  return { inFamily, heldOut, heldOutFamilies: names.filter((n) => present.has(n)) };
}
