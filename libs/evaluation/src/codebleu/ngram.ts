/**
 * CodeBLEU's two n-gram components, as CodeXGLUE computes them on whitespace tokens:
 * - ngramMatch: NLTK-style corpus BLEU-4 (modified precision, closest reference length, brevity
 *   penalty), smoothing "method1" (a zero numerator becomes 0.1), 0 when no unigram matches;
 * - weightedNgramMatch: the same with *recall* against the reference (denominator = reference
 *   n-gram counts) and unigrams weighted 1 for keywords, 0.2 otherwise.
 */

type Counts = Map<string, number>;

function ngrams(tokens: readonly string[], n: number): Counts {
  const m: Counts = new Map();
  for (let i = 0; i + n <= tokens.length; i++) {
    const k = tokens.slice(i, i + n).join('\u0001');
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

function closestRefLength(refs: readonly (readonly string[])[], hypLen: number): number {
  let best = Infinity;
  let bestDiff = Infinity;
  for (const r of refs) {
    const d = Math.abs(r.length - hypLen);
    if (d < bestDiff || (d === bestDiff && r.length < best)) {
      bestDiff = d;
      best = r.length;
    }
  }
  return best;
}

function brevityPenalty(refLen: number, hypLen: number): number {
  if (hypLen > refLen) return 1;
  if (hypLen === 0) return 0;
  return Math.exp(1 - refLen / hypLen);
}

function combine(num: number[], den: number[], refLen: number, hypLen: number): number {
  if (num[0] === 0) return 0;
  const bp = brevityPenalty(refLen, hypLen);
  let s = 0;
  for (let i = 0; i < num.length; i++) {
    const n = num[i] === 0 ? 0.1 : num[i];
    s += 0.25 * Math.log(n / den[i]);
  }
  return bp * Math.exp(s);
}

/** references[i] = the references of hypothesis i (token lists). */
export function ngramMatch(
  references: readonly (readonly (readonly string[])[])[],
  hypotheses: readonly (readonly string[])[],
): number {
  const num = [0, 0, 0, 0];
  const den = [0, 0, 0, 0];
  let hypLen = 0;
  let refLen = 0;
  hypotheses.forEach((hyp, i) => {
    const refs = references[i];
    for (let n = 1; n <= 4; n++) {
      const counts = ngrams(hyp, n);
      const max = new Map<string, number>();
      for (const r of refs) {
        const rc = ngrams(r, n);
        for (const k of counts.keys()) max.set(k, Math.max(max.get(k) ?? 0, rc.get(k) ?? 0));
      }
      let clipped = 0;
      let total = 0;
      for (const [k, c] of counts) {
        clipped += Math.min(c, max.get(k) ?? 0);
        total += c;
      }
      num[n - 1] += clipped;
      den[n - 1] += Math.max(1, total);
    }
    hypLen += hyp.length;
    refLen += closestRefLength(refs, hyp.length);
  });
  return combine(num, den, refLen, hypLen);
}

export function weightedNgramMatch(
  references: readonly (readonly (readonly string[])[])[],
  hypotheses: readonly (readonly string[])[],
  keywords: ReadonlySet<string>,
): number {
  const num = [0, 0, 0, 0];
  const den = [0, 0, 0, 0];
  let hypLen = 0;
  let refLen = 0;
  hypotheses.forEach((hyp, i) => {
    const refs = references[i];
    for (let n = 1; n <= 4; n++) {
      const counts = ngrams(hyp, n);
      for (const r of refs) {
        const rc = ngrams(r, n);
        const w = (k: string): number => (n === 1 ? (keywords.has(k) ? 1 : 0.2) : 1);
        let clipped = 0;
        let total = 0;
        for (const [k, c] of rc) {
          clipped += Math.min(c, counts.get(k) ?? 0) * w(k);
          total += c * w(k);
        }
        num[n - 1] += clipped;
        den[n - 1] += Math.max(1, total);
      }
    }
    hypLen += hyp.length;
    refLen += closestRefLength(refs, hyp.length);
  });
  return combine(num, den, refLen, hypLen);
}
