/**
 * Line edits: the fast program written as the changes it makes to the slow one, so a code model
 * writes only the lines a rewrite touches and the rest of the program is carried over from the
 * slow code exactly (edit-style targets; cf. the diff outputs of CodeEditor and Coeditor).
 *
 * An edit is a list of hunks in slow-code order. Each hunk is a line `@@`, then the slow lines it
 * replaces (`-` + line), then the lines that replace them (`+` + line). Every hunk replaces at
 * least one slow line (a pure insertion takes the line before it, or the first line, along), so
 * the `-` lines locate it. A hunk's lines are written without the indentation they share (its
 * least indented line starts at column 0) and take the indentation of the slow lines they replace
 * when applied: the same rewrite reads the same at the top level, in a function or in a loop.
 *
 * ```
 * @@
 * -answer = 0
 * -for i in range(len(xs)):
 * +answer = sum(xs)
 * ```
 */

export interface EditHunk {
  /** The slow lines replaced (common indentation removed). */
  old: string[];
  /** The lines written in their place (the same indentation removed). */
  new: string[];
}

export interface AppliedEdit {
  /** The slow code with every hunk applied; undefined when a hunk could not be placed. */
  code?: string;
  hunks: number;
  /** Hunks placed although some of their `-` lines differ from the slow code. */
  fuzzy: number;
  /** Why the edit could not be applied: which hunk, and what is wrong. */
  error?: string;
}

const HUNK = '@@';

const indentOf = (l: string) => l.length - l.trimStart().length;

function splitLines(code: string): string[] {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Longest common subsequence of lines: for each position, whether it is kept. */
function keptLines(a: string[], b: string[]): { keepA: boolean[]; keepB: boolean[] } {
  const n = a.length;
  const m = b.length;
  const L: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const keepA = new Array<boolean>(n).fill(false);
  const keepB = new Array<boolean>(m).fill(false);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      keepA[i++] = true;
      keepB[j++] = true;
    } else if (L[i + 1][j] >= L[i][j + 1]) i++;
    else j++;
  }
  return { keepA, keepB };
}

function dedent(lines: string[], by: number): string[] {
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(by)));
}

export interface EditOptions {
  /**
   * For code whose own names are abstracted (`v0`, `v1`, ...: `abstractIdentifiers`): each hunk
   * names what its `-` lines use `h0`, `h1`, ... in order of first appearance, and names only the
   * fast code has `n0`, `n1`, ... across the edit, so the same rewrite reads the same whatever the
   * program around it numbers its names. A hunk is placed where its `-` lines match the slow code
   * up to a consistent renaming, and its `+` lines get the names found there (`n<i>` a new
   * placeholder beyond the slow code's). Names of the slow code a hunk uses but does not replace
   * stay `v<i>`. A hunk whose lines would match earlier in the slow code takes lines around it
   * along until it matches where it belongs.
   */
  localNames?: boolean;
}

/** Slow lines [a0, a1) replaced by fast lines [b0, b1). */
interface Span {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

function diffSpans(a: string[], b: string[]): Span[] {
  const { keepA, keepB } = keptLines(a, b);
  const spans: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && keepA[i] && keepB[j]) {
      i++;
      j++;
      continue;
    }
    const a0 = i;
    const b0 = j;
    while (i < a.length && !keepA[i]) i++;
    while (j < b.length && !keepB[j]) j++;
    // A pure insertion takes the slow line before it (or the first line) along, unchanged.
    if (i === a0) spans.push(a0 > 0 ? { a0: a0 - 1, a1: a0, b0: b0 - 1, b1: j } : { a0: 0, a1: 1, b0, b1: j + 1 });
    else spans.push({ a0, a1: i, b0, b1: j });
  }
  return spans;
}

const PLACEHOLDER = /(?<![\w.])v(\d+)\b/g;
const LOCAL = /(?<![\w.])([hn])(\d+)\b/g;

/** One more than the highest `v<i>` in the code: where names the slow code does not have start. */
function namesIn(lines: string[]): number {
  let n = 0;
  for (const l of lines) for (const m of l.matchAll(PLACEHOLDER)) n = Math.max(n, Number(m[1]) + 1);
  return n;
}

/** `-` lines with their `v<i>` renamed `h0`, `h1`, ... in order of first appearance (and the renaming). */
function localize(lines: string[]): { lines: string[]; local: Map<string, string> } {
  const local = new Map<string, string>();
  const out = lines.map((l) =>
    l.replace(PLACEHOLDER, (m) => {
      if (!local.has(m)) local.set(m, `h${local.size}`);
      return local.get(m)!;
    }),
  );
  return { lines: out, local };
}

function hunkText(
  a: string[],
  b: string[],
  s: Span,
  slowNames: number,
  fresh: Map<string, string> | undefined,
): EditHunk {
  const lines = [...a.slice(s.a0, s.a1), ...b.slice(s.b0, s.b1)].filter((l) => l.trim() !== '');
  const by = lines.length ? Math.min(...lines.map(indentOf)) : 0;
  const old = dedent(a.slice(s.a0, s.a1), by);
  const added = dedent(b.slice(s.b0, s.b1), by);
  if (!fresh) return { old, new: added };
  const { lines: oldLocal, local } = localize(old);
  const neu = added.map((l) =>
    l.replace(PLACEHOLDER, (m, d: string) => {
      if (local.has(m)) return local.get(m)!;
      if (Number(d) < slowNames) return m;
      if (!fresh.has(m)) fresh.set(m, `n${fresh.size}`);
      return fresh.get(m)!;
    }),
  );
  return { old: oldLocal, new: neu };
}

/** The hunks that turn `slow` into `fast` (empty when they are equal). */
export function lineEditHunks(slow: string, fast: string, options: EditOptions = {}): EditHunk[] {
  const a = splitLines(slow);
  const b = splitLines(fast);
  const spans = diffSpans(a, b);
  if (!options.localNames) return spans.map((s) => hunkText(a, b, s, 0, undefined));
  const slowNames = namesIn(a);
  const fresh = new Map<string, string>();
  const hunks: EditHunk[] = [];
  let cursor = 0;
  spans.forEach((s, k) => {
    const next = spans[k + 1]?.a0 ?? a.length;
    // Take neighbouring unchanged lines along until the hunk matches where it belongs first.
    for (;;) {
      const { old } = hunkText(a, b, s, slowNames, new Map(fresh));
      const p = place(a, old, cursor, true, true);
      if (p?.at === s.a0) break;
      if (s.a0 > cursor) s = { a0: s.a0 - 1, a1: s.a1, b0: s.b0 - 1, b1: s.b1 };
      else if (s.a1 < next) s = { a0: s.a0, a1: s.a1 + 1, b0: s.b0, b1: s.b1 + 1 };
      else break;
    }
    hunks.push(hunkText(a, b, s, slowNames, fresh));
    cursor = s.a1;
  });
  return hunks;
}

/** The edit text that turns `slow` into `fast` (an empty string when they are equal). */
export function lineEdit(slow: string, fast: string, options: EditOptions = {}): string {
  return formatLineEdit(lineEditHunks(slow, fast, options));
}

export function formatLineEdit(hunks: EditHunk[]): string {
  return hunks
    .map((h) => [HUNK, ...h.old.map((l) => `-${l}`), ...h.new.map((l) => `+${l}`)].join('\n') + '\n')
    .join('');
}

/**
 * Reads an edit text. Lines that are neither `@@`, `-...` nor `+...` (what a model may write by
 * mistake) are an error naming the line.
 */
export function parseLineEdit(edit: string): { hunks: EditHunk[]; error?: string } {
  const hunks: EditHunk[] = [];
  const lines = splitLines(edit);
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k];
    if (l === HUNK) {
      hunks.push({ old: [], new: [] });
      continue;
    }
    const h = hunks[hunks.length - 1];
    if (!h) return { hunks, error: `line ${k + 1}: the edit must start with '${HUNK}'` };
    if (l.startsWith('-') && h.new.length === 0) h.old.push(l.slice(1));
    else if (l.startsWith('+')) h.new.push(l.slice(1));
    else if (l.startsWith('-'))
      return { hunks, error: `line ${k + 1}: a '-' line after the '+' lines of hunk ${hunks.length}` };
    else return { hunks, error: `line ${k + 1}: not '${HUNK}', '-...' or '+...': ${JSON.stringify(l.slice(0, 40))}` };
  }
  return { hunks };
}

interface Placement {
  at: number;
  indent: string;
  /** `h<i>` -> the slow code's `v<j>` (localNames). */
  names: Map<string, string>;
}

/**
 * Whether the slow lines at `at` are hunk lines `old` at indentation `indent` (with local names: up
 * to the renaming `localize` gives them); then which slow name each `h<i>` stands for.
 */
function matchAt(
  lines: string[],
  old: string[],
  at: number,
  indent: string,
  localNames: boolean,
): Map<string, string> | undefined {
  const bodies: string[] = [];
  for (const [j, o] of old.entries()) {
    const l = lines[at + j];
    if (o.trim() === '' ? l.trim() !== '' : !l.startsWith(indent)) return undefined;
    bodies.push(o.trim() === '' ? '' : l.slice(indent.length));
  }
  const { lines: renamed, local } = localNames ? localize(bodies) : { lines: bodies, local: new Map<string, string>() };
  if (!old.every((o, j) => o.trim() === '' || renamed[j] === o)) return undefined;
  return new Map([...local].map(([v, h]) => [h, v]));
}

/**
 * Where hunk lines `old` sit in `lines` from `from` on, the indentation they have there and, with
 * local names, which slow names they stand for. Exact: every line equal (up to the renaming);
 * else the best near match, more than half of its lines (two at least) equal with every name read
 * as one and whitespace ignored; its names are read from those lines.
 */
function place(
  lines: string[],
  old: string[],
  from: number,
  exact: boolean,
  localNames: boolean,
): Placement | undefined {
  const k = old.length;
  const anchor = old.findIndex((o) => o.trim() !== '');
  if (anchor < 0) return undefined;
  const indentAt = (at: number, j: number) => {
    const extra = indentOf(lines[at + j]) - indentOf(old[j]);
    return extra < 0 ? undefined : lines[at + j].slice(0, extra);
  };
  if (exact) {
    for (let at = from; at + k <= lines.length; at++) {
      const indent = indentAt(at, anchor);
      if (indent === undefined) continue;
      const names = matchAt(lines, old, at, indent, localNames);
      if (names) return { at, indent, names };
    }
    return undefined;
  }
  // every name read as one, whitespace ignored
  const generic = (l: string) => l.replace(PLACEHOLDER, 'v').replace(LOCAL, 'v').replace(/\s+/g, '');
  let best: { at: number; score: number } | undefined;
  for (let at = from; at + k <= lines.length; at++) {
    const score = old.filter((o, j) => generic(o) === generic(lines[at + j])).length;
    if (!best || score > best.score) best = { at, score };
  }
  if (!best || k < 2 || best.score * 2 <= k) return undefined;
  const at = best.at;
  const names = new Map<string, string>();
  old.forEach((o, j) => {
    if (o.trim() === '' || generic(o) !== generic(lines[at + j])) return;
    const written = [...o.matchAll(LOCAL)].map((m) => m[0]);
    const found = [...lines[at + j].matchAll(PLACEHOLDER)].map((m) => m[0]);
    written.forEach((w, q) => {
      if (!names.has(w) && found[q]) names.set(w, found[q]);
    });
  });
  const j = old.findIndex((o, jj) => o.trim() !== '' && generic(o) === generic(lines[at + jj]));
  return { at, indent: indentAt(at, j) ?? '', names };
}

/**
 * Applies an edit to the slow code: each hunk is placed at the first exact match of its `-` lines
 * (at any indentation; with local names, up to a consistent renaming) after the previous hunk,
 * else anywhere, else at the best near match (more than half of its lines equal); its `+` lines
 * take the indentation and the names found there.
 */
export function applyLineEdit(slow: string, edit: string, options: EditOptions = {}): AppliedEdit {
  const localNames = options.localNames ?? false;
  const parsed = parseLineEdit(edit);
  if (parsed.error) return { hunks: parsed.hunks.length, fuzzy: 0, error: parsed.error };
  const lines = splitLines(slow);
  const out: string[] = [];
  let cursor = 0;
  let fuzzy = 0;
  let nextName = namesIn(lines);
  const fresh = new Map<string, string>();
  const taken = new Array<boolean>(lines.length).fill(false);
  const replaced = new Map<number, { end: number; lines: string[] }>();
  for (const [n, h] of parsed.hunks.entries()) {
    if (h.old.length === 0) return { hunks: parsed.hunks.length, fuzzy, error: `hunk ${n + 1}: no '-' lines` };
    const free = (p: Placement | undefined) =>
      p && !taken.slice(p.at, p.at + h.old.length).some(Boolean) ? p : undefined;
    let p = free(place(lines, h.old, cursor, true, localNames)) ?? free(place(lines, h.old, 0, true, localNames));
    if (!p) {
      p = free(place(lines, h.old, cursor, false, localNames)) ?? free(place(lines, h.old, 0, false, localNames));
      if (p) fuzzy++;
    }
    if (!p)
      return {
        hunks: parsed.hunks.length,
        fuzzy,
        error: `hunk ${n + 1}: its ${h.old.length} '-' line(s) are not in the slow code (first: ${JSON.stringify(h.old[0].slice(0, 60))})`,
      };
    for (let q = p.at; q < p.at + h.old.length; q++) taken[q] = true;
    const { indent, names } = p;
    const rename = (l: string) =>
      !localNames
        ? l
        : l.replace(LOCAL, (m, kind: string) => {
            if (kind === 'h' && names.has(m)) return names.get(m)!;
            // an h<i> the '-' lines do not have, or a name new in the fast code: a new placeholder
            const key = kind === 'h' ? `${n}:${m}` : m;
            if (!fresh.has(key)) fresh.set(key, `v${nextName++}`);
            return fresh.get(key)!;
          });
    replaced.set(p.at, {
      end: p.at + h.old.length,
      lines: h.new.map((l) => (l.trim() === '' ? '' : indent + rename(l))),
    });
    cursor = p.at + h.old.length;
  }
  for (let q = 0; q < lines.length;) {
    const r = replaced.get(q);
    if (r) {
      out.push(...r.lines);
      q = r.end;
    } else out.push(lines[q++]);
  }
  const trailing = /\n$/.test(slow) || slow === '' ? '\n' : '';
  return { code: out.join('\n') + (out.length ? trailing : ''), hunks: parsed.hunks.length, fuzzy };
}
