/**
 * The corpus's problems and its three named test splits, deterministic per seed:
 * - `in-distribution`: seen idioms in contexts they were trained in (train / valid / test);
 * - `unseen-combination`: a seen idiom in a context it never appears in during training;
 * - `unseen-idiom`: an idiom held out of training altogether (at least 8 per seed).
 * Problem `index` of a seed is always the same problem, whatever else is generated.
 */
import { Rng } from '../random.js';
import type { FamilyInstance } from '../synthetic/family.js';
import { CONTEXTS } from './contexts.js';
import { IDIOMS } from './idioms/index.js';
import { makeComposite } from './render.js';
import type { Context, Idiom } from './types.js';

export const TEST_SPLITS = ['in-distribution', 'unseen-combination', 'unseen-idiom'] as const;
export type TestSplit = (typeof TEST_SPLITS)[number];

export interface CorpusSplit {
  /** Idioms that no training or validation problem contains. */
  unseenIdioms: string[];
  /** For each seen idiom, the context it never meets in training (`idiom@context`). */
  heldOutCombinations: string[];
}

export interface CorpusOptions {
  /** Idioms held out (default 8). */
  unseenIdioms?: number;
  /** Share of problems of each held-out split (default 0.1 each). */
  unseenIdiomShare?: number;
  unseenCombinationShare?: number;
  /** Share of problems with two idioms (default 0.25). */
  twoIdiomShare?: number;
  idioms?: Idiom[];
  contexts?: Context[];
}

export const combo = (idiom: string, context: string) => `${idiom}@${context}`;

export function corpusSplit(seed: number | string, options: CorpusOptions = {}): CorpusSplit {
  const idioms = options.idioms ?? IDIOMS;
  const contexts = options.contexts ?? CONTEXTS;
  const k = options.unseenIdioms ?? 8;
  if (k >= idioms.length) throw new Error(`unseenIdioms (${k}) must be below the number of idioms (${idioms.length})`);
  const rng = new Rng(seed, 'corpus-split');
  const unseen = rng.sample(
    idioms.map((i) => i.name),
    k,
  );
  const held = idioms
    .filter((i) => !unseen.includes(i.name))
    .map((i) => combo(i.name, rng.pick(contexts).name))
    .sort();
  return { unseenIdioms: unseen.sort(), heldOutCombinations: held };
}

export interface CorpusPick {
  idioms: Idiom[];
  context: Context;
  testSplit: TestSplit;
}

export interface CorpusInstance extends CorpusPick {
  instance: FamilyInstance;
}

/** The problem at `index` for `seed`: its statement, tests and solutions. */
export function makeCorpusInstance(seed: number | string, index: number, options: CorpusOptions = {}): CorpusInstance {
  const { pick, rng } = choose(seed, index, options);
  return { ...pick, instance: makeComposite({ context: pick.context, idioms: pick.idioms }, rng) };
}

/** Which idioms, context and test split problem `index` of `seed` has (cheap: nothing rendered). */
export function pickCorpusProblem(seed: number | string, index: number, options: CorpusOptions = {}): CorpusPick {
  return choose(seed, index, options).pick;
}

function choose(seed: number | string, index: number, options: CorpusOptions): { pick: CorpusPick; rng: Rng } {
  const idioms = options.idioms ?? IDIOMS;
  const contexts = options.contexts ?? CONTEXTS;
  const split = corpusSplit(seed, options);
  const held = new Set(split.heldOutCombinations);
  const unseen = idioms.filter((i) => split.unseenIdioms.includes(i.name));
  const seen = new Rng(seed, 'idiom-order').shuffle(idioms.filter((i) => !split.unseenIdioms.includes(i.name)));
  const rng = new Rng(seed, 'corpus-problem', index);
  const r = rng.next();
  const uShare = options.unseenIdiomShare ?? 0.1;
  const cShare = options.unseenCombinationShare ?? 0.1;
  const testSplit: TestSplit =
    r < uShare ? 'unseen-idiom' : r < uShare + cShare ? 'unseen-combination' : 'in-distribution';
  const allowed = (i: Idiom, c: Context) => !held.has(combo(i.name, c.name));
  let first: Idiom;
  let context: Context;
  if (testSplit === 'unseen-idiom') {
    // Round-robin over the held-out idioms and the contexts, so that each meets many contexts.
    first = unseen[index % unseen.length];
    context = contexts[Math.floor(index / unseen.length + rng.int(0, 2)) % contexts.length];
  } else if (testSplit === 'unseen-combination') {
    first = seen[index % seen.length];
    const name = split.heldOutCombinations.find((h) => h.startsWith(`${first.name}@`))!.split('@')[1];
    context = contexts.find((c) => c.name === name)!;
  } else {
    first = seen[index % seen.length];
    context = rng.pick(contexts.filter((c) => allowed(first, c)));
  }
  const chosen = [first];
  if (rng.bool(options.twoIdiomShare ?? 0.25)) {
    // The second idiom is a seen one in a context it is trained in, and not a second I/O idiom.
    const partners = seen.filter((i) => i !== first && allowed(i, context) && !(i.io && first.io));
    if (partners.length) chosen.push(rng.pick(partners));
  }
  return { pick: { idioms: chosen, context, testSplit }, rng };
}

export function listIdioms(): { name: string; idea: string; group: string }[] {
  return IDIOMS.map((i) => ({ name: i.name, idea: i.idea, group: i.group }));
}

export function listContexts(): { name: string; layout: string; read: string; structure: string; cases: boolean }[] {
  return CONTEXTS.map((c) => ({
    name: c.name,
    layout: c.layout,
    read: c.read,
    structure: c.structure,
    cases: c.cases,
  }));
}
