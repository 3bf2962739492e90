/**
 * The subset of YAML that MLflow's file store uses for `meta.yaml`: one flat mapping whose values
 * are strings, integers, null or the empty list. `dumpFlatYaml` writes it byte for byte as PyYAML's
 * `yaml.safe_dump(data, default_flow_style=False, allow_unicode=True, sort_keys=True)` does
 * (plain scalars when they read back as the same string, else single quotes, else double quotes;
 * long scalars folded at column 80 with a two-space indent). `parseFlatYaml` reads that subset back,
 * including files MLflow itself wrote.
 */

export type FlatYamlValue = string | number | null | [];
export type FlatYaml = Record<string, FlatYamlValue>;

const BEST_WIDTH = 80;
const INDENT = 2;
const BREAKS = '\n\x85\u2028\u2029';
const WHITESPACE = '\0 \t\r\n\x85\u2028\u2029';

/** YAML 1.1 implicit resolvers of PyYAML: a plain scalar matching one of these is not a string. */
const IMPLICIT_NON_STRING: RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

interface ScalarAnalysis {
  empty: boolean;
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function isUnicodePrintable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (
    (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c < 0x10ffff)) &&
    c !== 0xfeff
  );
}

/** PyYAML's Emitter.analyze_scalar, reduced to what the block-mapping value position needs. */
function analyzeScalar(scalar: string): ScalarAnalysis {
  const chars = Array.from(scalar);
  if (chars.length === 0) {
    return { empty: true, multiline: false, allowBlockPlain: false, allowSingleQuoted: true };
  }
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (scalar.startsWith('---') || scalar.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || WHITESPACE.includes(chars[1]);
  let previousSpace = false;
  let previousBreak = false;
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index];
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ('?:'.includes(ch) && followedByWhitespace) blockIndicators = true;
      if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!(ch === '\n' || (ch >= '\x20' && ch <= '\x7e'))) {
      if (!isUnicodePrintable(ch)) specialCharacters = true;
    }
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = WHITESPACE.includes(ch);
    followedByWhitespace = index + 1 >= chars.length - 1 || WHITESPACE.includes(chars[index + 2]);
  }
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (breakSpace) {
    allowBlockPlain = false;
    allowSingleQuoted = false;
  }
  if (spaceBreak || specialCharacters) {
    allowBlockPlain = false;
    allowSingleQuoted = false;
  }
  if (lineBreaks) allowBlockPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

/** Writes one scalar the way PyYAML's emitter does after `key:`, tracking the output column. */
class ScalarWriter {
  out = '';
  column: number;
  whitespace = false;
  indention = false;
  constructor(startColumn: number) {
    this.column = startColumn;
  }
  private write(data: string): void {
    this.out += data;
    this.column += Array.from(data).length;
  }
  private writeLineBreak(br = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.out += br;
    this.column = 0;
  }
  private writeIndent(): void {
    if (!this.indention || this.column > INDENT || (this.column === INDENT && !this.whitespace)) this.writeLineBreak();
    if (this.column < INDENT) {
      this.whitespace = true;
      this.write(' '.repeat(INDENT - this.column));
    }
  }
  private writeIndicator(indicator: string, needWhitespace: boolean): void {
    const data = this.whitespace || !needWhitespace ? indicator : ' ' + indicator;
    this.whitespace = false;
    this.indention = false;
    this.write(data);
  }

  plain(text: string): void {
    const chars = Array.from(text);
    this.write(' ');
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.write(chars.slice(start, end).join(''));
          }
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch)) {
        this.write(chars.slice(start, end).join(''));
        start = end;
      }
      if (ch !== undefined) spaces = ch === ' ';
    }
  }

  singleQuoted(text: string): void {
    const chars = Array.from(text);
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && start !== 0 && end !== chars.length) {
            this.writeIndent();
          } else {
            this.write(chars.slice(start, end).join(''));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (chars[start] === '\n') this.writeLineBreak();
          for (const br of chars.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  doubleQuoted(text: string): void {
    const ESCAPES: Record<string, string> = {
      '\0': '0',
      '\x07': 'a',
      '\x08': 'b',
      '\x09': 't',
      '\x0A': 'n',
      '\x0B': 'v',
      '\x0C': 'f',
      '\x0D': 'r',
      '\x1B': 'e',
      '"': '"',
      '\\': '\\',
      '\x85': 'N',
      '\xA0': '_',
      '\u2028': 'L',
      '\u2029': 'P',
    };
    const chars = Array.from(text);
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (
        ch === undefined ||
        '"\\\x85\u2028\u2029\uFEFF'.includes(ch) ||
        !((ch >= '\x20' && ch <= '\x7E') || isUnicodePrintable(ch))
      ) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
        if (ch !== undefined) {
          let data: string;
          if (ch in ESCAPES) data = '\\' + ESCAPES[ch];
          else {
            const c = ch.codePointAt(0)!;
            if (c <= 0xff) data = '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
            else if (c <= 0xffff) data = '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
            else data = '\\U' + c.toString(16).toUpperCase().padStart(8, '0');
          }
          this.write(data);
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < chars.length - 1 &&
        (ch === ' ' || start >= end) &&
        this.column + (end - start) > BEST_WIDTH
      ) {
        let data = chars.slice(start, end).join('') + '\\';
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === ' ') {
          data = '\\';
          this.write(data);
        }
      }
    }
    this.writeIndicator('"', false);
  }
}

function isImplicitString(value: string): boolean {
  return !IMPLICIT_NON_STRING.some((re) => re.test(value));
}

function emitString(key: string, value: string): string {
  const writer = new ScalarWriter(Array.from(key).length + 1);
  const analysis = analyzeScalar(value);
  if (isImplicitString(value) && !analysis.empty && analysis.allowBlockPlain) writer.plain(value);
  else if (analysis.allowSingleQuoted) writer.singleQuoted(value);
  else writer.doubleQuoted(value);
  return writer.out;
}

/** Serialise a flat mapping exactly as PyYAML's safe_dump (sorted keys, block style) does. */
export function dumpFlatYaml(data: FlatYaml): string {
  const keys = Object.keys(data).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = '';
  for (const key of keys) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`dumpFlatYaml: key '${key}' is not a simple key`);
    const value = data[key];
    out += key + ':';
    if (value === null) out += ' null';
    else if (Array.isArray(value)) out += ' []';
    else if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new Error(`dumpFlatYaml: '${key}' must be an integer, got ${value}`);
      out += ' ' + String(value);
    } else out += emitString(key, value);
    out += '\n';
  }
  return out;
}

function unquoteSingle(body: string): string {
  return foldLines(body).replace(/''/g, "'");
}

function unquoteDouble(body: string, where: string): string {
  // Line folding first (an escaped line break joins without a space), then escapes.
  const joined = body.replace(/\\\n[ \t]*/g, '').replace(/[ \t]*\n[ \t]*/g, (m) => (m.includes('\n') ? ' ' : m));
  const MAP: Record<string, string> = {
    '0': '\0',
    a: '\x07',
    b: '\x08',
    t: '\t',
    '\t': '\t',
    n: '\n',
    v: '\x0B',
    f: '\x0C',
    r: '\r',
    e: '\x1B',
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    N: '\x85',
    _: '\xA0',
    L: '\u2028',
    P: '\u2029',
  };
  return joined.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, esc: string) => {
    if (esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (!(esc in MAP)) throw new Error(`${where}: unknown escape '\\${esc}' in a double-quoted scalar`);
    return MAP[esc];
  });
}

/** YAML flow folding: a single line break between lines becomes a space, n+1 breaks become n newlines. */
function foldLines(text: string): string {
  const lines = text.split('\n').map((l, i, all) => {
    let s = l;
    if (i > 0) s = s.replace(/^[ \t]+/, '');
    if (i < all.length - 1) s = s.replace(/[ \t]+$/, '');
    return s;
  });
  let out = lines[0];
  let pendingBreaks = 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '' && i < lines.length - 1) {
      pendingBreaks++;
      continue;
    }
    out += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ';
    out += lines[i];
    pendingBreaks = 0;
  }
  return out;
}

function parsePlain(text: string): FlatYamlValue {
  const folded = foldLines(text);
  if (/^(?:~|null|Null|NULL|)$/.test(folded)) return null;
  if (folded === '[]') return [];
  if (/^[-+]?(?:0|[1-9][0-9_]*)$/.test(folded)) return Number(folded.replace(/_/g, ''));
  return folded;
}

/**
 * Read a flat mapping (MLflow's meta.yaml). `where` names the file in error messages. Nested
 * structures are not part of the format and are rejected.
 */
export function parseFlatYaml(text: string, where = 'meta.yaml'): FlatYaml {
  const result: FlatYaml = {};
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^[ \t]*$/.test(line) || line.startsWith('#') || line === '---' || line === '...') {
      i++;
      continue;
    }
    const m = /^([^ \t:'"][^:]*?|'[^']*'|"[^"]*"):(?:[ \t]+(.*))?$/.exec(line);
    if (!m) throw new Error(`${where}:${i + 1}: expected 'key: value', got '${line}'`);
    const key = m[1].replace(/^['"]|['"]$/g, '');
    let raw = m[2] ?? '';
    i++;
    // Continuation lines: indented lines that follow, and blank lines between them. Only space and
    // tab are YAML whitespace (a no-break space is content).
    const isIndented = (l: string) => /^[ \t]+[^ \t]/.test(l);
    const isBlank = (l: string) => /^[ \t]*$/.test(l);
    while (i < lines.length) {
      if (isIndented(lines[i])) {
        raw += '\n' + lines[i];
        i++;
        continue;
      }
      let j = i;
      while (j < lines.length && isBlank(lines[j])) j++;
      if (j > i && j < lines.length && isIndented(lines[j])) {
        for (; i < j; i++) raw += '\n' + lines[i];
        continue;
      }
      break;
    }
    const quoted = raw.startsWith("'") || raw.startsWith('"');
    raw = raw.replace(/[ \t\n]+$/, '');
    if (!quoted) raw = raw.replace(/[ \t]+#.*$/, '');
    const lineNo = i;
    if (raw.startsWith("'")) {
      const end = raw;
      if (!end.endsWith("'") || end.length < 2)
        throw new Error(`${where}:${lineNo}: unterminated single-quoted value of '${key}'`);
      result[key] = unquoteSingle(end.slice(1, -1));
    } else if (raw.startsWith('"')) {
      const end = raw;
      if (!end.endsWith('"') || end.length < 2)
        throw new Error(`${where}:${lineNo}: unterminated double-quoted value of '${key}'`);
      result[key] = unquoteDouble(end.slice(1, -1), `${where}:${lineNo}`);
    } else if (raw.startsWith('{') || raw.startsWith('- ') || (raw.startsWith('[') && raw !== '[]')) {
      throw new Error(`${where}:${lineNo}: '${key}' holds a nested value; meta.yaml holds only scalars`);
    } else {
      result[key] = parsePlain(raw);
    }
  }
  return result;
}
