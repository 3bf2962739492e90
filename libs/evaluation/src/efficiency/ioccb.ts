/**
 * ACEOB's IOCCB combination step. O = line-BLEU scores of the generated code against each
 * alternative efficient solution; S = the same after ACEOB's identifier normalisation (variables
 * and functions renamed var1.. / function1.., then re-rendered with astor.to_source). This
 * function applies the published formula to given O and S; it does not compute S (the astor
 * re-rendering is not reproduced here).
 *   d = sqrt(|mean S - mean O|); IOCCB = max S + d if mean S > mean O else max S - d; clipped to
 *   [0, 100], rounded to 2 decimals.
 */
import { pyRound2 } from '../bleu/line-bleu.js';

export function ioccbFromScores(o: readonly number[], s: readonly number[]): number {
  if (o.length === 0 || s.length === 0)
    throw new Error(`ioccbFromScores: needs scores (O has ${o.length}, S has ${s.length})`);
  const mean = (x: readonly number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
  const mo = mean(o);
  const ms = mean(s);
  const d = Math.sqrt(Math.abs(ms - mo));
  const maxS = Math.max(...s);
  const v = ms > mo ? maxS + d : maxS - d;
  return pyRound2(Math.min(100, Math.max(0, v)));
}
