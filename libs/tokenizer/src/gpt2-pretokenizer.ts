/**
 * GPT-2's pre-tokenisation: the text is cut into pieces by
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * and BPE runs inside each piece. GPT-2 evaluates it with Python's `regex` module, whose `\s` is
 * Unicode White_Space. JavaScript's `\s` differs in two characters (it lacks U+0085 and adds
 * U+FEFF), so `\s` is spelled out here as Python has it.
 */

/** Python `regex`'s `\s`: the Unicode White_Space characters. */
export const PY_WHITESPACE = '\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

export const GPT2_PATTERN_SOURCE =
  `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${PY_WHITESPACE}\\p{L}\\p{N}]+` +
  `|[${PY_WHITESPACE}]+(?![^${PY_WHITESPACE}])|[${PY_WHITESPACE}]+`;

/** A fresh global regex (each has its own lastIndex). */
export function gpt2PreTokenizerRegex(): RegExp {
  return new RegExp(GPT2_PATTERN_SOURCE, 'gu');
}

/** The pieces GPT-2 cuts `text` into; concatenated they give `text` back. */
export function gpt2PreTokenize(text: string): string[] {
  return text.match(gpt2PreTokenizerRegex()) ?? [];
}
