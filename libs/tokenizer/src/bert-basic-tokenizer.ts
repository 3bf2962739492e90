/**
 * BERT's BasicTokenizer: the step before WordPiece. Cleans the text (drops NUL, U+FFFD and
 * control characters, turns whitespace into spaces), puts spaces around CJK ideographs, NFC
 * normalises, splits on whitespace, lower-cases and strips accents (NFD, combining marks dropped)
 * for an uncased model, and cuts every punctuation character into its own token. Tokens listed in
 * neverSplit are kept whole and untouched.
 */

export interface BasicTokenizerOptions {
  /** Default true (bert-base-uncased). */
  doLowerCase?: boolean;
  /** Default: the same as doLowerCase. */
  stripAccents?: boolean;
  /** Default true. */
  tokenizeChineseChars?: boolean;
  /** Tokens kept as they are. */
  neverSplit?: Iterable<string>;
}

const CONTROL = /^\p{C}$/u;
const SPACE_SEPARATOR = /^\p{Zs}$/u;
const PUNCTUATION = /^\p{P}$/u;
const COMBINING_MARK = /\p{Mn}/gu;
/** Python's str.split() whitespace (str.isspace). */
const PY_SPLIT = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function isWhitespace(ch: string, cp: number): boolean {
  return cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d || SPACE_SEPARATOR.test(ch);
}

function isControl(ch: string, cp: number): boolean {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return false;
  return CONTROL.test(ch);
}

/** BERT's punctuation: all non-alphanumeric ASCII, plus Unicode category P*. */
export function isBertPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0) as number;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
    return true;
  }
  return PUNCTUATION.test(ch);
}

/** The CJK Unified Ideograph blocks BERT spaces out (not Hangul, kana or other CJK scripts). */
export function isCjkIdeograph(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function whitespaceSplit(text: string): string[] {
  return text.split(PY_SPLIT).filter((t) => t.length > 0);
}

export class BasicTokenizer {
  readonly doLowerCase: boolean;
  readonly stripAccents: boolean;
  readonly tokenizeChineseChars: boolean;
  private readonly neverSplit: Set<string>;

  constructor(options: BasicTokenizerOptions = {}) {
    this.doLowerCase = options.doLowerCase ?? true;
    this.stripAccents = options.stripAccents ?? this.doLowerCase;
    this.tokenizeChineseChars = options.tokenizeChineseChars ?? true;
    this.neverSplit = new Set(options.neverSplit ?? []);
  }

  /** Drops invalid and control characters; every whitespace character becomes a space. */
  cleanText(text: string): string {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      if (cp === 0 || cp === 0xfffd || isControl(ch, cp)) continue;
      out += isWhitespace(ch, cp) ? ' ' : ch;
    }
    return out;
  }

  private spaceCjk(text: string): string {
    let out = '';
    for (const ch of text) out += isCjkIdeograph(ch.codePointAt(0) as number) ? ` ${ch} ` : ch;
    return out;
  }

  private splitOnPunctuation(token: string): string[] {
    const out: string[] = [];
    let current = '';
    for (const ch of token) {
      if (isBertPunctuation(ch)) {
        if (current.length > 0) out.push(current);
        out.push(ch);
        current = '';
      } else current += ch;
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  tokenize(text: string): string[] {
    let t = this.cleanText(text);
    if (this.tokenizeChineseChars) t = this.spaceCjk(t);
    t = t.normalize('NFC');
    const out: string[] = [];
    for (let token of whitespaceSplit(t)) {
      if (this.neverSplit.has(token)) {
        out.push(token);
        continue;
      }
      if (this.doLowerCase) token = token.toLowerCase();
      if (this.stripAccents) token = token.normalize('NFD').replace(COMBINING_MARK, '');
      for (const piece of this.splitOnPunctuation(token)) out.push(...whitespaceSplit(piece));
    }
    return out;
  }
}
