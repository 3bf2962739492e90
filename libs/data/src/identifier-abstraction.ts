/**
 * Identifier abstraction for Python programs (after Tufano et al., "An Empirical Study on Learning
 * Bug-Fixing Patches in the Wild via Neural Machine Translation", TOSEM 2019): the names a program
 * chooses itself (variables, functions, parameters, classes) are replaced by placeholders `v0`,
 * `v1`, ... in order of first appearance, and restored after the model has written its program.
 *
 * A code model then learns the rewrite (a list becomes a set, a loop becomes a prefix sum) rather
 * than having to copy each problem's own names letter by letter through its attention; the names
 * of the language, the standard library and the program's imports (`print`, `sys.stdin`,
 * `heapq.heappush`, `deque`, `key=`) stay as they are.
 *
 * Kept as written: keywords, builtins, `_`, dunder names, every name an `import` statement binds
 * (and the module names), attributes (`x.append`), and keyword arguments of calls whose callee is
 * not one of the program's own functions (`sorted(a, key=...)`, `print(x, end='')`). Names inside
 * f-string replacement fields are abstracted like the rest; other strings and comments are not.
 * The lexer never fails: a program that does not lex (an unterminated string written by a model)
 * is abstracted up to where it stops being Python, and the rest is kept.
 */

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
  // soft keywords: a program using `match` statements keeps working
  'match', 'case', '_',
]); // prettier-ignore

/** Python 3.11's `dir(builtins)` without the underscore names. */
const BUILTINS = new Set([
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BaseExceptionGroup',
  'BlockingIOError', 'BrokenPipeError', 'BufferError', 'BytesWarning', 'ChildProcessError',
  'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError', 'ConnectionResetError',
  'DeprecationWarning', 'EOFError', 'Ellipsis', 'EncodingWarning', 'EnvironmentError', 'Exception',
  'ExceptionGroup', 'FileExistsError', 'FileNotFoundError', 'FloatingPointError', 'FutureWarning',
  'GeneratorExit', 'IOError', 'ImportError', 'ImportWarning', 'IndentationError', 'IndexError',
  'InterruptedError', 'IsADirectoryError', 'KeyError', 'KeyboardInterrupt', 'LookupError',
  'MemoryError', 'ModuleNotFoundError', 'NameError', 'NotADirectoryError', 'NotImplemented',
  'NotImplementedError', 'OSError', 'OverflowError', 'PendingDeprecationWarning', 'PermissionError',
  'ProcessLookupError', 'RecursionError', 'ReferenceError', 'ResourceWarning', 'RuntimeError',
  'RuntimeWarning', 'StopAsyncIteration', 'StopIteration', 'SyntaxError', 'SyntaxWarning',
  'SystemError', 'SystemExit', 'TabError', 'TimeoutError', 'TypeError', 'UnboundLocalError',
  'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError', 'UnicodeTranslateError',
  'UnicodeWarning', 'UserWarning', 'ValueError', 'Warning', 'ZeroDivisionError', 'abs', 'aiter',
  'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable',
  'chr', 'classmethod', 'compile', 'complex', 'copyright', 'credits', 'delattr', 'dict', 'dir',
  'divmod', 'enumerate', 'eval', 'exec', 'exit', 'filter', 'float', 'format', 'frozenset', 'getattr',
  'globals', 'hasattr', 'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance', 'issubclass',
  'iter', 'len', 'license', 'list', 'locals', 'map', 'max', 'memoryview', 'min', 'next', 'object',
  'oct', 'open', 'ord', 'pow', 'print', 'property', 'quit', 'range', 'repr', 'reversed', 'round',
  'set', 'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type',
  'vars', 'zip',
]); // prettier-ignore

const PLACEHOLDER = /^v(\d+)$/;

type Token =
  | { kind: 'name'; text: string; start: number }
  | { kind: 'fstring'; text: string; start: number }
  | { kind: 'op'; text: string; start: number }
  | { kind: 'newline'; text: string; start: number }
  | { kind: 'other'; text: string; start: number };

const isNameStart = (c: string) => /[A-Za-z_]/.test(c);
const isNameChar = (c: string) => /[A-Za-z0-9_]/.test(c);

/** End index (exclusive) of the string literal whose opening quote is at `q`. */
function stringEnd(src: string, q: number): number {
  const quote = src[q];
  const triple = src.startsWith(quote.repeat(3), q);
  const close = triple ? quote.repeat(3) : quote;
  let i = q + close.length;
  while (i < src.length) {
    if (src[i] === '\\') {
      i += 2;
      continue;
    }
    if (!triple && src[i] === '\n') return i; // unterminated: stop at the line's end
    if (src.startsWith(close, i)) return i + close.length;
    i++;
  }
  return src.length;
}

/** Python tokens of `src`, enough of them to tell names from everything else. */
function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      const e = src.indexOf('\n', i);
      const end = e < 0 ? src.length : e;
      out.push({ kind: 'other', text: src.slice(i, end), start: i });
      i = end;
    } else if (c === '\n') {
      out.push({ kind: 'newline', text: c, start: i });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\\' || c === '\f') {
      out.push({ kind: 'other', text: c, start: i });
      i++;
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < src.length && isNameChar(src[j])) j++;
      const word = src.slice(i, j);
      if ((src[j] === "'" || src[j] === '"') && /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/.test(word)) {
        const end = stringEnd(src, j);
        out.push({ kind: /[fF]/.test(word) ? 'fstring' : 'other', text: src.slice(i, end), start: i });
        i = end;
      } else {
        out.push({ kind: 'name', text: word, start: i });
        i = j;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < src.length && (/[0-9A-Za-z_.]/.test(src[j]) || (/[eE]/.test(src[j - 1]) && /[+-]/.test(src[j])))) j++;
      out.push({ kind: 'other', text: src.slice(i, j), start: i });
      i = j;
    } else if (c === "'" || c === '"') {
      const end = stringEnd(src, i);
      out.push({ kind: 'other', text: src.slice(i, end), start: i });
      i = end;
    } else {
      // two-character operators that matter here: `==`, `!=`, `<=`, `>=`, `:=`, `->`, `**`, `//`
      const two = src.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>=', ':=', '->', '**', '//', '+=', '-=', '*=', '/=', '%='].includes(two) ? two : c;
      out.push({ kind: 'op', text: op, start: i });
      i += op.length;
    }
  }
  return out;
}

/** Replacement fields of an f-string token: [start, end) of each expression inside the literal. */
function fstringFields(lit: string): Array<[number, number]> {
  const q = lit.search(/['"]/);
  const quote = lit[q];
  const triple = lit.startsWith(quote.repeat(3), q);
  const bodyStart = q + (triple ? 3 : 1);
  const bodyEnd = Math.max(
    bodyStart,
    lit.endsWith(triple ? quote.repeat(3) : quote) ? lit.length - (triple ? 3 : 1) : lit.length,
  );
  const fields: Array<[number, number]> = [];
  let i = bodyStart;
  while (i < bodyEnd) {
    if (lit[i] === '{' && lit[i + 1] === '{') {
      i += 2;
    } else if (lit[i] === '{') {
      let depth = 0;
      let j = i + 1;
      let end = -1;
      for (; j < bodyEnd; j++) {
        const ch = lit[j];
        if (ch === "'" || ch === '"') j = stringEnd(lit, j) - 1;
        else if ('([{'.includes(ch)) depth++;
        else if (depth > 0 && ')]}'.includes(ch)) depth--;
        else if (depth === 0 && (ch === '}' || ch === ':' || (ch === '!' && lit[j + 1] !== '='))) {
          if (end < 0) end = j;
          if (ch === '}') break;
        }
      }
      fields.push([i + 1, end < 0 ? j : end]);
      i = j + 1;
    } else i++;
  }
  return fields;
}

interface Renamer {
  /** Replacement of a name at a position where the program chose the name itself. */
  (name: string): string;
}

/**
 * Rewrites every program-chosen name of `src` through `rename` (see the module comment for what
 * counts as program-chosen). `kept` collects the names kept as written.
 */
function rewriteNames(
  src: string,
  rename: Renamer,
  isOwnFunction: (name: string) => boolean,
  kept: Set<string>,
): string {
  const toks = lex(src);
  const significant = toks.filter((t) => t.kind !== 'other' || !/^[ \t\r\f\\]$/.test(t.text));
  const out: string[] = [];
  // what kind of bracket each open bracket is: a def's parameter list, a call of the program's own
  // function, or anything else (whose keyword arguments belong to a library)
  const brackets: Array<'def' | 'own-call' | 'other'> = [];
  let importLine = false;
  let lineStart = true;
  let k = 0; // index into `significant`
  for (const t of toks) {
    const isSig = significant[k] === t;
    const prev = isSig && k > 0 ? significant[k - 1] : undefined;
    const beforePrev = isSig && k > 1 ? significant[k - 2] : undefined;
    const next = isSig ? significant[k + 1] : undefined;
    if (isSig) k++;
    if (t.kind === 'newline') {
      if (brackets.length === 0) {
        importLine = false;
        lineStart = true;
      }
      out.push(t.text);
      continue;
    }
    if (!isSig) {
      out.push(t.text);
      continue;
    }
    const atLineStart = lineStart;
    lineStart = false;
    if (t.kind === 'op') {
      if ('([{'.includes(t.text)) {
        let kind: 'def' | 'own-call' | 'other' = 'other';
        if (t.text === '(' && prev?.kind === 'name') {
          if (beforePrev?.kind === 'name' && (beforePrev.text === 'def' || beforePrev.text === 'class')) kind = 'def';
          else if (beforePrev?.text !== '.' && isOwnFunction(prev.text)) kind = 'own-call';
        }
        brackets.push(kind);
      } else if (')]}'.includes(t.text)) brackets.pop();
      else if (t.text === ';' && brackets.length === 0) {
        importLine = false;
        lineStart = true;
      }
      out.push(t.text);
      continue;
    }
    if (t.kind === 'fstring') {
      const fields = fstringFields(t.text);
      let s = '';
      let at = 0;
      for (const [a, b] of fields) {
        s += t.text.slice(at, a) + rewriteNames(t.text.slice(a, b), rename, isOwnFunction, kept);
        at = b;
      }
      out.push(s + t.text.slice(at));
      continue;
    }
    if (t.kind !== 'name') {
      out.push(t.text);
      continue;
    }
    const name = t.text;
    if (atLineStart && (name === 'import' || name === 'from')) importLine = true;
    const keyword = next?.kind === 'op' && next.text === '=' && brackets.length > 0;
    const keep =
      KEYWORDS.has(name) ||
      BUILTINS.has(name) ||
      (name.startsWith('__') && name.endsWith('__')) ||
      importLine ||
      kept.has(name) ||
      prev?.text === '.' ||
      (keyword && brackets[brackets.length - 1] === 'other');
    if (keep) {
      if (importLine && !KEYWORDS.has(name)) kept.add(name);
      out.push(name);
    } else out.push(rename(name));
  }
  return out.join('');
}

/** Names an import statement of `src` binds, and the function/class names it defines. */
function scan(src: string): { imported: Set<string>; defined: Set<string> } {
  const imported = new Set<string>();
  const defined = new Set<string>();
  rewriteNames(
    src,
    (n) => n,
    () => false,
    imported,
  );
  const toks = lex(src).filter((t) => t.kind === 'name');
  toks.forEach((t, i) => {
    if ((t.text === 'def' || t.text === 'class') && toks[i + 1]) defined.add(toks[i + 1].text);
  });
  return { imported, defined };
}

export interface AbstractedCode {
  /** The program with its own names replaced by `v0`, `v1`, ... */
  code: string;
  /** `names[i]` is the name `v<i>` stands for. */
  names: string[];
}

/**
 * Replaces the program's own names by `v0`, `v1`, ... in order of first appearance. Pass
 * `names` (from the slow program) to continue its numbering: a name it already numbered keeps its
 * placeholder, a new one gets the next free number.
 */
export function abstractIdentifiers(src: string, names: readonly string[] = []): AbstractedCode {
  const order = [...names];
  const index = new Map(order.map((n, i) => [n, i]));
  const { imported, defined } = scan(src);
  for (const n of imported) index.delete(n);
  const rename = (n: string) => {
    let i = index.get(n);
    if (i === undefined) {
      i = order.length;
      order.push(n);
      index.set(n, i);
    }
    return `v${i}`;
  };
  const code = rewriteNames(src, rename, (n) => defined.has(n) || index.has(n), new Set(imported));
  return { code, names: order };
}

/**
 * Restores the names of an abstracted program: `v<i>` becomes `names[i]`; a placeholder beyond
 * `names` (a name the model introduced) stays `v<i>`, with `_` appended while that would clash
 * with a restored name.
 */
export function restoreIdentifiers(abstracted: string, names: readonly string[]): string {
  const taken = new Set(names);
  const fresh = new Map<string, string>();
  const restore = (n: string): string => {
    const m = PLACEHOLDER.exec(n);
    if (!m) return n;
    const i = Number(m[1]);
    if (i < names.length) return names[i];
    let f = fresh.get(n);
    if (!f) {
      f = n;
      while (taken.has(f)) f += '_';
      taken.add(f);
      fresh.set(n, f);
    }
    return f;
  };
  return rewriteNames(abstracted, restore, () => true, new Set());
}
