/**
 * Cost-structure features of a Python program, read from its text alone (no parser: it works on
 * every view, broken `randdel` code and programs that do not compile included). The program is cut
 * into logical lines (brackets and backslashes joined, comments and string contents masked), nested
 * by indentation, and every line adds work at the loop degree it runs at:
 *
 * - a loop over something input-sized adds one degree; over `range(<literal>)` or a literal it
 *   multiplies by its length instead; `while` loops that halve (`//= 2`, `mid`, `>>= 1`) add a
 *   log-sized fraction, loops to a square root half a degree; a loop that can leave early
 *   (`break`/`return`) counts three quarters;
 * - comprehensions add their `for`s to the degree of the line they sit on;
 * - work done in C at one more degree: `sum/min/max` of a sequence, `.count/.index/.remove`,
 *   `.pop(0)`, `.insert(0, ..)`, `in` on a list, slices and copies, `list(..)`, joins, string
 *   `+=`; sorting at one more degree with a log factor; `deepcopy` heavily;
 * - I/O calls per execution: `input()`, `print(..)`, and their cheaper `sys.stdin`/`sys.stdout` forms;
 * - calls of the program's own functions add the callee's work at the caller's degree; a function
 *   that calls itself twice or more without a cache is exponential, once is a linear recursion,
 *   with a cache (`lru_cache`, `cache`, a memo dict) it costs one degree per parameter.
 *
 * The features are log-costs of each kind of work at a few nominal input sizes, the maximal
 * degree, and flags; `costFeatureNames()` names them. They describe cost structure, not idioms:
 * nothing in here knows the corpus's idioms, so a model on them can be judged on idioms it never saw.
 */

/** One piece of work: `weight * N^degree` (times `log2 N` when `log`), of one kind. */
interface Work {
  kind: WorkKind;
  weight: number;
  degree: number;
  log?: boolean;
  /** The line the work comes from (for explanations). */
  line?: string;
}

const KINDS = ['py', 'scan', 'copy', 'sort', 'io', 'call'] as const;
type WorkKind = (typeof KINDS)[number];
/** Nominal input sizes the costs are evaluated at. */
const SIZES = [100, 1000, 10000] as const;
const MAX_DEGREE = 6;

interface Line {
  indent: number;
  text: string;
  children: Line[];
  /** The decorators right above a `def` (masked text). */
  decorators: string[];
}

/** Masks string contents (keeping the quotes) and drops comments; keeps the length of nothing else. */
function maskStrings(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      out += q;
      i += q.length;
      let body = '';
      while (i < src.length && !src.startsWith(q, i)) {
        if (src[i] === '\\') {
          body += 's';
          i += 2;
          continue;
        }
        if (!triple && src[i] === '\n') break;
        body += src[i] === '\n' ? '\n' : 's';
        i++;
      }
      out += body;
      if (src.startsWith(q, i)) {
        out += q;
        i += q.length;
      }
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const STATEMENT_START =
  /^(for|while|if|elif|else|def|class|return|print|import|from|try|except|with|break|continue)\b|^[A-Za-z_][\w., ]*\s*[-+*/]?=[^=]/;

/** Logical lines (open brackets and trailing backslashes joined), with their indentation. */
function logicalLines(src: string): { indent: number; text: string }[] {
  const masked = maskStrings(src.replace(/\r\n?/g, '\n'));
  const out: { indent: number; text: string }[] = [];
  let cur = '';
  let indent = 0;
  let depth = 0;
  for (const raw of masked.split('\n')) {
    // Broken code (unbalanced brackets, as in the randdel view): a line that starts a statement
    // at the open line's indentation or less ends the open line.
    if (cur !== '' && raw.trim() !== '') {
      const lead = /^[ \t]*/.exec(raw)![0].replace(/\t/g, '    ').length;
      if (lead <= indent && STATEMENT_START.test(raw.trim())) {
        for (const part of splitStatements(cur)) out.push({ indent, text: part });
        cur = '';
        depth = 0;
      }
    }
    if (cur === '') {
      if (raw.trim() === '') continue;
      const lead = /^[ \t]*/.exec(raw)![0];
      indent = lead.replace(/\t/g, '    ').length;
    }
    cur += (cur ? ' ' : '') + raw.trim();
    for (const ch of raw) {
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    }
    if (depth > 0 || cur.endsWith('\\')) {
      if (cur.endsWith('\\')) cur = cur.slice(0, -1);
      continue;
    }
    for (const part of splitStatements(cur)) out.push({ indent, text: part });
    cur = '';
  }
  if (cur) for (const part of splitStatements(cur)) out.push({ indent, text: part });
  return out;
}

/** `a = 1; b = 2` -> two statements; `for x in y: body` -> header and body (body one deeper). */
function splitStatements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ';' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter(Boolean);
}

const COMPOUND = /^(for|while|if|elif|else|try|except|finally|with|def|class|async)\b/;

/** Nests logical lines by indentation; a compound header with its body on the same line is split. */
function buildTree(src: string): Line[] {
  const root: Line = { indent: -1, text: '', children: [], decorators: [] };
  const stack: Line[] = [root];
  let decorators: string[] = [];
  for (const l of logicalLines(src)) {
    let { text } = l;
    let inlineBody: string | undefined;
    if (COMPOUND.test(text)) {
      const colon = headerColon(text);
      if (colon >= 0 && colon < text.length - 1) {
        inlineBody = text.slice(colon + 1).trim();
        text = text.slice(0, colon + 1);
      }
    }
    if (text.startsWith('@')) {
      decorators.push(text);
      continue;
    }
    while (stack.length > 1 && stack[stack.length - 1].indent >= l.indent) stack.pop();
    const node: Line = {
      indent: l.indent,
      text,
      children: [],
      decorators: /^(async\s+)?def\b/.test(text) ? decorators : [],
    };
    decorators = [];
    stack[stack.length - 1].children.push(node);
    if (inlineBody) node.children.push({ indent: l.indent + 1, text: inlineBody, children: [], decorators: [] });
    stack.push(node); // by indentation alone: broken headers without their colon still nest
  }
  return root.children;
}

/** The header's colon at bracket depth 0 that is not part of a lambda or slice; -1 if none. */
function headerColon(text: string): number {
  let depth = 0;
  let lambdas = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (depth === 0 && text.startsWith('lambda', i) && !/\w/.test(text[i - 1] ?? ' ')) lambdas++;
    else if (ch === ':' && depth === 0) {
      if (lambdas > 0) lambdas--;
      else return i;
    }
  }
  return -1;
}

function allLines(lines: Line[]): Line[] {
  return lines.flatMap((l) => [l, ...allLines(l.children)]);
}

/** Text of a node and all its descendants. */
function subtreeText(n: Line): string {
  return [n.text, ...n.children.map(subtreeText)].join('\n');
}

/** The loop factor of a `for ... in ITER` / `while COND` header: degree added and a multiplier. */
function loopFactor(node: Line, enclosing?: Line): { degree: number; mult: number } {
  const h = node.text;
  const body = node.children.map(subtreeText).join('\n');
  const exits = /\b(break|return)\b/.test(body) ? 0.75 : 1;
  if (h.startsWith('while')) {
    if (enclosing && amortized(node, body, enclosing)) return { degree: 0, mult: 1 };
    const all = h + '\n' + body;
    if (/\/\/=\s*2|>>=|\/=\s*2|\*=\s*2|<<=|\bmid\b|\/\/\s*2/.test(all)) return { degree: 0.2, mult: 1 };
    if (/(\w+)\s*\*\s*\1\s*<=?|\*\*\s*0?\.5|\bsqrt\b|\bisqrt\b/.test(h)) return { degree: 0.5 * exits, mult: 1 };
    return { degree: exits, mult: 1 };
  }
  const iter = /\bin\b\s*(.*?):?$/.exec(h)?.[1] ?? '';
  if (enclosing && partOfOuterElement(iter, enclosing)) return { degree: 0, mult: 1 };
  return iterFactor(iter, exits);
}

/**
 * A `for` over a part of the enclosing `for`'s element (`for w in line.split()`, `for x in row`,
 * `for v in adj[u]`): together the two loops visit the input once, so the inner one adds no degree.
 * A `range(..)` built from the outer variable (`range(i + 1, n)`) is not such a part.
 */
function partOfOuterElement(iter: string, enclosing: Line): boolean {
  const target = /^for\s+(.*?)\s+\bin\b/.exec(enclosing.text)?.[1];
  if (!target) return false;
  const names = target.match(/[A-Za-z_]\w*/g) ?? [];
  const it = iter.trim();
  return names.some((v) =>
    new RegExp(
      `^(${v}(\\.\\w+\\(\\))?|${v}\\[[^\\]]*\\]|[A-Za-z_][\\w.]*\\[${v}\\]|(reversed|enumerate|sorted)\\(${v}\\))$`,
    ).test(it),
  );
}

/**
 * A `while` inside another loop whose total work over the outer loop is linear: it pops the
 * container its condition tests (a monotonic stack, a queue drained once), or it moves a pointer
 * its condition tests that the outer loop never resets (two pointers, a sliding window).
 */
function amortized(node: Line, body: string, enclosing: Line): boolean {
  const names = new Set(node.text.slice(5).match(/[A-Za-z_]\w*/g) ?? []);
  for (const m of body.matchAll(/([A-Za-z_]\w*)\.(pop|popleft)\(\s*\)|heappop\(\s*([A-Za-z_]\w*)/g))
    if (names.has(m[1] ?? m[3])) return true;
  // What the outer loop runs besides this while: a name assigned there is reset per iteration.
  const outer = subtreeText(enclosing).replace(subtreeText(node), '');
  const reset = (v: string) =>
    new RegExp(`(^|\\n)\\s*(${v}\\s*=(?!=)|${v}\\s*,[^=\\n]*=(?!=)|[^=\\n]*,\\s*${v}\\s*=(?!=))`).test(outer) ||
    new RegExp(`^for\\s+[^:]*\\b${v}\\b[^:]*\\bin\\b`).test(enclosing.text);
  const pointers = [...body.matchAll(/^\s*([A-Za-z_]\w*)\s*[+-]=\s*1\s*$/gm)].map((m) => m[1]);
  if (!pointers.some((p) => !reset(p))) return false;
  const changed = [...names].filter((v) => new RegExp(`(^|\\n)\\s*${v}\\s*([-+*/]?=)(?!=)`).test(body));
  return changed.length > 0 && changed.every((v) => !reset(v));
}

/** How many times a `for` over `iter` runs, as a degree and a constant multiplier. */
function iterFactor(iter: string, exits = 1): { degree: number; mult: number } {
  const it = iter.trim();
  const lit = /^range\(\s*(-?\d+)\s*(?:,\s*(-?\d+)\s*)?(?:,\s*(-?\d+)\s*)?\)$/.exec(it);
  if (lit) {
    const [a, b, s] = [Number(lit[1]), lit[2] === undefined ? undefined : Number(lit[2]), Number(lit[3] ?? 1)];
    const count = b === undefined ? a : Math.abs(b - a) / Math.max(1, Math.abs(s));
    return { degree: 0, mult: Math.max(1, Math.min(count, 1000)) };
  }
  if (/^[([{]/.test(it) && /[)\]}]$/.test(it) && !/\bfor\b/.test(it) && !/\w\s*\(/.test(it.slice(1)))
    return { degree: 0, mult: Math.max(1, it.split(',').length) };
  if (/^(['"]).*\1$/.test(it)) return { degree: 0, mult: 26 };
  if (/\*\*\s*0?\.5|\bsqrt\b|\bisqrt\b/.test(it)) return { degree: 0.5 * exits, mult: 1 };
  // itertools: combinations(xs, r) and permutations(xs, r) run ~n^r times, product(a, b) n^args.
  const comb = /^(?:itertools\.)?(combinations|permutations|combinations_with_replacement)\((.*)\)$/.exec(it);
  if (comb) {
    const r = Number(/,\s*(\d+)\s*$/.exec(comb[2])?.[1] ?? (comb[1] === 'permutations' ? 3 : 2));
    return { degree: Math.min(r, 4) * exits, mult: 1 };
  }
  const prod = /^(?:itertools\.)?product\((.*)\)$/.exec(it);
  if (prod) {
    const rep = /repeat\s*=\s*(\d+)/.exec(prod[1]);
    return { degree: Math.min(rep ? Number(rep[1]) : topLevelCommas(prod[1]) + 1, 4) * exits, mult: 1 };
  }
  // range(a, b, i): a step that is a name (sieves, harmonic sums) runs n/i times.
  if (/^range\(.*,.*,\s*[A-Za-z_]\w*\s*\)$/.test(it)) return { degree: 0.5 * exits, mult: 1 };
  return { degree: exits, mult: 1 };
}

/** Comprehension `for`s on a line: each adds its iterable's factor (work inside the brackets). */
function comprehensionFactor(text: string): { degree: number; mult: number; count: number } {
  let degree = 0;
  let mult = 1;
  let count = 0;
  const re = /\bfor\b\s+[^]*?\bin\b\s+([^]*?)(?=\bfor\b|\bif\b|[)\]}]\s*(?:[)\]},]|$)|$)/g;
  let m: RegExpExecArray | null;
  const body = text.startsWith('for ') ? text.slice(text.indexOf(':') + 1) : text;
  while ((m = re.exec(body))) {
    const f = iterFactor(stripUnbalanced(m[1]));
    degree += f.degree;
    mult *= f.mult;
    count++;
  }
  return { degree, mult: Math.min(mult, 1e4), count };
}

function stripUnbalanced(s: string): string {
  let t = s.trim();
  let depth = 0;
  for (const ch of t) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
  }
  while (depth < 0 && /[)\]}]$/.test(t)) {
    t = t.slice(0, -1).trim();
    depth++;
  }
  return t;
}

interface Scope {
  /** Names that hold lists / sets or dicts / strings, from their assignments anywhere. */
  types: Map<string, 'list' | 'hash' | 'str'>;
  functions: Map<string, Line>;
}

/** Flow-insensitive guesses of what a name holds, from `name = ...` anywhere in the program. */
function collectTypes(lines: Line[], types: Scope['types']): void {
  for (const n of lines) {
    const m = /^([A-Za-z_][\w.]*)\s*(?::[^=]+)?=(?!=)\s*(.*)$/.exec(n.text);
    if (m) {
      const [name, rhs] = [m[1], m[2]];
      if (/^(set|dict|Counter|defaultdict|OrderedDict|frozenset)\(|^\{/.test(rhs)) types.set(name, 'hash');
      else if (/^(\[|list\(|sorted\(|range\(.*\)\s*$)|\.split\(\)$|^\[.*\]\s*\*/.test(rhs) || /^list\(/.test(rhs))
        types.set(name, types.get(name) ?? 'list');
      else if (/^(['"])\1$|^str\(/.test(rhs)) types.set(name, 'str');
    }
    collectTypes(n.children, types);
  }
}

function collectFunctions(lines: Line[], fns: Scope['functions']): void {
  for (const n of lines) {
    const m = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(n.text);
    if (m && !fns.has(m[1])) fns.set(m[1], n);
    collectFunctions(n.children, fns);
  }
}

/** The calls of `name` (as a function or a method) in a text. */
function callsOf(text: string, name: string): number {
  return (text.match(new RegExp(`(?<![\\w])${name}\\s*\\(`, 'g')) ?? []).length;
}

/** Work of one simple line (or a compound header) at `degree`, scaled by `mult`. */
function lineWork(text: string, degree: number, mult: number, scope: Scope, out: Work[]): void {
  const first = out.length;
  lineWorkUntagged(text, degree, mult, scope, out);
  for (let i = first; i < out.length; i++) out[i].line = text;
}

/**
 * The parts of a line's comprehensions that run per element (the element expression and the `if`
 * filters) and the rest of the line (the iterables and what is outside the brackets).
 */
function splitComprehensions(text: string): { element: string; rest: string } {
  const open: number[] = [];
  const close = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    if ('([{'.includes(text[i])) open.push(i);
    else if (')]}'.includes(text[i]) && open.length) close.set(open.pop()!, i);
  }
  const marks = new Array<boolean>(text.length).fill(false);
  const word = (i: number, w: string) =>
    text.startsWith(w, i) && !/\w/.test(text[i - 1] ?? ' ') && !/\w/.test(text[i + w.length] ?? ' ');
  for (const [o, c] of close) {
    // Keywords at this bracket's own level.
    let depth = 0;
    const kw: { at: number; w: string }[] = [];
    for (let i = o + 1; i < c; i++) {
      if ('([{'.includes(text[i])) depth++;
      else if (')]}'.includes(text[i])) depth--;
      else if (depth === 0) for (const w of ['for', 'in', 'if']) if (word(i, w)) kw.push({ at: i, w });
    }
    if (!kw.some((k) => k.w === 'for')) continue;
    for (let i = o + 1; i < c; i++) marks[i] = true;
    // Unmark each iterable: from its `in` to the next `for`/`if` or the bracket's end.
    kw.forEach((k, n) => {
      if (k.w !== 'in' || !kw.slice(0, n).some((p) => p.w === 'for')) return;
      const next = kw.slice(n + 1).find((p) => p.w === 'for' || p.w === 'if');
      for (let i = k.at; i < (next?.at ?? c); i++) marks[i] = false;
    });
  }
  let element = '';
  let rest = '';
  for (let i = 0; i < text.length; i++) {
    element += marks[i] ? text[i] : ' ';
    rest += marks[i] ? ' ' : text[i];
  }
  return { element, rest };
}

/** Bodies of lambdas passed to a call (a sort key, map, filter: run once per element) and the rest. */
function splitLambdas(text: string): { bodies: string[]; rest: string } {
  const bodies: string[] = [];
  let rest = text;
  for (const m of text.matchAll(/\blambda\b[^:]*:/g)) {
    const start = (m.index ?? 0) + m[0].length;
    if (!/[(,]\s*(key\s*=\s*)?$/.test(text.slice(0, m.index))) continue; // not an argument
    let depth = 0;
    let i = start;
    for (; i < text.length; i++) {
      const ch = text[i];
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) break;
    }
    const body = text.slice(start, i);
    bodies.push(body);
    rest = rest.replace(body, ' ');
  }
  return { bodies, rest };
}

function lineWorkUntagged(line: string, degree: number, mult: number, scope: Scope, out: Work[]): void {
  const { bodies, rest: text } = splitLambdas(line);
  for (const body of bodies) {
    out.push({ kind: 'py', weight: 0.5 * mult, degree: degree + 1 });
    cWork(body, degree + 1, mult, scope, out);
  }
  const comp = comprehensionFactor(text);
  const d = degree + comp.degree;
  const m = mult * comp.mult;
  out.push({ kind: 'py', weight: mult, degree });
  if (comp.count) {
    out.push({ kind: 'py', weight: 0.5 * m, degree: d });
    const { element, rest } = splitComprehensions(text);
    cWork(element, d, m, scope, out);
    cWork(rest, degree, mult, scope, out);
  } else cWork(text, degree, mult, scope, out);
  const io: [RegExp, number][] = [
    [/(?<![\w.])input\s*\(\s*\)/g, 1],
    [/(?<![\w.])print\s*\(/g, 1],
    [/\.readline\s*\(/g, 0.4],
    [/\.write\s*\(/g, 0.4],
  ];
  for (const [re, w] of io) for (const _ of text.matchAll(re)) out.push({ kind: 'io', weight: w * mult, degree });
}

/**
 * Linear work done in C by a (part of a) line run at `degree`: one degree more. `scan`: comparisons
 * over a sequence (`in` on a list, `count`, `index`, `sum`, `min`...); `copy`: building or moving a
 * sequence (slices, `pop(0)`, `insert(0, ..)`, `list(..)`, joins, string `+=`, `deepcopy`).
 */
function cWork(text: string, degree: number, mult: number, scope: Scope, out: Work[]): void {
  const c = (weight: number, kind: 'scan' | 'copy') => out.push({ kind, weight: weight * mult, degree: degree + 1 });
  for (const _ of text.matchAll(/(?<![\w.])sorted\s*\(|\.sort\s*\(/g))
    out.push({ kind: 'sort', weight: mult, degree: degree + 1, log: true });
  for (const call of text.matchAll(/(?<![\w.])(sum|min|max|any|all)\s*\(/g)) {
    const args = argsAfter(text, (call.index ?? 0) + call[0].length);
    if (/\bfor\b/.test(args)) continue; // a generator: its loop is counted as a comprehension
    if (topLevelCommas(args) === 0 || /\bkey\s*=/.test(args)) c(1, 'scan');
  }
  const linear: [RegExp, number, 'scan' | 'copy'][] = [
    [/\.(count|index|remove|find|rfind)\s*\(/g, 1, 'scan'],
    [/\.(replace|startswith|endswith)\s*\(/g, 0.5, 'scan'],
    [/\.pop\(\s*0\s*\)/g, 1, 'copy'],
    [/\.insert\(\s*0\s*,/g, 1, 'copy'],
    [/(?<![\w.])(list|tuple|set|dict|frozenset|bytearray)\s*\(\s*[^)\s]/g, 1, 'copy'],
    [/(?<![\w.])reversed\s*\(/g, 0.5, 'copy'],
    [/\.(join|split|copy|lower|upper|strip)\s*\(/g, 0.5, 'copy'],
    [/\[[^[\]:]*:[^[\]]*\]/g, 1, 'copy'],
    [/(?<![\w.])(copy|deepcopy)\s*\(/g, 1, 'copy'],
  ];
  for (const [re, w, kind] of linear) for (const _ of text.matchAll(re)) c(w, kind);
  for (const _ of text.matchAll(/(?<![\w.])deepcopy\s*\(/g)) c(20, 'copy');
  // `x in name` / `x not in name` (not a for header): linear on lists and strings.
  const notFor = text.replace(/\bfor\b[^]*?\bin\b/g, 'for ');
  for (const inm of notFor.matchAll(/\bin\s+([A-Za-z_][\w.]*)(\s*\(|\s*\[)?/g)) {
    const [name, call] = [inm[1], inm[2]];
    const t = scope.types.get(name);
    if (call && /^(range)$/.test(name)) continue;
    if (t === 'list' || t === 'str' || call) c(1, 'scan');
    else if (t === undefined) c(0.3, 'scan');
  }
  for (const _ of notFor.matchAll(/\bin\s+(\[|list\(|range\(.*\)\s*\))/g)) c(0.5, 'scan');
  // += on strings and list concatenation copy the whole object.
  const aug = /^([A-Za-z_][\w.]*)\s*\+=/.exec(text);
  if (aug && scope.types.get(aug[1]) === 'str') c(0.5, 'copy');
  const rebuild = /^([A-Za-z_][\w.]*)\s*=\s*\1\s*\+/.exec(text);
  if (rebuild && scope.types.get(rebuild[1]) !== undefined) c(1, 'copy');
  // print(*xs) and bulk reads are linear in C.
  if (/print\s*\(\s*\*/.test(text) || /\.read\s*\(\s*\)/.test(text)) c(0.5, 'copy');
}

/** The argument text after an opening parenthesis at `start`. */
function argsAfter(text: string, start: number): string {
  let depth = 1;
  let i = start;
  while (i < text.length && depth > 0) {
    if ('([{'.includes(text[i])) depth++;
    else if (')]}'.includes(text[i])) depth--;
    i++;
  }
  return text.slice(start, i - 1);
}

function topLevelCommas(args: string): number {
  let depth = 0;
  let n = 0;
  for (const ch of args) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) n++;
  }
  return n;
}

interface Walker {
  scope: Scope;
  /** Work of each function body at degree 0, computed once (null while being computed). */
  fnWork: Map<string, Work[] | null>;
  flags: { expRecursion: number; linearRecursion: number; memoRecursion: number };
}

/** The work of a function's body, its recursion priced in. */
function functionWork(name: string, w: Walker): Work[] {
  const known = w.fnWork.get(name);
  if (known) return known;
  if (known === null) return []; // mutual recursion: counted where it closes
  w.fnWork.set(name, null);
  const def = w.scope.functions.get(name)!;
  const body: Work[] = [];
  walk(def.children, 0, 1, w, body, name);
  const bodyText = def.children.map(subtreeText).join('\n');
  const self = callsOf(bodyText, name);
  let result = body;
  if (self > 0) {
    const params = (/\(([^)]*)\)/.exec(def.text)?.[1] ?? '').split(',').filter((p) => p.trim() && p.trim() !== 'self');
    const memo =
      def.decorators.some((d) => /cache|memo/i.test(d)) ||
      /\bin\s+(memo|cache|dp)\w*|\b(memo|cache|dp)\w*\s*\[.*\]\s*=|\.get\(/.test(bodyText) ||
      /if\s+.*\bin\s+([A-Za-z_]\w*)[^]*\b\1\s*\[[^\]]*\]\s*=/.test(bodyText);
    // A graph search: each node is entered once, guarded by a visited mark that the body sets.
    const visited =
      /if\s+not\s+([A-Za-z_]\w*)\s*\[[^\]]*\][^]*\b\1\s*\[[^\]]*\]\s*=|\b([A-Za-z_]\w*)\s*\[[^\]]*\]\s*=\s*True[^]*if\s+not\s+\2\s*\[/.test(
        bodyText,
      ) || /\b(seen|visited|vis|used)\w*\s*(\[[^\]]*\]\s*=|\.add\()/.test(bodyText);
    const inLoop = def.children.some((c) => /^(for|while)\b/.test(c.text) && callsOf(subtreeText(c), name) > 0);
    let extra: number;
    if (visited && !memo) {
      extra = 1;
      w.flags.memoRecursion = 1;
    } else if (memo) {
      extra = Math.min(2, Math.max(1, params.length));
      w.flags.memoRecursion = 1;
    } else if ((self >= 2 || inLoop) && /\/\/\s*2|>>\s*1|\bmid\b/.test(bodyText)) {
      extra = 1; // divide and conquer on halves (merge sort, segment trees): n log n at most
      w.flags.linearRecursion = 1;
    } else if (self >= 2 || inLoop) {
      extra = 3; // exponential: priced as a high degree
      w.flags.expRecursion = 1;
    } else {
      extra = 1;
      w.flags.linearRecursion = 1;
    }
    result = body.map((x) => ({ ...x, degree: x.degree + extra }));
  }
  w.fnWork.set(name, result);
  return result;
}

function walk(
  lines: Line[],
  degree: number,
  mult: number,
  w: Walker,
  out: Work[],
  inFunction?: string,
  enclosing?: Line,
): void {
  for (const n of lines) {
    if (/^(?:async\s+)?def\b|^class\b/.test(n.text)) {
      if (/^class\b/.test(n.text)) walk(n.children, degree, mult, w, out, inFunction, enclosing);
      continue; // a function's work is added where it is called
    }
    const isLoop = /^(for|while)\b/.test(n.text);
    const f = isLoop ? loopFactor(n, enclosing) : { degree: 0, mult: 1 };
    const d = degree + f.degree;
    const m = Math.min(mult * f.mult, 1e6);
    // A for header's iterable is evaluated once; its element work runs per iteration.
    lineWork(
      isLoop && n.text.startsWith('for') ? n.text.replace(/^for\b[^]*?\bin\b/, 'x =') : n.text,
      isLoop && n.text.startsWith('while') ? d : degree,
      isLoop && n.text.startsWith('while') ? m : mult,
      w.scope,
      out,
    );
    // Calls of the program's own functions: in a comprehension's element once per element, else
    // once per execution of the line.
    const comp = comprehensionFactor(n.text);
    const parts = comp.count ? splitComprehensions(n.text) : { element: '', rest: n.text };
    const lineDegree = isLoop && n.text.startsWith('while') ? d : degree;
    const lineMult = isLoop && n.text.startsWith('while') ? m : mult;
    for (const [name] of w.scope.functions) {
      if (name === inFunction) continue;
      for (const [text, at, wt] of [
        [parts.element, lineDegree + comp.degree, lineMult * comp.mult],
        [parts.rest, lineDegree, lineMult],
      ] as const) {
        const calls = callsOf(text, name);
        if (calls === 0) continue;
        out.push({ kind: 'call', weight: wt * calls, degree: at });
        for (const x of functionWork(name, w)) out.push({ ...x, weight: x.weight * wt * calls, degree: x.degree + at });
      }
    }
    if (n.children.length) walk(n.children, d, m, w, out, inFunction, isLoop ? n : enclosing);
  }
}

/** Kinds of work, in the order of `CostAnalysis.costs`. */
export const WORK_KINDS = KINDS;
/** Nominal input sizes the costs are evaluated at, in the order of each kind's costs. */
export const COST_SIZES = SIZES;

export interface CostAnalysis {
  /** Per kind of work (`WORK_KINDS`), its total cost at each nominal size (`COST_SIZES`). */
  costs: number[][];
  /** Highest degree of any work (Python loops, or C work inside them). */
  maxDegree: number;
  /** Highest degree of Python-level work. */
  maxPythonDegree: number;
  expRecursion: boolean;
  linearRecursion: boolean;
  memoRecursion: boolean;
}

function analyse(code: string): { work: Work[]; w: Walker } {
  const tree = buildTree(code);
  const scope: Scope = { types: new Map(), functions: new Map() };
  collectTypes(tree, scope.types);
  collectFunctions(tree, scope.functions);
  const w: Walker = { scope, fnWork: new Map(), flags: { expRecursion: 0, linearRecursion: 0, memoRecursion: 0 } };
  const work: Work[] = [];
  walk(tree, 0, 1, w, work);
  // Functions nobody calls (the looprec view drops the calls; callbacks, entry points): once each.
  // Its own body's calls (recursion) do not count as being called.
  for (const [name, def] of scope.functions) {
    const own = new Set(allLines([def]));
    const calling = allLines(tree)
      .filter((l) => !own.has(l) && !/^(?:async\s+)?def\b/.test(l.text))
      .map((l) => l.text)
      .join('\n');
    if (callsOf(calling, name) === 0) work.push(...functionWork(name, w));
  }
  return { work, w };
}

/** The pieces of work found in a program, line by line (what `costFeatures` sums), for people. */
export function explainCost(code: string): { line: string; kind: string; weight: number; degree: number }[] {
  return analyse(code).work.map((x) => ({ line: x.line ?? '', kind: x.kind, weight: x.weight, degree: x.degree }));
}

/** The cost structure of one program (any text). */
export function costFeatures(code: string): CostAnalysis {
  const { work, w } = analyse(code);
  const cost = (x: Work, n: number) => x.weight * n ** Math.min(x.degree, MAX_DEGREE) * (x.log ? Math.log2(n) : 1);
  const costs = KINDS.map((k) =>
    SIZES.map((n) => work.filter((x) => x.kind === k).reduce((s, x) => s + cost(x, n), 0)),
  );
  return {
    costs,
    maxDegree: Math.min(
      MAX_DEGREE,
      work.reduce((m, x) => Math.max(m, x.degree), 0),
    ),
    maxPythonDegree: Math.min(
      MAX_DEGREE,
      work.filter((x) => x.kind === 'py').reduce((m, x) => Math.max(m, x.degree), 0),
    ),
    expRecursion: w.flags.expRecursion > 0,
    linearRecursion: w.flags.linearRecursion > 0,
    memoRecursion: w.flags.memoRecursion > 0,
  };
}
