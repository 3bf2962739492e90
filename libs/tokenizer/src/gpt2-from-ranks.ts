/**
 * Rebuilds GPT-2's `vocab.json` and `merges.txt` from tiktoken-style mergeable ranks (token bytes
 * to rank; GPT-2's ranks are its ids). Token t of rank r >= 256 was made by the merge that BPE
 * with only the ranks below r performs last on t's bytes: running that BPE leaves exactly two
 * parts, and those are the merge's two sides.
 */
import { bytesToUnicodeString } from './byte-unicode.js';

export interface Gpt2Files {
  /** vocab.json contents. */
  vocab: Record<string, number>;
  /** Merges in rank order, each as two vocab.json spellings. */
  merges: [string, string][];
}

function latin1(bytes: ArrayLike<number>, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** tiktoken's rank-driven BPE on `bytes` using only ranks below `maxRank`; returns the cut points. */
function splitBelowRank(bytes: Uint8Array, ranks: Map<string, number>, maxRank: number): number[] {
  const cuts = Array.from({ length: bytes.length + 1 }, (_, i) => i);
  for (;;) {
    let best = -1;
    let bestRank = maxRank;
    for (let i = 0; i + 2 < cuts.length; i++) {
      const r = ranks.get(latin1(bytes, cuts[i], cuts[i + 2]));
      if (r !== undefined && r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    if (best < 0) return cuts;
    cuts.splice(best + 1, 1);
  }
}

/**
 * @param ranks token bytes to rank; ranks 0..255 must be the single bytes.
 * @param specialTokens added to the vocab as they are (e.g. `{ '<|endoftext|>': 50256 }`).
 */
export function gpt2FilesFromRanks(
  ranks: ReadonlyMap<Uint8Array, number> | Iterable<[Uint8Array, number]>,
  specialTokens: Record<string, number> = {},
): Gpt2Files {
  const entries = [...ranks].sort((a, b) => a[1] - b[1]);
  const byBytes = new Map<string, number>();
  for (const [bytes, rank] of entries) byBytes.set(latin1(bytes), rank);
  const vocab: Record<string, number> = {};
  const merges: [string, string][] = [];
  for (const [bytes, rank] of entries) {
    vocab[bytesToUnicodeString(bytes)] = rank;
    if (bytes.length === 1) continue;
    const cuts = splitBelowRank(bytes, byBytes, rank);
    if (cuts.length !== 3) {
      throw new Error(
        `rank ${rank}: its bytes do not split into exactly two lower-ranked tokens (${cuts.length - 1} parts)`,
      );
    }
    merges.push([bytesToUnicodeString(bytes.subarray(0, cuts[1])), bytesToUnicodeString(bytes.subarray(cuts[1]))]);
  }
  for (const [t, id] of Object.entries(specialTokens)) vocab[t] = id;
  return { vocab, merges };
}

/**
 * Parses js-tiktoken's packed rank format (`bpe_ranks`: lines of `! <offset> <base64> <base64> ...`,
 * consecutive ranks from offset).
 */
export function parseTiktokenPackedRanks(packed: string): [Uint8Array, number][] {
  const out: [Uint8Array, number][] = [];
  for (const line of packed.split('\n')) {
    if (line.length === 0) continue;
    const [, offsetStr, ...tokens] = line.split(' ');
    const offset = Number.parseInt(offsetStr, 10);
    if (!Number.isInteger(offset)) throw new Error(`packed ranks: bad offset in line starting ${line.slice(0, 30)}`);
    tokens.forEach((t, i) => out.push([Uint8Array.from(Buffer.from(t, 'base64')), offset + i]));
  }
  return out;
}
