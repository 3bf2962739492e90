/**
 * The merge loop shared by the BPE and WordPiece trainers: given the distinct words of a corpus
 * (as symbol sequences) and their counts, repeatedly merge the most frequent adjacent symbol pair.
 *
 * Pair counts are kept up to date incrementally: a merge only revisits the words that hold the
 * merged pair (an index from pair to words), and a max-heap with lazy entries finds the next best
 * pair. Ties are broken by a fixed rule, so training is deterministic: the higher score wins, then
 * the smaller left symbol id, then the smaller right symbol id.
 *
 * Scores: 'count' (BPE, and Hugging Face's WordPieceTrainer) is the pair's frequency;
 * 'likelihood' (the original WordPiece criterion) is count(ab) / (count(a) * count(b)), which
 * prefers pairs whose parts rarely occur apart. Under 'likelihood' a merge also raises the score
 * of every pair that shares a symbol with it, so those pairs are re-offered to the heap.
 */
import { PairTable } from './pair-table.js';

export interface PairMergeInput {
  /** Distinct words, each a sequence of symbol ids (modified in place). */
  words: number[][];
  /** How often each word occurs. */
  counts: readonly number[];
  /** Pairs seen fewer times than this are never merged. Default 2. */
  minFrequency?: number;
  /**
   * Called for each merge chosen, in order; returns the symbol id of the merged pair (a new id, or
   * an existing one when the merged spelling already exists), or -1 to stop training.
   */
  merge: (left: number, right: number, count: number) => number;
  /** Default 'count'. */
  score?: 'count' | 'likelihood';
}

/** Max-heap of (score, pair) entries, ordered by score desc, then left asc, then right asc. */
class PairHeap {
  private counts: number[] = [];
  private pairs: number[] = [];
  constructor(
    private readonly left: number[],
    private readonly right: number[],
  ) {}

  get size(): number {
    return this.pairs.length;
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i];
    const cj = this.counts[j];
    if (ci !== cj) return ci > cj;
    const pi = this.pairs[i];
    const pj = this.pairs[j];
    const li = this.left[pi];
    const lj = this.left[pj];
    if (li !== lj) return li < lj;
    return this.right[pi] < this.right[pj];
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i];
    this.counts[i] = this.counts[j];
    this.counts[j] = c;
    const p = this.pairs[i];
    this.pairs[i] = this.pairs[j];
    this.pairs[j] = p;
  }

  push(count: number, pair: number): void {
    this.counts.push(count);
    this.pairs.push(pair);
    let i = this.pairs.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the top entry and returns [count, pair]. */
  pop(): [number, number] {
    const top: [number, number] = [this.counts[0], this.pairs[0]];
    const lastCount = this.counts.pop() as number;
    const lastPair = this.pairs.pop() as number;
    if (this.pairs.length > 0) {
      this.counts[0] = lastCount;
      this.pairs[0] = lastPair;
      let i = 0;
      const n = this.pairs.length;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < n && this.before(l, best)) best = l;
        if (r < n && this.before(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}

/** Runs merges until `merge` returns -1 or no pair reaches minFrequency. Returns the number of merges done. */
export function runPairMerges(input: PairMergeInput): number {
  const { words, counts, merge } = input;
  const minFrequency = input.minFrequency ?? 2;
  const index = new PairTable(1 << 16);
  const left: number[] = [];
  const right: number[] = [];
  const pairCount: number[] = [];
  const where: number[][] = [];
  const likelihood = input.score === 'likelihood';
  /** Occurrences of each symbol (likelihood scoring only). */
  const symCount: number[] = [];
  /** Pairs each symbol takes part in (likelihood scoring only). */
  const pairsOf: number[][] = [];
  const addSym = (s: number, d: number) => {
    while (symCount.length <= s) {
      symCount.push(0);
      pairsOf.push([]);
    }
    symCount[s] += d;
  };
  const pairOf = (a: number, b: number): number => {
    const p = index.setIfAbsent(a, b, left.length);
    if (p === left.length) {
      left.push(a);
      right.push(b);
      pairCount.push(0);
      where.push([]);
      if (likelihood) {
        addSym(a, 0);
        addSym(b, 0);
        pairsOf[a].push(p);
        if (b !== a) pairsOf[b].push(p);
      }
    }
    return p;
  };
  const score = (p: number): number =>
    likelihood ? pairCount[p] / (symCount[left[p]] * symCount[right[p]]) : pairCount[p];

  for (let w = 0; w < words.length; w++) {
    const word = words[w];
    if (likelihood) for (const sym of word) addSym(sym, counts[w]);
    for (let i = 0; i + 1 < word.length; i++) {
      const p = pairOf(word[i], word[i + 1]);
      pairCount[p] += counts[w];
      const list = where[p];
      if (list[list.length - 1] !== w) list.push(w);
    }
  }
  const heap = new PairHeap(left, right);
  for (let p = 0; p < pairCount.length; p++) heap.push(score(p), p);

  const visited = new Int32Array(words.length).fill(-1);
  let done = 0;
  while (heap.size > 0) {
    const [snapshot, p] = heap.pop();
    const current = pairCount[p];
    if (current <= 0) continue;
    const currentScore = score(p);
    if (snapshot !== currentScore) {
      heap.push(currentScore, p);
      continue;
    }
    if (current < minFrequency) {
      // Under 'count' nothing better is left; under 'likelihood' a rarer pair may score higher,
      // so drop this one (it is re-offered if its count grows).
      if (likelihood) continue;
      break;
    }
    const a = left[p];
    const b = right[p];
    const merged = merge(a, b, current);
    if (merged < 0) break;
    done++;
    let mergedCount = 0;

    const delta = new Map<number, number>();
    const addDelta = (q: number, d: number) => delta.set(q, (delta.get(q) ?? 0) + d);
    for (const w of where[p]) {
      if (visited[w] === done) continue;
      visited[w] = done;
      const word = words[w];
      let has = false;
      for (let i = 0; i + 1 < word.length; i++) {
        if (word[i] === a && word[i + 1] === b) {
          has = true;
          break;
        }
      }
      if (!has) continue;
      const c = counts[w];
      for (let i = 0; i + 1 < word.length; i++) addDelta(pairOf(word[i], word[i + 1]), -c);
      let j = 0;
      for (let i = 0; i < word.length;) {
        if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
          word[j++] = merged;
          mergedCount += c;
          i += 2;
        } else word[j++] = word[i++];
      }
      word.length = j;
      for (let i = 0; i + 1 < word.length; i++) {
        const q = pairOf(word[i], word[i + 1]);
        addDelta(q, c);
        if (word[i] === merged || word[i + 1] === merged) {
          const list = where[q];
          if (list[list.length - 1] !== w) list.push(w);
        }
      }
    }
    if (likelihood) {
      addSym(a, -mergedCount);
      addSym(b, -mergedCount);
      addSym(merged, mergedCount);
    }
    for (const [q, d] of delta) {
      if (d === 0) continue;
      pairCount[q] += d;
      if (d > 0) heap.push(score(q), q);
    }
    if (likelihood) {
      // Fewer a's and b's: every pair with a or b now scores higher.
      for (const q of pairsOf[a]) if (pairCount[q] > 0) heap.push(score(q), q);
      if (b !== a) for (const q of pairsOf[b]) if (pairCount[q] > 0) heap.push(score(q), q);
    }
    where[p] = [];
  }
  return done;
}
