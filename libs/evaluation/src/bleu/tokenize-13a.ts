/**
 * sacreBLEU's `13a` tokenizer (mteval-v13a), reimplemented from its documented behaviour.
 * Python's str.split()/rstrip() whitespace set is used (it differs from JS's \s).
 */

/** Characters Python's str.split() with no argument treats as whitespace. */
export const PY_WHITESPACE =
  '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT_RE = new RegExp(`[${PY_WHITESPACE}]+`);
const RSTRIP_RE = new RegExp(`[${PY_WHITESPACE}]+$`);
const LSTRIP_RE = new RegExp(`^[${PY_WHITESPACE}]+`);

/** Python's `s.split()`. */
export function pySplit(s: string): string[] {
  return s.split(SPLIT_RE).filter((t) => t.length > 0);
}

/** Python's `s.lstrip()`. */
export function pyLstrip(s: string): string {
  return s.replace(LSTRIP_RE, '');
}

/** Python's `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(RSTRIP_RE, '');
}

const REGEXP_RULES: ReadonlyArray<[RegExp, string]> = [
  // language-dependent part: isolate punctuation and symbols
  [/([{-~[-` -&(-+:-@/])/g, ' $1 '],
  // period and comma unless preceded by a digit
  [/([^0-9])([.,])/g, '$1 $2 '],
  // period and comma unless followed by a digit
  [/([.,])([^0-9])/g, ' $1 $2'],
  // dash when preceded by a digit
  [/([0-9])(-)/g, '$1 $2 '],
];

/** The 13a tokenizer: returns the tokenized line (tokens joined by single spaces). */
export function tokenize13a(input: string): string {
  let line = input.split('<skipped>').join('');
  line = line.split('-\n').join('');
  line = line.split('\n').join(' ');
  if (line.includes('&')) {
    line = line.split('&quot;').join('"');
    line = line.split('&amp;').join('&');
    line = line.split('&lt;').join('<');
    line = line.split('&gt;').join('>');
  }
  line = ` ${line} `;
  for (const [re, repl] of REGEXP_RULES) line = line.replace(re, repl);
  return pySplit(line).join(' ');
}

export type BleuTokenizer = '13a' | 'none';

export function tokenizeFor(kind: BleuTokenizer, line: string): string {
  if (kind === '13a') return tokenize13a(line);
  if (kind === 'none') return line;
  throw new Error(`sacreBLEU tokenizer "${String(kind)}" is not implemented; use "13a" or "none"`);
}
