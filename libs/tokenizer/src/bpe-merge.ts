/**
 * Applying BPE merges to one word (a sequence of symbols), GPT-2's way: repeatedly take the pair
 * of lowest merge rank and merge every occurrence of it, left to right.
 *
 * Two implementations with the same result. The direct one rescans the word after each merge
 * (quadratic, fastest for the short pieces that make up almost all text). The heap one keeps the
 * word as a linked list and the candidate pairs in a min-heap ordered by (rank, position), so a
 * pathological piece (a 100 kB digit run or base64 blob is a single GPT-2 piece) costs
 * O(n log n). They agree because a merge's result only ever takes part in merges of higher rank,
 * so merging the occurrences of one pair one at a time from the left equals merging them all at once.
 */

/** Looks up the merge rank of a symbol pair (-1 when the pair never merges). */
export interface RankTable {
  get(a: number, b: number): number;
}

/** Merges `word` in place; returns its new length. `mergeResult[rank]` is the merged symbol. */
export function mergeWordDirect(word: number[], ranks: RankTable, mergeResult: Int32Array): number {
  let n = word.length;
  while (n > 1) {
    let best = -1;
    let bestRank = 0x7fffffff;
    for (let i = 0; i + 1 < n; i++) {
      const r = ranks.get(word[i], word[i + 1]);
      if (r >= 0 && r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    if (best < 0) break;
    const a = word[best];
    const b = word[best + 1];
    const merged = mergeResult[bestRank];
    let j = best;
    for (let i = best; i < n;) {
      if (i + 1 < n && word[i] === a && word[i + 1] === b) {
        word[j++] = merged;
        i += 2;
      } else word[j++] = word[i++];
    }
    n = j;
  }
  word.length = n;
  return n;
}

/** The same result as mergeWordDirect in O(n log n). */
export function mergeWordHeap(word: number[], ranks: RankTable, mergeResult: Int32Array): number {
  const n = word.length;
  if (n < 2) return n;
  const sym = Int32Array.from(word);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  // Min-heap of (rank, position) packed as rank * 2^32 + position (exact in a double below 2^53).
  const heap: number[] = [];
  const SHIFT = 4294967296;
  const push = (key: number) => {
    heap.push(key);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p] <= key) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = key;
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length > 0) {
      let i = 0;
      const m = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= m) break;
        const c = l + 1 < m && heap[l + 1] < heap[l] ? l + 1 : l;
        if (heap[c] >= last) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  const offer = (i: number) => {
    const j = next[i];
    if (j < 0) return;
    const r = ranks.get(sym[i], sym[j]);
    if (r >= 0) push(r * SHIFT + i);
  };
  for (let i = 0; i + 1 < n; i++) offer(i);
  while (heap.length > 0) {
    const key = pop();
    const rank = Math.floor(key / SHIFT);
    const i = key - rank * SHIFT;
    const j = next[i];
    // Stale entry: the node was merged away, or its pair changed since it was offered.
    if (!alive[i] || j < 0 || ranks.get(sym[i], sym[j]) !== rank) continue;
    sym[i] = mergeResult[rank];
    alive[j] = 0;
    next[i] = next[j];
    if (next[j] >= 0) prev[next[j]] = i;
    if (prev[i] >= 0) offer(prev[i]);
    offer(i);
  }
  let k = 0;
  for (let i = 0; i >= 0; i = next[i]) word[k++] = sym[i];
  word.length = k;
  return k;
}
