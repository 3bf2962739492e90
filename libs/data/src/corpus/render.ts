/**
 * Puts a context and one or two idioms together into a problem: statement, tests (expected
 * outputs from the idioms' TypeScript solvers, formatted by the context) and the fast and slow
 * programs (the idioms' computations inside the context's reading, structure and printing).
 */
import type { Rng } from '../random.js';
import type { FamilyInstance, GeneratedCase, SolutionTemplate } from '../synthetic/family.js';
import { indent } from '../synthetic/text.js';
import type {
  CodeStyle,
  Context,
  CoreCode,
  Idiom,
  Layout,
  Names,
  Part,
  ReadStyle,
  Result,
  Role,
  Size,
  Theme,
  Values,
  WriteStyle,
} from './types.js';

const LENGTH_NAMES: Record<Role, string[]> = {
  a: ['n', 'size', 'n_items'],
  b: ['m', 'size_b', 'n_other'],
  qs: ['q', 'nq', 'n_queries'],
  ps: ['npairs', 'n_pairs', 'pc'],
  ws: ['nw', 'n_words', 'wc'],
  k: [],
  t: [],
  s: [],
};

const SEQUENCE = new Set(['ints', 'pairs', 'words']);

/** Python names for a block, distinct from each other and from the other block's. */
export function pickBlockNames(rng: Rng, ctx: Context, block: number, taken: Set<string>): Names {
  const out = {} as Record<string, string>;
  const suffix = block === 0 ? '' : String(block + 1);
  const take = (key: string, pool: string[]) => {
    const options = rng.shuffle(pool).map((n) => n + suffix);
    const name = options.find((n) => !taken.has(n)) ?? `${key}_${taken.size}`;
    taken.add(name);
    out[key] = name;
  };
  for (const role of Object.keys(ctx.names) as (Role | 'res')[]) take(role, ctx.names[role]);
  for (const role of Object.keys(LENGTH_NAMES) as Role[])
    if (LENGTH_NAMES[role].length) take(`n_${role}`, LENGTH_NAMES[role]);
  return out as Names;
}

function len(v: unknown): number {
  return (v as unknown[]).length;
}

/** One block's input text in a layout. */
export function formatBlock(parts: Part[], x: Values, layout: Layout): string[] {
  let out: string[] = [];
  const body = (p: Part): string[] => {
    const v = x[p.role];
    if (p.kind === 'int' || p.kind === 'str') return [String(v)];
    if (p.kind === 'pairs') {
      const ps = v as [number, number][];
      return layout === 'inline' ? [ps.flat().join(' ')] : ps.map((q) => q.join(' '));
    }
    const arr = v as (number | string)[];
    return layout === 'column' ? arr.map(String) : [arr.join(' ')];
  };
  if (layout === 'header') {
    const head = parts
      .filter((p) => p.kind !== 'str')
      .map((p) => (p.kind === 'int' ? String(x[p.role]) : String(len(x[p.role]))));
    if (head.length) out.push(head.join(' '));
    for (const p of parts) if (p.kind !== 'int') out = out.concat(body(p));
    return out;
  }
  for (const p of parts) {
    if (!SEQUENCE.has(p.kind)) out = out.concat(body(p));
    else if (layout === 'inline') out.push(`${len(x[p.role])} ${body(p)[0]}`.trimEnd());
    else out = out.concat([String(len(x[p.role]))], body(p));
  }
  return out;
}

/** Python lines that read one block's parts in a layout and a reading style. */
export function readCode(parts: Part[], v: Names, layout: Layout, style: ReadStyle, comp: boolean): string[] {
  const out: string[] = [];
  const n = (p: Part) => v[`n_${p.role}`];
  if (style === 'tokens' || style === 'iter') {
    const tok = style === 'tokens';
    const int1 = (name: string) => (tok ? [`${name} = int(data[pos])`, 'pos += 1'] : [`${name} = int(next(it))`]);
    const bodyOf = (p: Part): string[] => {
      const name = v[p.role];
      const c = n(p);
      if (p.kind === 'str') return tok ? [`${name} = data[pos].decode()`, 'pos += 1'] : [`${name} = next(it)`];
      if (p.kind === 'ints')
        return tok
          ? [
              comp
                ? `${name} = [int(x) for x in data[pos:pos + ${c}]]`
                : `${name} = list(map(int, data[pos:pos + ${c}]))`,
              `pos += ${c}`,
            ]
          : [
              comp
                ? `${name} = [int(next(it)) for _ in range(${c})]`
                : `${name} = list(map(int, (next(it) for _ in range(${c}))))`,
            ];
      if (p.kind === 'pairs')
        return tok
          ? [`${name} = [(int(data[pos + 2 * i]), int(data[pos + 2 * i + 1])) for i in range(${c})]`, `pos += 2 * ${c}`]
          : [`${name} = [(int(next(it)), int(next(it))) for _ in range(${c})]`];
      return tok
        ? [`${name} = [w.decode() for w in data[pos:pos + ${c}]]`, `pos += ${c}`]
        : [`${name} = [next(it) for _ in range(${c})]`];
    };
    if (layout === 'header') {
      for (const p of parts) if (p.kind !== 'str') out.push(...int1(p.kind === 'int' ? v[p.role] : n(p)));
      for (const p of parts) if (p.kind !== 'int') out.push(...bodyOf(p));
    } else
      for (const p of parts) {
        if (p.kind === 'int') out.push(...int1(v[p.role]));
        else {
          if (p.kind !== 'str') out.push(...int1(n(p)));
          out.push(...bodyOf(p));
        }
      }
    return out;
  }
  const str = style === 'readline' ? 'input().strip()' : 'input()';
  const intsLine = comp ? 'list(map(int, input().split()))' : '[int(x) for x in input().split()]';
  const bodyLines = (p: Part): string[] => {
    const name = v[p.role];
    const c = n(p);
    if (p.kind === 'str') return [`${name} = ${str}`];
    if (p.kind === 'pairs') return [`${name} = [tuple(map(int, input().split())) for _ in range(${c})]`];
    if (p.kind === 'words')
      return layout === 'column' ? [`${name} = [${str} for _ in range(${c})]`] : [`${name} = input().split()`];
    if (layout !== 'column') return [`${name} = ${intsLine}`];
    return comp
      ? [`${name} = [int(input()) for _ in range(${c})]`]
      : [`${name} = []`, `for _ in range(${c}):`, `    ${name}.append(int(input()))`];
  };
  if (layout === 'header') {
    const head = parts.filter((p) => p.kind !== 'str').map((p) => (p.kind === 'int' ? v[p.role] : n(p)));
    if (head.length === 1) out.push(`${head[0]} = int(input())`);
    else if (head.length) out.push(`${head.join(', ')} = map(int, input().split())`);
    for (const p of parts) if (p.kind !== 'int') out.push(...bodyLines(p));
    return out;
  }
  for (const p of parts) {
    const name = v[p.role];
    if (p.kind === 'int') out.push(`${name} = int(input())`);
    else if (p.kind === 'str') out.push(...bodyLines(p));
    else if (layout === 'inline') {
      if (p.kind === 'ints') out.push(`${n(p)}, *${name} = map(int, input().split())`);
      else if (p.kind === 'words') out.push(`${n(p)}, *${name} = input().split()`, `${n(p)} = int(${n(p)})`);
      else out.push(`${n(p)}, *flat = map(int, input().split())`, `${name} = list(zip(flat[0::2], flat[1::2]))`);
    } else out.push(`${n(p)} = int(input())`, ...bodyLines(p));
  }
  return out;
}

type ListFormat = Context['listFormat'];

/** Python lines that print one block's result. */
export function writeCode(kind: Idiom['result'], res: string, style: WriteStyle, fmt: ListFormat): string[] {
  if (kind !== 'list') {
    const text = kind === 'text' ? res : `str(${res})`;
    return style === 'write' ? [`sys.stdout.write(${text} + '\\n')`] : [`print(${res})`];
  }
  const sep = fmt === 'lines' ? '\\n' : ' ';
  if (style === 'loop') return fmt === 'lines' ? [`for x in ${res}:`, '    print(x)'] : [`print(*${res})`];
  if (style === 'star') return [fmt === 'lines' ? `print(*${res}, sep='\\n')` : `print(*${res})`];
  if (style === 'write') return [`sys.stdout.write('${sep}'.join(map(str, ${res})) + '\\n')`];
  return [`print('${sep}'.join(map(str, ${res})))`];
}

export function formatResult(r: Result, kind: Idiom['result'], fmt: ListFormat): string {
  if (kind === 'list') return (r as (number | string)[]).join(fmt === 'lines' ? '\n' : ' ');
  return String(r);
}

interface Block {
  idiom: Idiom;
  names: Names;
}

/** Everything that decides one program's shape besides the idioms' code. */
interface Shape {
  layout: Layout;
  read: ReadStyle;
  write: WriteStyle;
  fmt: ListFormat;
}

function params(parts: Part[], v: Names): string[] {
  return parts.flatMap((p) => (SEQUENCE.has(p.kind) ? [v[`n_${p.role}`], v[p.role]] : [v[p.role]]));
}

export function renderProgram(ctx: Context, blocks: Block[], cores: CoreCode[], shape: Shape): string {
  const style: CodeStyle = { comp: ctx.comp };
  const heads = new Set<string>();
  for (const c of cores) for (const h of c.imports ?? []) heads.add(h);
  if (shape.read !== 'input' || shape.write === 'write') heads.add('import sys');
  const imports = [...heads].filter((h) => /^(import|from) /.test(h)).sort();
  const other = [...heads].filter((h) => !/^(import|from) /.test(h)).sort();
  const top: string[] = [...imports, ...other];
  if (shape.read === 'readline') top.push('input = sys.stdin.readline');
  const setup =
    shape.read === 'tokens'
      ? ['data = sys.stdin.buffer.read().split()', 'pos = 0']
      : shape.read === 'iter'
        ? ['it = iter(sys.stdin.read().split())']
        : [];
  const fnStyle = ctx.structure === 'solve' || ctx.structure === 'solve-main';
  const fnName = (i: number) => (blocks.length === 1 ? 'solve' : `solve${i + 1}`);
  const defs: string[] = [];
  const work: string[] = [];
  blocks.forEach((b, i) => {
    const core = cores[i].code(b.names, style).trimEnd();
    work.push(...readCode(b.idiom.parts, b.names, shape.layout, shape.read, ctx.comp));
    if (fnStyle) {
      defs.push(
        `def ${fnName(i)}(${params(b.idiom.parts, b.names).join(', ')}):`,
        indent(core),
        `    return ${b.names.res}`,
        '',
      );
      work.push(`${b.names.res} = ${fnName(i)}(${params(b.idiom.parts, b.names).join(', ')})`);
    } else work.push(...core.split('\n'));
    work.push(...writeCode(b.idiom.result, b.names.res, shape.write, shape.fmt));
  });
  let body = work;
  if (ctx.cases) {
    const count =
      shape.read === 'tokens'
        ? ['tc = int(data[pos])', 'pos += 1']
        : shape.read === 'iter'
          ? ['tc = int(next(it))']
          : ['tc = int(input())'];
    body = [...count, 'for _ in range(tc):', ...work.map((l) => (l ? '    ' + l : l))];
  }
  body = [...setup, ...body];
  const lines = [...top, ...(top.length ? [''] : []), ...defs];
  if (ctx.structure === 'main' || ctx.structure === 'solve-main') {
    lines.push('def main():', ...body.map((l) => (l ? '    ' + l : l)), '');
    lines.push(ctx.structure === 'main' ? 'main()' : "if __name__ == '__main__':\n    main()");
  } else lines.push(...body);
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

const SIZE_WORD: Record<string, string> = { int: 'an integer', str: 'a string' };

function describeInput(blocks: Block[], th: Theme, layout: Layout, cases: boolean): string {
  const partText = (p: Part) => {
    const d = p.desc(th);
    if (p.kind === 'int' || p.kind === 'str') return `${SIZE_WORD[p.kind]}: ${d}`;
    const what = p.kind === 'pairs' ? 'pairs of integers' : p.kind === 'words' ? 'words' : 'integers';
    return `a count, then that many ${what}: ${d}`;
  };
  const how: Record<Layout, string> = {
    lines:
      'Each integer or string is on its own line; a count is on its own line and the values it counts follow on the next line (pairs: one pair per line).',
    header:
      'The first line holds the integers and the counts, in this order; then each list follows on its own line (pairs: one pair per line).',
    inline: 'Each item is on one line: a list starts with its count, followed by its values on the same line.',
    column: 'Every value is on its own line: a count, then one value (or pair) per line.',
  };
  const per = blocks.map(
    (b, i) => `${blocks.length > 1 ? `Part ${i + 1}: ` : ''}${b.idiom.parts.map(partText).join('; ')}.`,
  );
  return `${cases ? 'The first line contains T, the number of test cases; each test case follows. ' : ''}${per.join(' ')} ${how[layout]}`;
}

export interface Composite {
  context: Context;
  idioms: Idiom[];
}

/** The shape of the slow and the fast programs of a problem (I/O idioms change one side). */
function shapes(ctx: Context, idioms: Idiom[]): { layout: Layout; fmt: ListFormat; slow: Shape; fast: Shape } {
  const io = idioms.find((i) => i.io)?.io;
  const layout = io?.layout ?? ctx.layout;
  const fmt: ListFormat = io?.write ? 'lines' : ctx.listFormat;
  const base = { layout, fmt, read: ctx.read, write: ctx.write as WriteStyle };
  return {
    layout,
    fmt,
    slow: { ...base, read: io?.read?.slow ?? ctx.read, write: io?.write?.slow ?? ctx.write },
    fast: { ...base, read: io?.read?.fast ?? ctx.read, write: io?.write?.fast ?? ctx.write },
  };
}

/** One problem of a context with its idioms, from its own seeded Rng. */
export function makeComposite({ context: ctx, idioms }: Composite, rng: Rng): FamilyInstance {
  const th = rng.pick(ctx.themes);
  const taken = new Set([
    'data',
    'pos',
    'it',
    'tc',
    'flat',
    'input',
    'print',
    'sys',
    'solve',
    'solve1',
    'solve2',
    'main',
  ]);
  const blocks: Block[] = idioms.map((idiom, i) => ({ idiom, names: pickBlockNames(rng, ctx, i, taken) }));
  const sh = shapes(ctx, idioms);
  const makeCase = (size: Size): GeneratedCase => {
    const nCases = ctx.cases ? (size === 'large' ? 1 : 2) : 1;
    const input: string[] = ctx.cases ? [String(nCases)] : [];
    const output: string[] = [];
    for (let c = 0; c < nCases; c++)
      for (const b of blocks) {
        const x = b.idiom.gen(rng, size);
        for (const line of formatBlock(b.idiom.parts, x, sh.layout)) input.push(line);
        output.push(formatResult(b.idiom.solve(x), b.idiom.result, sh.fmt));
      }
    return { input: input.join('\n') + '\n', output: output.join('\n') + '\n' };
  };
  const samples = [makeCase('sample'), makeCase('sample')];
  const medium = makeCase('medium');
  const large = makeCase('large');
  // Fast: every idiom fast. Slow: each slow variant of each idiom with the others fast, then all slow.
  const fast: SolutionTemplate = {
    variant: idioms.map((i) => i.fast.variant).join('+'),
    code: renderProgram(
      ctx,
      blocks,
      idioms.map((i) => i.fast),
      sh.fast,
    ),
  };
  // One idiom: each of its slow variants. Two: each idiom's first slow variant with the other
  // fast, and both slow.
  const combos: CoreCode[][] =
    idioms.length === 1
      ? idioms[0].slow.map((s) => [s])
      : [
          [idioms[0].slow[0], idioms[1].fast],
          [idioms[0].fast, idioms[1].slow[0]],
          [idioms[0].slow[0], idioms[1].slow[0]],
        ];
  const slow: SolutionTemplate[] = combos.map((cores) => ({
    variant: cores.map((c) => c.variant).join('+'),
    code: renderProgram(ctx, blocks, cores, sh.slow),
  }));
  const task =
    idioms.length === 1
      ? idioms[0].task(th)
      : `There are two tasks. First: ${idioms[0].task(th)} Second: ${idioms[1].task(th)}`;
  const listWord = sh.fmt === 'lines' ? 'one value per line' : 'on one line, separated by spaces';
  const outs = idioms.map(
    (i, k) =>
      `${idioms.length > 1 ? `Part ${k + 1}: ` : ''}${i.output(th)}${i.result === 'list' ? ` (${listWord})` : ''}.`,
  );
  const difficulty = Math.max(...idioms.map((i) => i.difficulty ?? 1000)) + 100 * rng.int(0, 2);
  return {
    title: `${ctx.title}: ${idioms.map((i) => i.title).join(' and ')}`,
    difficulty: String(difficulty),
    body: `${ctx.story(th)} ${ctx.cases ? 'The input has several independent test cases. ' : ''}${task}`,
    inputSpec: describeInput(blocks, th, sh.layout, ctx.cases),
    outputSpec: `${ctx.cases ? 'For each test case: ' : ''}${outs.join(' ')}`,
    note:
      idioms
        .map((i) => i.note ?? '')
        .filter(Boolean)
        .join(' ') || `Limits are those of the largest test.`,
    samples,
    medium,
    large,
    fast,
    slow: slow.slice(0, 3),
  };
}
