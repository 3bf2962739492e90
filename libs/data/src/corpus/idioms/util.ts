/** Small helpers the idioms share: input parts, sizes, Python loops in the context's style. */
import type { Rng } from '../../random.js';
import { jitter } from '../../synthetic/text.js';
import type { Part, Size, Theme } from '../types.js';

export const ints = (role: Part['role'], desc: (th: Theme) => string): Part => ({ role, kind: 'ints', desc });
export const pairs = (role: Part['role'], desc: (th: Theme) => string): Part => ({ role, kind: 'pairs', desc });
export const int = (role: Part['role'], desc: (th: Theme) => string): Part => ({ role, kind: 'int', desc });
export const str = (role: Part['role'], desc: (th: Theme) => string): Part => ({ role, kind: 'str', desc });
export const words = (role: Part['role'], desc: (th: Theme) => string): Part => ({ role, kind: 'words', desc });

export const valuesOf = (th: Theme) => `the ${th.value} of each of the ${th.items}`;
export const queriesOf = (th: Theme) => `the ${th.query}`;

/** A size: a few for samples, `medium`, and about `large` (varied per problem) for the large test. */
export function sz(rng: Rng, size: Size, medium: number, large: number, sample = 6): number {
  return size === 'sample' ? rng.int(3, sample) : size === 'medium' ? medium : jitter(rng, large);
}

export function randInts(rng: Rng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => rng.int(lo, hi));
}

export const py = (...lines: string[]) => lines.join('\n');

/** `res = [expr for x in src]` as a comprehension or an explicit loop. */
export function listOf(comp: boolean, res: string, expr: string, loop: string): string {
  return comp ? `${res} = [${expr} ${loop}]` : py(`${res} = []`, `${loop}:`, `    ${res}.append(${expr})`);
}

export const yesNo = (b: boolean) => (b ? 'YES' : 'NO');

export function randWord(rng: Rng, len: number, alphabet: string): string {
  let w = '';
  for (let i = 0; i < len; i++) w += alphabet[rng.int(0, alphabet.length - 1)];
  return w;
}

/** Random (l, r) ranges, 1-based inclusive, inside [1, n]. */
export function ranges(rng: Rng, n: number, q: number): [number, number][] {
  return Array.from({ length: q }, () => {
    const l = rng.int(1, n);
    const r = rng.int(1, n);
    return [Math.min(l, r), Math.max(l, r)] as [number, number];
  });
}
