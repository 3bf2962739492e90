/**
 * A safe parser for Python literals (the subset `ast.literal_eval` accepts, plus what GEC's
 * metadata files use). It never evaluates anything: it reads strings in every quote form with
 * escapes and r/b/u prefixes, adjacent string concatenation, True/False/None, ints (decimal with
 * underscores, hex, octal, binary), floats, signs, lists, tuples, dicts, sets and `set()`.
 *
 * Values: str -> string, int -> number (bigint beyond 2^53), float -> number, bool -> boolean,
 * None -> null, list -> array, tuple -> PyTuple, dict -> PyDict, set -> PySet, bytes -> PyBytes.
 * An int and an integral float both become a JS number (`1` and `1.0` read the same).
 */

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PySet {
  constructor(readonly items: PyValue[]) {}
}

export class PyBytes {
  constructor(readonly bytes: Uint8Array) {}
}

/** A dict with Python key semantics (1, 1.0 and True are the same key); insertion order kept. */
export class PyDict {
  private readonly index = new Map<string, number>();
  readonly entries: [PyValue, PyValue][] = [];

  /** Inserts like `d[key] = value`: an existing key keeps its position and takes the new value. */
  set(key: PyValue, value: PyValue): void {
    const k = hashKey(key);
    const at = this.index.get(k);
    if (at === undefined) {
      this.index.set(k, this.entries.length);
      this.entries.push([key, value]);
    } else {
      this.entries[at][1] = value;
    }
  }

  get(key: PyValue): PyValue | undefined {
    const at = this.index.get(hashKey(key));
    return at === undefined ? undefined : this.entries[at][1];
  }

  has(key: PyValue): boolean {
    return this.index.has(hashKey(key));
  }

  get size(): number {
    return this.entries.length;
  }

  keys(): PyValue[] {
    return this.entries.map((e) => e[0]);
  }
}

export type PyValue = string | number | bigint | boolean | null | PyValue[] | PyTuple | PyDict | PySet | PyBytes;

/** A literal that could not be read: `line` and `column` are 1-based. */
export class PythonLiteralError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly sourceName?: string,
  ) {
    super(`${sourceName ? sourceName + ':' : ''}${line}:${column}: ${reason}`);
    this.name = 'PythonLiteralError';
  }
}

/** The key under which Python would store a value in a dict or set; throws for unhashable values. */
export function hashKey(value: PyValue): string {
  if (value === null) return 'N';
  if (typeof value === 'boolean') return value ? 'n:1' : 'n:0';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return 'n:' + BigInt(value).toString();
    return 'n:' + String(value);
  }
  if (typeof value === 'bigint') return 'n:' + value.toString();
  if (typeof value === 'string') return 's:' + value;
  if (value instanceof PyBytes) return 'b:' + Buffer.from(value.bytes).toString('hex');
  if (value instanceof PyTuple) return 't:' + JSON.stringify(value.items.map(hashKey));
  const kind = Array.isArray(value) ? 'list' : value instanceof PyDict ? 'dict' : 'set';
  throw new TypeError(`unhashable type: '${kind}'`);
}

export interface ParseOptions {
  /** Named in error messages (e.g. the file path). */
  sourceName?: string;
  /** Deepest nesting allowed (default 1000). */
  maxDepth?: number;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
};

const HEX_INT = /0[xX](?:_?[0-9a-fA-F])+/y;
const OCT_INT = /0[oO](?:_?[0-7])+/y;
const BIN_INT = /0[bB](?:_?[01])+/y;
const DIGITS = String.raw`\d(?:_?\d)*`;
const EXP = String.raw`[eE][+-]?${DIGITS}`;
const FLOAT = new RegExp(String.raw`(?:${DIGITS})?\.${DIGITS}(?:${EXP})?|${DIGITS}\.(?:${EXP})?|${DIGITS}${EXP}`, 'y');
const DEC_INT = new RegExp(DIGITS, 'y');
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

interface Num {
  value: number | bigint;
  isFloat: boolean;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly maxDepth: number;

  constructor(
    private readonly src: string,
    private readonly options: ParseOptions,
  ) {
    this.maxDepth = options.maxDepth ?? 1000;
  }

  fail(reason: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.src.length; i++) {
      if (this.src.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new PythonLiteralError(reason, line, at - lineStart + 1, this.options.sourceName);
  }

  parseTop(): PyValue {
    this.skipSpace();
    if (this.pos >= this.src.length) this.fail('expected a literal, found the end of the input');
    const first = this.parseValue();
    this.skipSpace();
    let result: PyValue = first;
    if (this.peek() === ',') {
      // `1, 2` at top level is a tuple, as eval() reads it.
      const items = [first];
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
        if (this.pos >= this.src.length) break;
        items.push(this.parseValue());
        this.skipSpace();
      }
      result = new PyTuple(items);
    }
    if (this.pos < this.src.length) this.fail(`unexpected ${this.describe()} after the literal`);
    return result;
  }

  private peek(): string {
    return this.src[this.pos] ?? '';
  }

  private describe(at = this.pos): string {
    if (at >= this.src.length) return 'end of input';
    const ch = this.src.codePointAt(at)!;
    if (ch < 0x20 || ch === 0x7f || ch === 0xfeff)
      return `character U+${ch.toString(16).toUpperCase().padStart(4, '0')}`;
    return `'${String.fromCodePoint(ch)}'`;
  }

  /** Whitespace, newlines, comments and backslash-newline continuations. */
  private skipSpace(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.pos++;
      else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '\\' && (s[this.pos + 1] === '\n' || s[this.pos + 1] === '\r')) this.pos += 2;
      else return;
    }
  }

  private expect(ch: string, what: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) this.fail(`expected '${ch}' ${what}, found ${this.describe()}`);
    this.pos++;
  }

  private parseValue(): PyValue {
    if (++this.depth > this.maxDepth) this.fail(`literal nested deeper than ${this.maxDepth} levels`);
    try {
      return this.parseValueInner();
    } finally {
      this.depth--;
    }
  }

  private parseValueInner(): PyValue {
    this.skipSpace();
    const c = this.peek();
    const start = this.pos;
    if (c === '[') return this.parseList();
    if (c === '(') return this.parseParen();
    if (c === '{') return this.parseBrace();
    if (c === "'" || c === '"') return this.parseStrings();
    if (c === '-' || c === '+') {
      this.pos++;
      this.skipSpace();
      const n = this.parseSignedNumber(start);
      return c === '-' ? negate(n) : n.value;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(this.src[this.pos + 1] ?? ''))) {
      return this.parseNumber().value;
    }
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.src);
    if (m) {
      const word = m[0];
      const after = this.src[this.pos + word.length];
      if (/^[rRbBuUfF]{1,2}$/.test(word) && (after === "'" || after === '"')) return this.parseStrings();
      this.pos += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      if (word === 'set') {
        this.skipSpace();
        if (this.peek() === '(') {
          this.pos++;
          this.skipSpace();
          if (this.peek() === ')') {
            this.pos++;
            return new PySet([]);
          }
        }
        this.fail("only the empty call 'set()' is a literal", start);
      }
      this.fail(`name '${word}' is not a literal (only True, False, None and set() are)`, start);
    }
    if (this.pos >= this.src.length) this.fail('expected a value, found the end of the input');
    this.fail(`expected a value, found ${this.describe()}`);
  }

  private parseSignedNumber(signAt: number): Num {
    const c = this.peek();
    if (c === '-' || c === '+') {
      this.pos++;
      this.skipSpace();
      const inner = this.parseSignedNumber(signAt);
      return c === '-' ? { value: negate(inner), isFloat: inner.isFloat } : inner;
    }
    if ((c >= '0' && c <= '9') || c === '.') return this.parseNumber();
    this.fail(`a sign must be followed by a number, found ${this.describe()}`, this.pos);
  }

  private parseNumber(): Num {
    const s = this.src;
    const start = this.pos;
    const tryRe = (re: RegExp): string | undefined => {
      re.lastIndex = start;
      const m = re.exec(s);
      return m ? m[0] : undefined;
    };
    let text: string | undefined;
    let num: Num;
    if ((text = tryRe(HEX_INT) ?? tryRe(OCT_INT) ?? tryRe(BIN_INT))) {
      const digits = text.slice(2).replace(/_/g, '');
      const radix = /[xX]/.test(text[1]) ? 'x' : /[oO]/.test(text[1]) ? 'o' : 'b';
      num = { value: toIntValue(BigInt(`0${radix}${digits}`)), isFloat: false };
    } else if ((text = tryRe(FLOAT))) {
      num = { value: Number(text.replace(/_/g, '')), isFloat: true };
    } else if ((text = tryRe(DEC_INT))) {
      const digits = text.replace(/_/g, '');
      if (digits.length > 1 && digits[0] === '0' && /[1-9]/.test(digits))
        this.fail('leading zeros in decimal integer literals are not permitted (use 0o for octal)', start);
      num = { value: toIntValue(BigInt(digits)), isFloat: false };
    } else {
      this.fail(`invalid number literal`, start);
    }
    this.pos = start + text.length;
    const after = s[this.pos] ?? '';
    if (after === 'j' || after === 'J') this.fail('complex numbers are not supported', start);
    if (/[A-Za-z0-9_.]/.test(after)) this.fail(`invalid number literal '${text}${after}'`, start);
    return num;
  }

  private parseList(): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    this.skipSpace();
    while (this.peek() !== ']') {
      if (this.pos >= this.src.length) this.fail("'[' was never closed");
      items.push(this.parseValue());
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
      } else if (this.peek() !== ']') this.fail(`expected ',' or ']' in a list, found ${this.describe()}`);
    }
    this.pos++;
    return items;
  }

  private parseParen(): PyValue {
    const open = this.pos;
    this.pos++;
    this.skipSpace();
    if (this.peek() === ')') {
      this.pos++;
      return new PyTuple([]);
    }
    const first = this.parseValue();
    this.skipSpace();
    if (this.peek() === ')') {
      this.pos++;
      return first;
    }
    const items = [first];
    while (this.peek() === ',') {
      this.pos++;
      this.skipSpace();
      if (this.peek() === ')') break;
      if (this.pos >= this.src.length) this.fail("'(' was never closed", open);
      items.push(this.parseValue());
      this.skipSpace();
    }
    if (this.peek() !== ')') this.fail(`expected ',' or ')' in a tuple, found ${this.describe()}`);
    this.pos++;
    return new PyTuple(items);
  }

  private hashable(value: PyValue, at: number): void {
    try {
      hashKey(value);
    } catch (err) {
      this.fail((err as Error).message, at);
    }
  }

  private parseBrace(): PyValue {
    const open = this.pos;
    this.pos++;
    this.skipSpace();
    if (this.peek() === '}') {
      this.pos++;
      return new PyDict();
    }
    const firstAt = this.pos;
    const first = this.parseValue();
    this.skipSpace();
    if (this.peek() === ':') {
      const dict = new PyDict();
      this.hashable(first, firstAt);
      this.pos++;
      dict.set(first, this.parseValue());
      this.skipSpace();
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace();
        if (this.peek() === '}') break;
        if (this.pos >= this.src.length) this.fail("'{' was never closed", open);
        const keyAt = this.pos;
        const key = this.parseValue();
        this.hashable(key, keyAt);
        this.expect(':', 'after a dict key');
        dict.set(key, this.parseValue());
        this.skipSpace();
      }
      if (this.peek() !== '}') this.fail(`expected ',' or '}' in a dict, found ${this.describe()}`);
      this.pos++;
      return dict;
    }
    const seen = new Set<string>();
    const items: PyValue[] = [];
    const add = (v: PyValue, at: number) => {
      this.hashable(v, at);
      const k = hashKey(v);
      if (!seen.has(k)) {
        seen.add(k);
        items.push(v);
      }
    };
    add(first, firstAt);
    while (this.peek() === ',') {
      this.pos++;
      this.skipSpace();
      if (this.peek() === '}') break;
      if (this.pos >= this.src.length) this.fail("'{' was never closed", open);
      const at = this.pos;
      add(this.parseValue(), at);
      this.skipSpace();
    }
    if (this.peek() !== '}') this.fail(`expected ',' or '}' in a set, found ${this.describe()}`);
    this.pos++;
    return new PySet(items);
  }

  /** One or more adjacent string literals, concatenated. */
  private parseStrings(): string | PyBytes {
    const first = this.parseOneString();
    let text = typeof first === 'string' ? first : undefined;
    const parts: number[][] = typeof first === 'string' ? [] : [first];
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      const c = this.peek();
      let isString = c === "'" || c === '"';
      if (!isString) {
        IDENT.lastIndex = this.pos;
        const m = IDENT.exec(this.src);
        const after = m ? this.src[this.pos + m[0].length] : '';
        isString = !!m && /^[rRbBuUfF]{1,2}$/.test(m[0]) && (after === "'" || after === '"');
      }
      if (!isString) {
        this.pos = save;
        break;
      }
      const at = this.pos;
      const next = this.parseOneString();
      if ((typeof next === 'string') !== (text !== undefined)) this.fail('cannot mix bytes and non-bytes literals', at);
      if (typeof next === 'string') text += next;
      else parts.push(next);
    }
    if (text !== undefined) return text;
    return new PyBytes(Uint8Array.from(parts.flat()));
  }

  private parseOneString(): string | number[] {
    const s = this.src;
    const start = this.pos;
    let prefix = '';
    while (s[this.pos] !== "'" && s[this.pos] !== '"') prefix += s[this.pos++];
    const p = prefix.toLowerCase();
    if (p.includes('f')) this.fail(`f-strings are not literals (prefix '${prefix}')`, start);
    if (!['', 'r', 'u', 'b', 'br', 'rb'].includes(p)) this.fail(`invalid string prefix '${prefix}'`, start);
    const raw = p.includes('r');
    const bytes = p.includes('b');
    const q = s[this.pos];
    const triple = s[this.pos + 1] === q && s[this.pos + 2] === q;
    this.pos += triple ? 3 : 1;
    const out: string[] = [];
    const codes: number[] = [];
    const emit = (text: string) => {
      if (bytes) {
        for (let i = 0; i < text.length; i++) {
          const code = text.charCodeAt(i);
          if (code > 0x7f) this.fail('bytes can only contain ASCII literal characters', this.pos - text.length + i);
          codes.push(code);
        }
      } else out.push(text);
    };
    let seg = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail(`unterminated ${triple ? 'triple-quoted ' : ''}string literal`, start);
      const c = s[this.pos];
      if (c === q) {
        if (!triple) break;
        if (s[this.pos + 1] === q && s[this.pos + 2] === q) break;
        this.pos++;
      } else if (c === '\n' || c === '\r') {
        if (!triple) this.fail('unterminated string literal (a newline inside a single-quoted string)', start);
        this.pos++;
      } else if (c === '\\') {
        if (raw) {
          // A raw string keeps the backslash; the next character cannot end the string.
          this.pos += s[this.pos + 1] === '\r' && s[this.pos + 2] === '\n' ? 3 : 2;
          continue;
        }
        emit(s.slice(seg, this.pos));
        this.readEscape(bytes, emit, codes);
        seg = this.pos;
      } else this.pos++;
    }
    emit(s.slice(seg, this.pos));
    this.pos += triple ? 3 : 1;
    return bytes ? codes : out.join('');
  }

  private readEscape(bytes: boolean, emit: (t: string) => void, codes: number[]): void {
    const s = this.src;
    const at = this.pos;
    const c = s[this.pos + 1];
    if (c === undefined) this.fail('unterminated string literal (backslash at the end of the input)', at);
    this.pos += 2;
    const put = (code: number) => {
      if (bytes) codes.push(code);
      else emit(String.fromCodePoint(code));
    };
    if (c === '\n') return;
    if (c === '\r') {
      if (s[this.pos] === '\n') this.pos++;
      return;
    }
    if (c in SIMPLE_ESCAPES) return put(SIMPLE_ESCAPES[c]);
    if (c >= '0' && c <= '7') {
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(s[this.pos] ?? '')) digits += s[this.pos++];
      const code = parseInt(digits, 8);
      // Python 3.11 keeps the low byte of an out-of-range octal escape in bytes (with a warning).
      return put(bytes ? code & 0xff : code);
    }
    const hexEscape = (n: number, name: string): number => {
      const h = s.slice(this.pos, this.pos + n);
      if (h.length < n || !/^[0-9a-fA-F]+$/.test(h))
        this.fail(`truncated \\${name} escape (needs ${n} hex digits)`, at);
      this.pos += n;
      return parseInt(h, 16);
    };
    if (c === 'x') return put(hexEscape(2, 'xXX'));
    if (!bytes) {
      if (c === 'u') return put(hexEscape(4, 'uXXXX'));
      if (c === 'U') {
        const code = hexEscape(8, 'UXXXXXXXX');
        if (code > 0x10ffff) this.fail(`illegal Unicode character \\U${code.toString(16).padStart(8, '0')}`, at);
        return put(code);
      }
      if (c === 'N') this.fail('\\N{name} escapes are not supported', at);
    }
    // Python keeps unknown escapes as written (backslash included).
    if (bytes) {
      if (c.charCodeAt(0) > 0x7f) this.fail('bytes can only contain ASCII literal characters', at);
      codes.push(0x5c, c.charCodeAt(0));
    } else emit('\\' + c);
  }
}

function toIntValue(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function negate(n: Num): number | bigint {
  if (typeof n.value === 'bigint') return toIntValue(-n.value);
  if (!n.isFloat && n.value === 0) return 0;
  return -n.value;
}

/** Parses one Python literal; throws PythonLiteralError with line:column on anything else. */
export function parsePythonLiteral(source: string, options: ParseOptions = {}): PyValue {
  return new Parser(source, options).parseTop();
}

/**
 * A plain JSON-compatible view: tuples and sets become arrays, dicts objects (keys as strings),
 * bytes latin-1 strings, big ints decimal strings.
 */
export function pyToJson(value: PyValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(pyToJson);
  if (value instanceof PyTuple || value instanceof PySet) return value.items.map(pyToJson);
  if (value instanceof PyBytes) return Buffer.from(value.bytes).toString('latin1');
  const obj: Record<string, unknown> = {};
  for (const [k, v] of value.entries) obj[typeof k === 'string' ? k : String(pyToJson(k))] = pyToJson(v);
  return obj;
}
