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

/** Characters BERT drops: NUL, U+FFFD and control characters (category C*, but not \t \n \r). */
const DROPPED = /[\0\ufffd]|(?![\t\n\r])\p{C}/gu;
/** Characters BERT turns into a space: \t \n \r and category Zs. */
const TO_SPACE = /[\t\n\r\p{Zs}]/gu;
/** BERT's punctuation: all non-alphanumeric ASCII, plus Unicode category P*. */
const PUNCTUATION = /[!-/:-@[-`{-~]|\p{P}/u;
const PUNCTUATION_SPLIT = /([!-/:-@[-`{-~]|\p{P})/u;
const COMBINING_MARK = /\p{Mn}/gu;
const NON_ASCII = /[^\0-\x7f]/;
/** The CJK Unified Ideograph blocks BERT spaces out (not Hangul, kana or other CJK scripts). */
const CJK =
  /[\u4e00-\u9fff\u3400-\u4dbf\u{20000}-\u{2a6df}\u{2a700}-\u{2b73f}\u{2b740}-\u{2b81f}\u{2b820}-\u{2ceaf}\uf900-\ufaff\u{2f800}-\u{2fa1f}]/gu;
/** Python's str.split() whitespace (str.isspace), which includes the separators \x1c-\x1f. */
// eslint-disable-next-line no-control-regex -- the control characters are what Python splits on
const PY_SPLIT = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export function isBertPunctuation(ch: string): boolean {
  return PUNCTUATION.test(ch) && Array.from(ch).length === 1;
}

export function isCjkIdeograph(cp: number): boolean {
  CJK.lastIndex = 0;
  return CJK.test(String.fromCodePoint(cp));
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
    return text.replace(DROPPED, '').replace(TO_SPACE, ' ');
  }

  tokenize(text: string): string[] {
    let t = this.cleanText(text);
    if (this.tokenizeChineseChars) t = t.replace(CJK, ' $& ');
    t = t.normalize('NFC');
    const out: string[] = [];
    for (let token of whitespaceSplit(t)) {
      if (this.neverSplit.has(token)) {
        out.push(token);
        continue;
      }
      if (this.doLowerCase) token = token.toLowerCase();
      if (this.stripAccents && NON_ASCII.test(token)) token = token.normalize('NFD').replace(COMBINING_MARK, '');
      if (!PUNCTUATION.test(token)) {
        out.push(token);
        continue;
      }
      for (const piece of token.split(PUNCTUATION_SPLIT)) if (piece.length > 0) out.push(...whitespaceSplit(piece));
    }
    return out;
  }
}
