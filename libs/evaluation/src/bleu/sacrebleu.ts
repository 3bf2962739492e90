/**
 * BLEU exactly as sacreBLEU 2.x computes it (corpus_score / sentence_score), for the tokenizers
 * `13a` (default) and `none`, and the smoothing methods none, floor, add-k and exp (default).
 */
import { pyRstrip, pySplit, tokenizeFor, type BleuTokenizer } from './tokenize-13a.js';

export type SmoothMethod = 'none' | 'floor' | 'add-k' | 'exp';

export interface SacreBleuOptions {
  tokenize?: BleuTokenizer;
  smoothMethod?: SmoothMethod;
  /** floor: default 0.1; add-k: default 1. */
  smoothValue?: number;
  lowercase?: boolean;
  /** corpusBleu default false; sentenceBleu default true (as sacrebleu.sentence_bleu). */
  effectiveOrder?: boolean;
  maxNgramOrder?: number;
}

export interface BleuScore {
  /** 0..100 */
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

const SMOOTH_DEFAULTS: Record<SmoothMethod, number | undefined> = {
  none: undefined,
  floor: 0.1,
  'add-k': 1,
  exp: undefined,
};

/** Per-order n-gram counts: result[n - 1] maps an n-gram (tokens joined by \u0001) to its count. */
export function ngramCountsByOrder(tokens: readonly string[], maxOrder: number): Array<Map<string, number>> {
  const out = Array.from({ length: maxOrder }, () => new Map<string, number>());
  for (let i = 0; i < tokens.length; i++) {
    let key = tokens[i];
    for (let n = 1; n <= maxOrder && i + n <= tokens.length; n++) {
      if (n > 1) key += '\u0001' + tokens[i + n - 1];
      const m = out[n - 1];
      m.set(key, (m.get(key) ?? 0) + 1);
    }
  }
  return out;
}

function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const r of refLens) {
    const diff = Math.abs(hypLen - r);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = r;
    } else if (diff === closestDiff && r < closestLen) {
      closestLen = r;
    }
  }
  return closestLen;
}

const myLog = (x: number): number => (x === 0 ? -9999999999 : Math.log(x));

/** sacreBLEU's BLEU.compute_bleu on sufficient statistics. */
export function computeBleu(
  correctIn: readonly number[],
  totalIn: readonly number[],
  sysLen: number,
  refLen: number,
  opts: { smoothMethod?: SmoothMethod; smoothValue?: number; effectiveOrder?: boolean; maxNgramOrder?: number } = {},
): BleuScore {
  const smoothMethod = opts.smoothMethod ?? 'exp';
  const maxOrder = opts.maxNgramOrder ?? 4;
  const smoothValue = opts.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod];
  const correct = [...correctIn];
  const total = [...totalIn];
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(maxOrder).fill(0);
  if (!correct.some((c) => c !== 0)) {
    return { score: 0, counts: correct, totals: total, precisions, bp, sysLen, refLen };
  }
  let smoothMteval = 1.0;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      correct[n - 1] += smoothValue as number;
      total[n - 1] += smoothValue as number;
    }
    if (total[n - 1] === 0) break;
    if (opts.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * (smoothValue as number)) / total[n - 1];
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
    }
  }
  let s = 0;
  for (let i = 0; i < effOrder; i++) s += myLog(precisions[i]);
  const score = bp * Math.exp(s / effOrder);
  return { score, counts: correct, totals: total, precisions, bp, sysLen, refLen };
}

interface SegmentStats {
  hypLen: number;
  refLen: number;
  correct: number[];
  total: number[];
}

function segmentStats(
  hyp: string,
  refs: readonly string[],
  o: Required<Pick<SacreBleuOptions, 'tokenize' | 'lowercase' | 'maxNgramOrder'>>,
): SegmentStats {
  const prep = (s: string): string[] => {
    const t = o.lowercase ? s.toLowerCase() : s;
    return pySplit(tokenizeFor(o.tokenize, pyRstrip(t)));
  };
  const hypTok = prep(hyp);
  const refMax = Array.from({ length: o.maxNgramOrder }, () => new Map<string, number>());
  const refLens: number[] = [];
  for (const r of refs) {
    const rt = prep(r);
    refLens.push(rt.length);
    ngramCountsByOrder(rt, o.maxNgramOrder).forEach((m, n) => {
      const mx = refMax[n];
      for (const [k, c] of m) if ((mx.get(k) ?? 0) < c) mx.set(k, c);
    });
  }
  const correct = new Array<number>(o.maxNgramOrder).fill(0);
  const total = new Array<number>(o.maxNgramOrder).fill(0);
  ngramCountsByOrder(hypTok, o.maxNgramOrder).forEach((m, n) => {
    for (const [k, c] of m) {
      total[n] += c;
      const rc = refMax[n].get(k);
      if (rc !== undefined) correct[n] += Math.min(c, rc);
    }
  });
  return { hypLen: hypTok.length, refLen: closestRefLen(hypTok.length, refLens), correct, total };
}

/**
 * sacreBLEU corpus_score(hypotheses, references). `references` is a list of reference streams,
 * as in sacreBLEU: references[k][i] is the k-th reference of hypothesis i.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: SacreBleuOptions = {},
): BleuScore {
  const o = {
    tokenize: options.tokenize ?? '13a',
    lowercase: options.lowercase ?? false,
    maxNgramOrder: options.maxNgramOrder ?? 4,
  };
  if (references.length === 0) throw new Error('corpusBleu: no reference streams given');
  for (const [k, stream] of references.entries()) {
    if (stream.length !== hypotheses.length) {
      throw new Error(
        `corpusBleu: reference stream ${k} has ${stream.length} segments but there are ${hypotheses.length} hypotheses`,
      );
    }
  }
  const correct = new Array<number>(o.maxNgramOrder).fill(0);
  const total = new Array<number>(o.maxNgramOrder).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((h, i) => {
    const st = segmentStats(
      h,
      references.map((s) => s[i]),
      o,
    );
    sysLen += st.hypLen;
    refLen += st.refLen;
    for (let n = 0; n < o.maxNgramOrder; n++) {
      correct[n] += st.correct[n];
      total[n] += st.total[n];
    }
  });
  return computeBleu(correct, total, sysLen, refLen, {
    smoothMethod: options.smoothMethod ?? 'exp',
    smoothValue: options.smoothValue,
    effectiveOrder: options.effectiveOrder ?? false,
    maxNgramOrder: o.maxNgramOrder,
  });
}

/** sacreBLEU sentence_score(hypothesis, references); effective order on by default. */
export function sentenceBleu(
  hypothesis: string,
  references: readonly string[],
  options: SacreBleuOptions = {},
): BleuScore {
  return corpusBleu(
    [hypothesis],
    references.map((r) => [r]),
    { ...options, effectiveOrder: options.effectiveOrder ?? true },
  );
}

/**
 * BLEU as E-code computes it per sample: `BLEU().corpus_score([gen], [[ref]]).score`
 * (13a, smoothing exp, no effective order), 0..100.
 */
export function sampleBleu(generated: string, reference: string): number {
  return corpusBleu([generated], [[reference]]).score;
}

/** Mean of sampleBleu over pairs (the original's reported BLEU). NaN for no pairs. */
export function meanSampleBleu(pairs: ReadonlyArray<{ generated: string; reference: string }>): number {
  if (pairs.length === 0) return NaN;
  let s = 0;
  for (const p of pairs) s += sampleBleu(p.generated, p.reference);
  return s / pairs.length;
}
