/** Helpers shared by the families: identifier pools, wording pieces, I/O formatting. */
import type { Rng } from '../random.js';

export const POOLS = {
  arr: ['a', 'arr', 'nums', 'values', 'xs', 'data', 'items', 'seq', 'lst', 'numbers', 'vals', 'elems'],
  n: ['n', 'size', 'length', 'cnt', 'total'],
  q: ['q', 'queries', 'm', 'k_q', 'num_q'],
  x: ['x', 'v', 'val', 'item', 'cur', 'e'],
  i: ['i', 'j', 'idx', 'p', 'pos'],
  res: ['res', 'ans', 'result', 'out', 'answer', 'acc'],
  s: ['s', 'total', 'acc', 'sm', 'summ'],
  fn: ['solve', 'calc', 'compute', 'count_ways', 'go', 'f', 'rec'],
};

/** Distinct identifiers, one per role, each from its pool (falls back to role+suffix). */
export function pickNames<K extends string>(rng: Rng, pools: Record<K, readonly string[]>): Record<K, string> {
  const used = new Set<string>([
    'it',
    'sys',
    'data',
    'input',
    'print',
    'heapq',
    'bisect',
    'deque',
    'Counter',
    'tokens',
  ]);
  const out = {} as Record<K, string>;
  for (const role of Object.keys(pools) as K[]) {
    const options = rng.shuffle(pools[role]).filter((name) => !used.has(name));
    const name = options[0] ?? `${role}_${used.size}`;
    used.add(name);
    out[role] = name;
  }
  return out;
}

export const PEOPLE = [
  'Vasya',
  'Petya',
  'Alice',
  'Bob',
  'Masha',
  'Dima',
  'Lena',
  'Arkady',
  'Nastya',
  'Polycarp',
  'Sasha',
  'Olya',
];

export function lines(...parts: (string | number | (string | number)[])[]): string {
  return parts.map((p) => (Array.isArray(p) ? p.join(' ') : String(p))).join('\n') + '\n';
}

export function randInts(rng: Rng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => rng.int(lo, hi));
}

/** Scales a nominal size by a random factor in [0.85, 1.15], so large tests differ between problems. */
export function jitter(rng: Rng, size: number): number {
  return Math.max(1, Math.round(size * (0.85 + 0.3 * rng.next())));
}

/** Formats samples for the statement's `I/O test` field. */
export function samplesText(samples: { input: string; output: string }[]): string {
  return samples
    .map((s, i) => `Sample ${i + 1}\nInput\n${s.input.trimEnd()}\nOutput\n${s.output.trimEnd()}`)
    .join('\n\n');
}

/** Indents a block of Python lines by `levels` x 4 spaces. */
export function indent(code: string, levels = 1): string {
  const pad = '    '.repeat(levels);
  return code
    .split('\n')
    .map((l) => (l.length ? pad + l : l))
    .join('\n');
}
