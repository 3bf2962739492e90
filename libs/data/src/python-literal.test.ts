import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pythonExecutable } from './python.js';
import {
  parsePythonLiteral,
  PyBytes,
  PyDict,
  PySet,
  PyTuple,
  PythonLiteralError,
  pyToJson,
  type PyValue,
} from './python-literal.js';
import { Rng } from './random.js';

/** Canonical text of a value: sets sorted, so two values with the same meaning compare equal. */
function canon(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Object.is(v, -0) ? 'n:-0' : `n:${v}`;
  if (typeof v === 'bigint') return `n:${v}`;
  if (typeof v === 'string') return `s:${JSON.stringify(v)}`;
  if (v instanceof PyBytes) return `b:${Buffer.from(v.bytes).toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v instanceof PyTuple) return `(${v.items.map(canon).join(',')})`;
  if (v instanceof PySet) return `{${v.items.map(canon).sort().join(',')}}`;
  return `d{${v.entries.map(([k, x]) => `${canon(k)}:${canon(x)}`).join(',')}}`;
}

describe('parsePythonLiteral', () => {
  it('reads the scalar forms', () => {
    expect(parsePythonLiteral('True')).toBe(true);
    expect(parsePythonLiteral('None')).toBe(null);
    expect(parsePythonLiteral('1_000')).toBe(1000);
    expect(parsePythonLiteral('0x_fF')).toBe(255);
    expect(parsePythonLiteral('0o17')).toBe(15);
    expect(parsePythonLiteral('0b101')).toBe(5);
    expect(parsePythonLiteral('- 7')).toBe(-7);
    expect(parsePythonLiteral('--7')).toBe(7);
    expect(parsePythonLiteral('.5e1')).toBe(5);
    expect(parsePythonLiteral('1_0.5e1_0')).toBe(105000000000);
    expect(parsePythonLiteral('12345678901234567890')).toBe(12345678901234567890n);
    expect(Object.is(parsePythonLiteral('-0.0'), -0)).toBe(true);
    expect(Object.is(parsePythonLiteral('-0'), 0)).toBe(true);
  });

  it('reads strings in every quote form, with escapes and prefixes', () => {
    expect(parsePythonLiteral(`'a\\'b'`)).toBe("a'b");
    expect(parsePythonLiteral(`"x\\ty\\n"`)).toBe('x\ty\n');
    expect(parsePythonLiteral(`'''l1\nl2 ' '' '''`)).toBe("l1\nl2 ' '' ");
    expect(parsePythonLiteral(`"""a"b"""`)).toBe('a"b');
    expect(parsePythonLiteral(`r'\\d+\\''`)).toBe("\\d+\\'");
    expect(parsePythonLiteral(`u'\\x41\\u00e9\\U0001F600\\101\\0'`)).toBe('Aé😀A\0');
    expect(parsePythonLiteral(`'\\q'`)).toBe('\\q');
    expect(parsePythonLiteral(`'a' "b" '''c'''`)).toBe('abc');
    expect(parsePythonLiteral(`'one \\\ntwo'`)).toBe('one two');
    const b = parsePythonLiteral(`b'A\\x00\\777' rb'\\n'`) as PyBytes;
    expect(Array.from(b.bytes)).toEqual([65, 0, 255, 92, 110]);
  });

  it('reads containers with Python semantics', () => {
    const d = parsePythonLiteral(`{'a': [1, (2,), ()], 1: 'x', True: 'y', (1, 'k'): {3, 3, 4},}`) as PyDict;
    expect(d.size).toBe(3);
    expect(d.get(1)).toBe('y');
    expect(canon(d.get('a')!)).toBe('[n:1,(n:2),()]');
    expect(canon(d.get(new PyTuple([1, 'k']))!)).toBe('{n:3,n:4}');
    expect(parsePythonLiteral('(1)')).toBe(1);
    expect(canon(parsePythonLiteral('1, 2,'))).toBe('(n:1,n:2)');
    expect(canon(parsePythonLiteral('set()'))).toBe('{}');
    expect(pyToJson(parsePythonLiteral(`{"inputs": ["1\\n"], "outputs": ["2\\n"]}`))).toEqual({
      inputs: ['1\n'],
      outputs: ['2\n'],
    });
  });

  it('allows comments and newlines between tokens', () => {
    expect(pyToJson(parsePythonLiteral('{\n  "a": 1,  # one\n  "b": [\n2]\n}\n'))).toEqual({ a: 1, b: [2] });
  });

  it('names line and column of what is wrong', () => {
    const cases: [string, RegExp, number, number][] = [
      [`{'a': 1,\n 'b' 2}`, /expected ':' after a dict key/, 2, 6],
      [`f'{x}'`, /f-strings are not literals/, 1, 1],
      [`[1, 2`, /never closed|expected/, 1, 6],
      [`'abc`, /unterminated string/, 1, 1],
      [`{[1]: 2}`, /unhashable type: 'list'/, 1, 2],
      [`__import__('os')`, /name '__import__' is not a literal/, 1, 1],
      [`1 + 2`, /unexpected '\+' after the literal/, 1, 3],
      [`012`, /leading zeros/, 1, 1],
      [`b'é'`, /bytes can only contain ASCII/, 1, 3],
      [`b'x' 'y'`, /cannot mix bytes/, 1, 6],
      [`'\\N{DASH}'`, /\\N\{name\} escapes are not supported/, 1, 2],
      [`3j`, /complex numbers/, 1, 1],
      [`'\\x4'`, /truncated \\xXX escape/, 1, 2],
    ];
    for (const [src, message, line, column] of cases) {
      let err: unknown;
      try {
        parsePythonLiteral(src, { sourceName: 'meta.txt' });
      } catch (e) {
        err = e;
      }
      expect(err, src).toBeInstanceOf(PythonLiteralError);
      const e = err as PythonLiteralError;
      expect(e.message, src).toMatch(message);
      expect([e.line, e.column], src).toEqual([line, column]);
      expect(e.message.startsWith(`meta.txt:${line}:${column}:`)).toBe(true);
    }
  });

  it('refuses nesting beyond the limit instead of overflowing the stack', () => {
    expect(() => parsePythonLiteral('['.repeat(50) + ']'.repeat(50), { maxDepth: 20 })).toThrow(/nested deeper/);
    expect(canon(parsePythonLiteral('['.repeat(500) + ']'.repeat(500)))).toMatch(/^\[+\]+$/);
  });
});

// ---- fuzz: random literals written in varied syntax, checked against Python's own reading ----

const ALPHABET = [
  ...'abcXYZ019 _-+=.,;:!?/|~`@#$%^&*()[]{}<>',
  "'",
  '"',
  '\\',
  '\n',
  '\t',
  '\r',
  '\0',
  '\x7f',
  'é',
  'ß',
  '\u00a0',
  'Ж',
  '中',
  '\u2028',
  '😀',
  '𝔘',
];

function randomString(rng: Rng): string {
  const n = rng.int(0, 12);
  let s = '';
  for (let i = 0; i < n; i++) s += rng.pick(ALPHABET);
  return s;
}

function escapeChar(ch: string, rng: Rng): string {
  const cp = ch.codePointAt(0)!;
  const named: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\\': '\\\\', "'": "\\'", '"': '\\"' };
  const options: string[] = [];
  if (named[ch]) options.push(named[ch]);
  if (cp < 256) options.push('\\x' + cp.toString(16).padStart(2, '0'));
  if (cp < 512) options.push('\\' + cp.toString(8).padStart(rng.int(cp < 64 ? 2 : 3, 3), '0'));
  if (cp < 0x10000) options.push('\\u' + cp.toString(16).padStart(4, '0'));
  options.push('\\U' + cp.toString(16).padStart(8, '0'));
  return rng.pick(options);
}

function emitStr(s: string, rng: Rng): string {
  const chars = Array.from(s);
  const q = rng.pick(["'", '"']);
  const triple = rng.bool(0.25);
  const safeRaw = chars.every(
    (c) => c !== '\\' && c !== q && c !== '\r' && c.codePointAt(0)! >= 0x20 && c !== '\x7f' && (triple || c !== '\n'),
  );
  if (safeRaw && rng.bool(0.3) && !(triple && chars[chars.length - 1] === q)) {
    const d = triple ? q.repeat(3) : q;
    return `${rng.pick(['r', 'R'])}${d}${s}${d}`;
  }
  let body = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const cp = c.codePointAt(0)!;
    const mustEscape = c === '\\' || c === q || c === '\r' || cp < 0x20 || cp === 0x7f || (!triple && c === '\n');
    // Octal escapes must not swallow a following digit: use \x for them when a digit follows.
    let e = mustEscape || rng.bool(0.15) ? escapeChar(c, rng) : c;
    if (/^\\[0-7]+$/.test(e) && /[0-7]/.test(chars[i + 1] ?? '')) e = '\\x' + cp.toString(16).padStart(2, '0');
    if (/^\\[0-7]+$/.test(e) && e.length < 4 && /[0-7]/.test(chars[i + 1] ?? ''))
      e = '\\u' + cp.toString(16).padStart(4, '0');
    body += e;
  }
  const d = triple ? q.repeat(3) : q;
  return `${rng.pick(['', '', 'u', 'U'])}${d}${body}${d}`;
}

function emitBytes(b: Uint8Array, rng: Rng): string {
  const q = rng.pick(["'", '"']);
  let body = '';
  for (const x of b) {
    const ch = String.fromCharCode(x);
    if (x >= 0x20 && x < 0x7f && ch !== '\\' && ch !== q && rng.bool(0.7)) body += ch;
    else body += '\\x' + x.toString(16).padStart(2, '0');
  }
  return `${rng.pick(['b', 'B'])}${q}${body}${q}`;
}

function emitInt(v: number | bigint, rng: Rng): string {
  const big = BigInt(v);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  const form = rng.int(0, 4);
  let text: string;
  if (form === 1) text = '0x' + abs.toString(16);
  else if (form === 2) text = '0o' + abs.toString(8);
  else if (form === 3) text = '0b' + abs.toString(2);
  else if (form === 4 && abs >= 1000n) text = abs.toLocaleString('en-US').replace(/,/g, '_');
  else text = abs.toString();
  return (neg ? rng.pick(['-', '- ']) : rng.bool(0.1) ? '+' : '') + text;
}

function emitFloat(v: number, rng: Rng): string {
  let t = String(Math.abs(v));
  if (!/[.e]/.test(t)) t += rng.pick(['.0', '.', 'e0']);
  if (/^0\.\d/.test(t) && rng.bool(0.5)) t = t.slice(1);
  return (v < 0 || Object.is(v, -0) ? '-' : '') + t;
}

function space(rng: Rng): string {
  return rng.pick(['', '', ' ', '\n  ', ' # note\n', '\t']);
}

function randomScalar(rng: Rng, hashableOnly: boolean): [PyValue, string] {
  switch (rng.int(0, hashableOnly ? 2 : 6)) {
    case 0: {
      const s = randomString(rng);
      if (rng.bool(0.2) && Array.from(s).length > 1) {
        const cut = Array.from(s);
        const k = rng.int(1, cut.length - 1);
        return [
          s,
          `${emitStr(cut.slice(0, k).join(''), rng)}${rng.pick(['', ' ', '  '])}${emitStr(cut.slice(k).join(''), rng)}`,
        ];
      }
      return [s, emitStr(s, rng)];
    }
    case 1: {
      const big = rng.bool(0.15);
      const v = big ? BigInt(rng.int(1, 1e9)) * 10n ** 12n + BigInt(rng.int(0, 1e9)) : rng.int(-1e6, 1e6);
      const value = typeof v === 'bigint' && rng.bool(0.5) ? -v : v;
      return [value, emitInt(value, rng)];
    }
    case 2: {
      const bytes = Uint8Array.from({ length: rng.int(0, 6) }, () => rng.int(0, 255));
      return [new PyBytes(bytes), emitBytes(bytes, rng)];
    }
    case 3: {
      const v = rng.pick([
        0.5,
        -2.25,
        1e-7,
        3e21,
        123.456,
        -0,
        1.7976931348623157e308,
        5e-324,
        rng.next() * 1000,
        rng.int(-50, 50),
      ]);
      return [v, emitFloat(v, rng)];
    }
    case 4:
      return rng.bool() ? [true, 'True'] : [false, 'False'];
    case 5:
      return [null, 'None'];
    default: {
      const s = randomString(rng);
      return [s, emitStr(s, rng)];
    }
  }
}

function randomValue(rng: Rng, depth: number): [PyValue, string] {
  if (depth <= 0 || rng.bool(0.35)) return randomScalar(rng, false);
  const n = rng.int(0, 4);
  const kind = rng.int(0, 3);
  const sep = () => `,${space(rng)}`;
  const close = (parts: string[]) => parts.join(sep()) + (parts.length > 0 && rng.bool(0.3) ? ',' : '') + space(rng);
  if (kind === 0 || kind === 1) {
    const items: PyValue[] = [];
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const [v, t] = randomValue(rng, depth - 1);
      items.push(v);
      parts.push(t);
    }
    if (kind === 0) return [items, `[${space(rng)}${close(parts)}]`];
    if (n === 1) return [new PyTuple(items), `(${parts[0]},)`];
    return [new PyTuple(items), `(${space(rng)}${close(parts)})`];
  }
  // Hashable keys of distinct kinds only (1 == 1.0 == True would merge keys).
  const keys = new Map<string, [PyValue, string]>();
  for (let i = 0; i < n; i++) {
    const [k, t] = randomScalar(rng, true);
    const kk = canon(k);
    if (!keys.has(kk)) keys.set(kk, [k, t]);
  }
  if (kind === 2) {
    if (keys.size === 0) return [new PySet([]), 'set()'];
    const entries = [...keys.values()];
    return [new PySet(entries.map((e) => e[0])), `{${close(entries.map((e) => e[1]))}}`];
  }
  const dict = new PyDict();
  const parts: string[] = [];
  for (const [k, t] of keys.values()) {
    const [v, vt] = randomValue(rng, depth - 1);
    dict.set(k, v);
    parts.push(`${t}${space(rng)}:${space(rng)}${vt}`);
  }
  return [dict, `{${space(rng)}${close(parts)}}`];
}

const PY_REPR_BATCH = `
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    try:
        out.append(repr(ast.literal_eval(src)))
    except Exception as e:
        out.append('ERROR ' + type(e).__name__ + ': ' + str(e))
json.dump(out, sys.stdout)
`;

describe('parsePythonLiteral fuzz against python3', () => {
  it('agrees with ast.literal_eval + repr on 400 random literals', () => {
    const rng = new Rng('python-literal-fuzz', process.env.FUZZ_SEED ?? 1);
    const cases = Array.from({ length: Number(process.env.FUZZ_N ?? 400) }, () => randomValue(rng, 4));
    const run = spawnSync(pythonExecutable(), ['-c', PY_REPR_BATCH], {
      input: JSON.stringify(cases.map((c) => c[1])),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    expect(run.status, run.stderr).toBe(0);
    const reprs = JSON.parse(run.stdout) as string[];
    for (let i = 0; i < cases.length; i++) {
      const [value, src] = cases[i];
      expect(reprs[i].startsWith('ERROR'), `${src} -> ${reprs[i]}`).toBe(false);
      expect(canon(parsePythonLiteral(src)), src).toBe(canon(value));
      expect(canon(parsePythonLiteral(reprs[i])), reprs[i]).toBe(canon(value));
    }
  });
});
