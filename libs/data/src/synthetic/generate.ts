/**
 * The synthetic dataset generator: N problems from the families, round-robin over a seeded
 * family order, each from its own seeded Rng, every solution verified with python3 against its
 * tests before it is kept. Same N and seed give byte-identical output (verification timeouts are
 * generous, so whether a solution is kept never depends on machine load).
 */
import { availableParallelism } from 'node:os';
import type { Problem, Solution, TestCase } from '../problem.js';
import { Rng } from '../random.js';
import { assignSplits, DEFAULT_FRACTIONS, type SplitFractions } from '../splits.js';
import { DatasetWriter } from '../store/dataset-writer.js';
import type { DatasetManifest } from '../store/manifest.js';
import type { Family, FamilyInstance } from './family.js';
import { FAMILIES } from './families/index.js';
import { samplesText } from './text.js';
import { VerifierPool } from './verifier.js';
import { corpusSplit, makeCorpusInstance, type CorpusOptions } from '../corpus/corpus.js';

/** 2: the compositional corpus of idioms x contexts (1: the 14 monolithic families). */
export const SYNTHETIC_GENERATOR_VERSION = '2';

export interface SyntheticProgress {
  done: number;
  total: number;
  attempted: number;
  droppedSolutions: number;
}

export interface SyntheticOptions {
  problems: number;
  seed: number | string;
  /** Run every solution against its tests with python3 and drop failures (default true). */
  verify?: boolean;
  /** Verifier processes (default: all cores). */
  concurrency?: number;
  onProgress?: (p: SyntheticProgress) => void;
  /**
   * The 14 monolithic families of generator version 1, restricted to these names. Without
   * `families` or `familyList` the generator makes the compositional corpus (idioms x contexts).
   */
  families?: string[];
  /** Families to use instead of the corpus (tests, experiments). */
  familyList?: Family[];
  /** Corpus options (held-out idioms, shares of the test splits). */
  corpus?: CorpusOptions;
  fractions?: SplitFractions;
}

export interface SyntheticStats {
  attempted: number;
  written: number;
  /** Solutions that failed verification, by `family/variant: reason`. */
  droppedSolutions: Record<string, number>;
  /** Problems dropped (fast failed, or no slow solution left), by reason. */
  droppedProblems: Record<string, number>;
  byFamily: Record<string, number>;
  /** Corpus: problems per test split (`in-distribution` includes its train and valid problems). */
  byTestSplit?: Record<string, number>;
  verified: boolean;
}

export function listFamilies(): { name: string; idea: string }[] {
  return FAMILIES.map((f) => ({ name: f.name, idea: f.idea }));
}

/** The instance for problem `index` (the same for the same seed, whatever else is generated). */
export function makeInstance(
  seed: number | string,
  index: number,
  families: Family[] = FAMILIES,
): { family: Family; instance: FamilyInstance } {
  const order = new Rng(seed, 'family-order').shuffle(families);
  const family = order[index % order.length];
  return { family, instance: family.make(new Rng(seed, 'problem', index)) };
}

interface Picked {
  family: string;
  instance: FamilyInstance;
  meta?: Pick<Problem, 'idioms' | 'context' | 'testSplit'>;
}

function toProblem(seed: number | string, index: number, picked: Picked, solutions: Solution[]): Problem {
  const { instance: inst } = picked;
  const tests: TestCase[] = [
    ...inst.samples.map((s) => ({ ...s, sample: true })),
    { ...inst.medium },
    { ...inst.large, large: true },
  ];
  return {
    id: `syn/${seed}/${String(index).padStart(6, '0')}`,
    source: 'synthetic',
    split: 'train',
    family: picked.family,
    ...picked.meta,
    title: inst.title,
    difficulty: inst.difficulty,
    fields: {
      titleDifficulty: `Title:${inst.title}\nDifficulty:${inst.difficulty}`,
      body: inst.body,
      inputSpec: `Input:${inst.inputSpec}`,
      outputSpec: `Output:${inst.outputSpec}`,
      samplesNote: `I/O test:${samplesText(inst.samples)}\nNote:${inst.note}`,
    },
    tests,
    solutions,
  };
}

function candidates(inst: FamilyInstance): Solution[] {
  const seen = new Set<string>();
  const out: Solution[] = [];
  for (const [role, t] of [['fast', inst.fast] as const, ...inst.slow.map((s) => ['slow', s] as const)]) {
    if (seen.has(t.code)) continue;
    seen.add(t.code);
    out.push({ role, variant: t.variant, code: t.code });
  }
  return out;
}

/** Generates, verifies and returns `problems` problems (in index order, splits assigned). */
export async function generateSynthetic(
  options: SyntheticOptions,
): Promise<{ problems: Problem[]; stats: SyntheticStats }> {
  const corpusMode = !options.familyList && !options.families;
  const all = options.familyList ?? FAMILIES;
  const families = options.families ? all.filter((f) => options.families!.includes(f.name)) : all;
  if (!corpusMode && families.length === 0)
    throw new Error(
      `no family matches ${JSON.stringify(options.families)}; known: ${all.map((f) => f.name).join(', ')}`,
    );
  if (!(options.problems >= 0) || !Number.isInteger(options.problems))
    throw new Error(`problems must be a non-negative integer, got ${options.problems}`);
  const verify = options.verify ?? true;
  const concurrency = options.concurrency ?? availableParallelism();
  const stats: SyntheticStats = {
    attempted: 0,
    written: 0,
    droppedSolutions: {},
    droppedProblems: {},
    byFamily: {},
    verified: verify,
  };
  const bump = (rec: Record<string, number>, k: string) => (rec[k] = (rec[k] ?? 0) + 1);
  const pool = verify ? new VerifierPool(concurrency) : undefined;
  const accepted = new Map<number, Problem>();
  const window = Math.max(4, concurrency * 3);
  let nextIndex = 0;
  let droppedCount = 0;

  const processIndex = async (index: number): Promise<void> => {
    let picked: Picked;
    if (corpusMode) {
      const c = makeCorpusInstance(options.seed, index, options.corpus);
      const idioms = c.idioms.map((i) => i.name);
      picked = {
        family: idioms.join('+'),
        instance: c.instance,
        meta: { idioms, context: c.context.name, testSplit: c.testSplit },
      };
    } else {
      const made = makeInstance(options.seed, index, families);
      picked = { family: made.family.name, instance: made.instance };
    }
    const { instance } = picked;
    const family = { name: picked.family };
    const sols = candidates(instance);
    const tests = [...instance.samples, instance.medium, instance.large];
    let kept = sols;
    if (pool) {
      // A worker that dies (it should not, for code this generator wrote) fails that solution only.
      const results = await Promise.all(
        sols.map((s) =>
          pool
            .run({ code: s.code, tests })
            .catch((err: Error) => [
              { ok: false, cpu: [], wall: [], reason: `verifier crashed: ${err.message.slice(0, 200)}` },
            ]),
        ),
      );
      kept = [];
      results.forEach((r, k) => {
        const bad = r.find((t) => !t.ok);
        if (bad) {
          bump(stats.droppedSolutions, `${family.name}/${sols[k].variant}: ${bad.reason}`);
          droppedCount++;
        } else kept.push(sols[k]);
      });
    }
    stats.attempted++;
    if (!kept.some((s) => s.role === 'fast')) return void bump(stats.droppedProblems, 'fast solution failed');
    if (!kept.some((s) => s.role === 'slow')) return void bump(stats.droppedProblems, 'no slow solution passed');
    accepted.set(index, toProblem(options.seed, index, picked, kept));
  };

  /** Problems accepted among the first `upTo` indices. */
  const acceptedBelow = (upTo: number) => [...accepted.keys()].filter((k) => k < upTo).length;
  try {
    let finishedPrefix = 0;
    const inFlight = new Map<number, Promise<void>>();
    const maxAttempts = options.problems * 5 + 100;
    while (acceptedBelow(finishedPrefix) < options.problems) {
      if (nextIndex >= maxAttempts)
        throw new Error(
          `synthetic generation gave up: ${acceptedBelow(finishedPrefix)} of ${options.problems} problems after ${nextIndex} attempts; dropped: ${JSON.stringify(stats.droppedProblems)} ${JSON.stringify(stats.droppedSolutions)}`,
        );
      while (inFlight.size < window && accepted.size + inFlight.size < options.problems + window) {
        const index = nextIndex++;
        inFlight.set(
          index,
          processIndex(index).finally(() => inFlight.delete(index)),
        );
      }
      await Promise.race(inFlight.values());
      while (finishedPrefix < nextIndex && !inFlight.has(finishedPrefix)) finishedPrefix++;
      options.onProgress?.({
        done: Math.min(options.problems, acceptedBelow(finishedPrefix)),
        total: options.problems,
        attempted: stats.attempted,
        droppedSolutions: droppedCount,
      });
    }
    await Promise.all(inFlight.values());
  } finally {
    pool?.close();
  }
  const chosen = [...accepted.entries()]
    .sort((a, b) => a[0] - b[0])
    .slice(0, options.problems)
    .map((e) => e[1]);
  // Only in-distribution problems are divided into train / valid / test; the corpus's unseen
  // combinations and unseen idioms are test problems.
  const splits = assignSplits(
    chosen.filter((p) => (p.testSplit ?? 'in-distribution') === 'in-distribution').map((p) => p.id),
    { seed: options.seed, fractions: options.fractions ?? DEFAULT_FRACTIONS },
  );
  if (corpusMode) stats.byTestSplit = {};
  for (const p of chosen) {
    p.split = splits.get(p.id) ?? 'test';
    bump(stats.byFamily, p.family!);
    if (stats.byTestSplit) bump(stats.byTestSplit, p.testSplit!);
  }
  stats.written = chosen.length;
  stats.droppedSolutions = Object.fromEntries(Object.entries(stats.droppedSolutions).sort());
  return { problems: chosen, stats };
}

/** Generates and writes a dataset file with its manifest. */
export async function writeSynthetic(
  outPath: string,
  options: SyntheticOptions,
): Promise<{ manifest: DatasetManifest; stats: SyntheticStats }> {
  const { problems, stats } = await generateSynthetic(options);
  const writer = await DatasetWriter.open(outPath);
  for (const p of problems) await writer.write(p);
  const manifest = await writer.close({
    tool: 'ecode data synth',
    generator: 'synthetic',
    generatorVersion: SYNTHETIC_GENERATOR_VERSION,
    seed: options.seed,
    options: {
      problems: options.problems,
      verify: stats.verified,
      families: options.families ?? (options.familyList ? 'custom' : 'corpus'),
      fractions: options.fractions ?? DEFAULT_FRACTIONS,
      ...(stats.byTestSplit
        ? { corpus: { ...corpusSplit(options.seed, options.corpus), byTestSplit: stats.byTestSplit } }
        : {}),
    },
    skipped: {
      ...stats.droppedProblems,
      ...Object.fromEntries(Object.entries(stats.droppedSolutions).map(([k, n]) => [`solution ${k}`, n])),
    },
    notes: { attempted: stats.attempted },
  });
  return { manifest, stats };
}
