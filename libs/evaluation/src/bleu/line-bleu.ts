/**
 * lineBleu: what the original E-code calls "CodeBLEU". It is not CodeBLEU: it is the CodeXGLUE
 * smoothed BLEU-4 (Lin & Och +1 smoothing on every order) computed as a corpus over line pairs,
 * line i of the reference against line i of the hypothesis (the shorter side decides), with
 * whitespace tokens, the brevity penalty, x100, rounded to 2 decimals. Where the original raises
 * (zero-length hypothesis or reference token total: a division by zero), its caller scores 0.
 */
import { ngramCountsByOrder } from './sacrebleu.js';
import { pySplit } from './tokenize-13a.js';

export interface LineBleuDetail {
  /** x100 and rounded to 2 decimals; 0 where the original raises. */
  score: number;
  /** Unrounded 0..1 BLEU, NaN where the original raises. */
  raw: number;
  /** Set when the original function would raise (its caller then scores 0). */
  originalRaises?: 'ZeroDivisionError';
}

/** Python's round(x, 2) on a double: the exact binary value, ties (only possible for x*8
 * integral) to even. JS toFixed also rounds the exact value but sends ties up. */
export function pyRound2(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (Number.isInteger(x * 8) && Math.abs(x * 1000) % 10 === 5) {
    const f = Math.floor(x * 100);
    return (f % 2 === 0 ? f : f + 1) / 100;
  }
  return Number(x.toFixed(2));
}

export function lineBleuDetail(reference: string, hypothesis: string, maxOrder = 4): LineBleuDetail {
  const refLines = reference.split('\n');
  const hypLines = hypothesis.split('\n');
  const pairs = Math.min(refLines.length, hypLines.length);
  const matches = new Array<number>(maxOrder).fill(0);
  const possible = new Array<number>(maxOrder).fill(0);
  let refLen = 0;
  let hypLen = 0;
  for (let i = 0; i < pairs; i++) {
    const r = pySplit(refLines[i]);
    const h = pySplit(hypLines[i]);
    refLen += r.length;
    hypLen += h.length;
    const rc = ngramCountsByOrder(r, maxOrder);
    ngramCountsByOrder(h, maxOrder).forEach((m, n) => {
      for (const [k, c] of m) {
        const x = rc[n].get(k);
        if (x !== undefined) matches[n] += Math.min(c, x);
      }
    });
    for (let n = 1; n <= maxOrder; n++) {
      const p = h.length - n + 1;
      if (p > 0) possible[n - 1] += p;
    }
  }
  const precisions = matches.map((m, i) => (m + 1) / (possible[i] + 1));
  let geo = 0;
  if (Math.min(...precisions) > 0) {
    geo = Math.exp(precisions.reduce((s, p) => s + Math.log(p) / maxOrder, 0));
  }
  if (refLen === 0 || hypLen === 0) return { score: 0, raw: NaN, originalRaises: 'ZeroDivisionError' };
  const ratio = hypLen / refLen;
  const bp = ratio > 1 ? 1 : Math.exp(1 - 1 / ratio);
  const raw = geo * bp;
  return { score: pyRound2(100 * raw), raw };
}

/** The original's line-aligned smoothed BLEU-4 ("CodeBLEU" in E-code), 0..100, 2 decimals. */
export function lineBleu(reference: string, hypothesis: string): number {
  return lineBleuDetail(reference, hypothesis).score;
}
