/**
 * Deterministic splits by problem: every problem lands in exactly one split, and the same ids
 * and seed give the same assignment whatever order the ids come in.
 */
import type { Problem, Split } from './problem.js';
import { Rng } from './random.js';
import { readProblems, type ReadStats } from './store/dataset-reader.js';
import { DatasetWriter } from './store/dataset-writer.js';
import type { DatasetManifest, Provenance } from './store/manifest.js';

export interface SplitFractions {
  train: number;
  valid: number;
  test: number;
}

export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.8, valid: 0.1, test: 0.1 };

export interface SplitOptions {
  seed: number | string;
  fractions?: SplitFractions;
}

function checkFractions(f: SplitFractions): void {
  const values = [f.train, f.valid, f.test];
  if (values.some((v) => !(v >= 0)) || Math.abs(values.reduce((a, b) => a + b, 0) - 1) > 1e-9)
    throw new Error(`split fractions must be non-negative and sum to 1, got ${JSON.stringify(f)}`);
}

/**
 * Exact-count split of the given problem ids: round(n*test) to test, round(n*valid) to valid,
 * the rest to train, after a seeded shuffle of the sorted unique ids.
 */
export function assignSplits(ids: Iterable<string>, options: SplitOptions): Map<string, Split> {
  const fractions = options.fractions ?? DEFAULT_FRACTIONS;
  checkFractions(fractions);
  const unique = [...new Set(ids)].sort();
  const order = new Rng(options.seed, 'split').shuffle(unique);
  const nTest = Math.round(order.length * fractions.test);
  const nValid = Math.min(order.length - nTest, Math.round(order.length * fractions.valid));
  const out = new Map<string, Split>();
  order.forEach((id, i) => out.set(id, i < nTest ? 'test' : i < nTest + nValid ? 'valid' : 'train'));
  return out;
}

export interface ResplitOptions extends SplitOptions {
  /**
   * `by-problem` (default) re-splits every problem; `keep-test` keeps the source's test split and
   * divides the rest between train and valid in the ratio of `fractions.train : fractions.valid`;
   * `source` keeps every problem's split as it is.
   */
  mode?: 'by-problem' | 'keep-test' | 'source';
}

/** Rewrites a dataset with new splits (two streaming passes: ids first, then records). */
export async function resplitDataset(
  inPath: string,
  outPath: string,
  options: ResplitOptions,
  provenance: Omit<Provenance, 'options'> = { tool: 'resplitDataset', generator: 'resplit', generatorVersion: '1' },
): Promise<{ manifest: DatasetManifest; read: ReadStats }> {
  const mode = options.mode ?? 'by-problem';
  const fractions = options.fractions ?? DEFAULT_FRACTIONS;
  const ids: string[] = [];
  for await (const p of readProblems(inPath)) if (mode === 'by-problem' || p.split !== 'test') ids.push(p.id);
  let assigned = new Map<string, Split>();
  if (mode === 'by-problem') assigned = assignSplits(ids, options);
  else if (mode === 'keep-test') {
    const rest = fractions.train + fractions.valid;
    if (!(rest > 0)) throw new Error('keep-test needs train + valid fractions above 0');
    assigned = assignSplits(ids, {
      seed: options.seed,
      fractions: { train: fractions.train / rest, valid: fractions.valid / rest, test: 0 },
    });
  }
  const writer = await DatasetWriter.open(outPath);
  const read = { problems: 0, skipped: 0, skips: [] } as ReadStats;
  try {
    for await (const p of readProblems(inPath, { stats: read })) {
      const split = mode === 'source' ? p.split : (assigned.get(p.id) ?? p.split);
      await writer.write({ ...p, split } satisfies Problem);
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const manifest = await writer.close({ ...provenance, seed: options.seed, options: { mode, fractions } });
  return { manifest, read };
}
