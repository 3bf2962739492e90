/**
 * A deterministic mixed corpus for tokenizer tests and benchmarks: Python-like code, English-like
 * prose with contractions, digits in many forms, whitespace runs, accented and non-Latin scripts,
 * CJK, emoji sequences and random code points. Same seed and size, same text.
 *
 * U+0085 and U+FEFF are left out by default: they are the two characters where JavaScript's `\s`
 * and Python's differ, so an independent JavaScript GPT-2 encoder (js-tiktoken) disagrees with
 * GPT-2 on them. Pass `includeRegexEdgeCases: true` to put them in.
 */
import { mulberry32FromState } from '@ecode/config';

export interface CorpusOptions {
  /** Target size in UTF-8 bytes (the text ends at the first segment boundary past it). */
  bytes: number;
  seed?: number;
  includeRegexEdgeCases?: boolean;
}

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have ' +
  'an they you were her she there can all would their we him been has when who will more no if out so ' +
  'said what up its about into than them only other new some could time these two may then do first any ' +
  'my now such like our over man me even most made after also did many before must through back years ' +
  'where much your way well down should because each just those people how too little state good very ' +
  'make world still own see men work long get here between both life being under never day same another ' +
  'know while last might us great old year off come since against go came right used take three array ' +
  'sorted algorithm complexity quadratic linear runtime memory solution efficient input output test'
).split(' ');
const CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", '’s', "'", "''"];
const IDENTS = [
  'n',
  'm',
  'arr',
  'total',
  'ans',
  'dp',
  'seen',
  'count',
  'result',
  'nums',
  'grid',
  'i',
  'j',
  'k',
  '_x',
  'x2',
  'MOD',
  'heapq',
  'sys',
];
const UNICODE_WORDS = [
  'café',
  'naïve',
  'Ångström',
  'façade',
  'Straße',
  'ÉCOLE',
  'über',
  'mañana',
  'Øre',
  'Łódź',
  'İstanbul',
  'αβγ',
  'Ελληνικά',
  'Σίσυφος',
  'Привет',
  'мир',
  'Україна',
  'مرحبا',
  'שלום',
  'नमस्ते',
  'ภาษาไทย',
  'ქართული',
  'e\u0301',
  'a\u0308o\u0308',
  'ﬁne',
  'Ⅻ',
  '½',
  '²³',
  '∑∫√∞',
  '≤≥≠',
  '→⇒',
  '€£¥',
  '©®™',
  '§¶†',
  '«»',
  '“quoted”',
  '—',
  '…',
];
const CJK = [
  '你好世界',
  '中文分词',
  '東京都',
  'こんにちは',
  'カタカナ',
  'ひらがなとカタカナ',
  '한국어',
  '안녕하세요',
  '漢字と仮名',
  '测试数据集',
];
const EMOJI = ['🎉', '😀', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', '🏳️‍🌈', '❤️', '✔️', '🐍', '🚀', '🧪', '⭐', '☕', '👩🏿‍💻', '🤖', '🫠'];
const SPACES = [
  ' ',
  '  ',
  '   ',
  '    ',
  '\t',
  '\t\t',
  '\n',
  '\n\n',
  '\r\n',
  ' \n',
  '  \n\n  ',
  '\u00a0',
  '\u2003',
  '\u3000',
  '\u2009',
  '\u202f',
  '\n\t',
];
const PUNCT = [
  '.',
  ',',
  '!',
  '?',
  ';',
  ':',
  '...',
  '?!',
  '--',
  '(',
  ')',
  '"',
  '[',
  ']',
  '{',
  '}',
  '/',
  '@',
  '#',
  '$',
  '%',
  '&',
  '*',
  '<',
  '>',
  '|',
  '~',
  '`',
  '^',
  '\\',
];

export function syntheticCorpus(options: CorpusOptions): string {
  const rnd = mulberry32FromState(options.seed ?? 12345);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const edge = options.includeRegexEdgeCases === true;

  const number = (): string => {
    switch (int(0, 9)) {
      case 0:
        return String(int(0, 9));
      case 1:
        return String(int(0, 1e9));
      case 2:
        return `${int(0, 999)}.${int(0, 99999)}`;
      case 3:
        return `${int(1, 9)}e-${int(1, 12)}`;
      case 4:
        return '0x' + int(0, 0xffffff).toString(16);
      case 5:
        return '٣٤٥';
      case 6:
        return '３２１';
      case 7:
        return `${int(1, 12)}/${int(1, 28)}/${int(1900, 2030)}`;
      case 8:
        return String(int(0, 99)).padStart(6, '0');
      default:
        return `${int(0, 255)}.${int(0, 255)}.${int(0, 255)}.${int(0, 255)}`;
    }
  };

  const prose = (): string => {
    const parts: string[] = [];
    const n = int(8, 40);
    for (let i = 0; i < n; i++) {
      let w = pick(WORDS);
      const r = rnd();
      if (i === 0 || r < 0.08) w = w[0].toUpperCase() + w.slice(1);
      else if (r < 0.1) w = w.toUpperCase();
      if (rnd() < 0.08) w += pick(CONTRACTIONS);
      if (rnd() < 0.05) w = pick(UNICODE_WORDS);
      if (rnd() < 0.04) w = number();
      if (rnd() < 0.12) w += pick(PUNCT);
      parts.push(w);
    }
    return (
      parts.join(rnd() < 0.9 ? ' ' : '  ') + pick(['.', '!', '?', '.\n', '\n\n', ' ']) + (rnd() < 0.2 ? '\n' : ' ')
    );
  };

  const code = (): string => {
    const ind = rnd() < 0.85 ? '    ' : '\t';
    const f = pick(IDENTS);
    const g = pick(IDENTS);
    const lines = [
      `def solve_${f}(${g}, ${pick(IDENTS)}=None):`,
      `${ind}"""Return the ${pick(WORDS)} of ${g} in O(n log n)."""`,
      `${ind}${f} = [int(x) for x in input().split()]`,
      `${ind}for i in range(len(${f})):`,
      `${ind}${ind}if ${f}[i] % ${int(2, 9)} == 0 and i != ${number()}:  # ${pick(WORDS)} ${pick(WORDS)}`,
      `${ind}${ind}${ind}${g} += ${f}[i] ** 2 // ${int(1, 7)}`,
      `${ind}${ind}elif ${f}[i] >= ${number()}: ${g} -= 1`,
      `${ind}print(f"{${g}:>10} -> {${f}!r}", end='')  `,
      `${ind}return {'key': ${f}, "val": [${number()}, ${number()}]}`,
      '',
      `class ${f[0].toUpperCase() + f.slice(1)}Solver:`,
      `${ind}def __init__(self, *args, **kwargs) -> None:`,
      `${ind}${ind}self.memo: dict[int, int] = {}   `,
      `${ind}${ind}self.${g} = lambda a, b: (a << 2) | (b >> 1) ^ ~a`,
      '',
      '',
    ];
    const start = int(0, 8);
    return lines.slice(start, start + int(3, 12)).join(rnd() < 0.9 ? '\n' : '\r\n') + '\n';
  };

  const randomCodePoints = (): string => {
    let s = '';
    const n = int(1, 12);
    for (let i = 0; i < n; i++) {
      let cp = rnd() < 0.7 ? int(0x20, 0x2fff) : rnd() < 0.5 ? int(0x3000, 0xffff) : int(0x10000, 0x1ffff);
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
      if (!edge && (cp === 0x85 || cp === 0xfeff)) cp = 0x42;
      s += String.fromCodePoint(cp);
    }
    return s;
  };

  const chunks: string[] = [];
  let bytes = 0;
  while (bytes < options.bytes) {
    const r = rnd();
    let s: string;
    if (r < 0.35) s = code();
    else if (r < 0.7) s = prose();
    else if (r < 0.78) s = pick(CJK) + pick(['', '，', '。', ' ', '\n']) + pick(CJK);
    else if (r < 0.84) s = pick(EMOJI) + (rnd() < 0.5 ? pick(EMOJI) : ' ') + pick(WORDS);
    else if (r < 0.89) s = pick(SPACES) + pick(SPACES) + pick(WORDS) + pick(SPACES);
    else if (r < 0.93) s = number() + pick([' ', ',', '\n', '']) + number();
    else if (r < 0.97) s = randomCodePoints();
    else if (r < 0.985) s = pick(UNICODE_WORDS) + ' ' + pick(UNICODE_WORDS);
    else s = edge && rnd() < 0.5 ? 'a\u0085b \ufeffc\u0085 ' : pick(PUNCT) + pick(PUNCT) + pick(PUNCT);
    chunks.push(s);
    bytes += Buffer.byteLength(s, 'utf8');
  }
  return chunks.join('');
}
