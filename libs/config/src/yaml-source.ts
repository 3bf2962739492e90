/**
 * YAML text -> plain value plus the source position of every key and value (JSON Pointer ->
 * location), so that problems found later (after merging files) point at the line that said it.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { childPointer } from './json-path.js';
import type { ConfigProblem, SourceLocation } from './problems.js';

export interface LocatedValue {
  /** The displayed file name. */
  file: string;
  value: unknown;
  /** Where each key was written (pointer of the value it names -> position of the key). */
  keyLocs: Map<string, SourceLocation>;
  /** Where each value starts. */
  valueLocs: Map<string, SourceLocation>;
}

export interface YamlSource extends LocatedValue {
  problems: ConfigProblem[];
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** Deepest nesting of mappings and lists a config may have (real ones nest a few levels). */
export const MAX_NESTING = 64;

/**
 * The first line at which the nesting of `text` goes deeper than `limit`, before any parsing (the
 * YAML parser recurses per level and would overflow the stack on thousands). Counts block
 * indentation levels, `- ` entries on one line and open flow brackets outside quotes and comments;
 * it may over-count odd plain scalars, never under-counts real nesting.
 */
export function nestingTooDeep(text: string, limit = MAX_NESTING): { line: number; depth: number } | undefined {
  const indents: number[] = [];
  let flow = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let i = 0;
    while (line[i] === ' ') i++;
    if (i === line.length || line[i] === '#') continue;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] > i) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1] < i) indents.push(i);
    }
    let dashes = 0;
    while ((line[i] === '-' || line[i] === '?') && (i + 1 === line.length || line[i + 1] === ' ')) {
      dashes++;
      i += 2;
      while (line[i] === ' ') i++;
    }
    let quote = '';
    let deepest = flow;
    for (; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (c === quote) quote = '';
        else if (c === '\\' && quote === '"') i++;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      else if (c === '[' || c === '{') deepest = Math.max(deepest, ++flow);
      else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    const depth = indents.length + dashes + deepest;
    if (depth > limit) return { line: n + 1, depth };
  }
  return undefined;
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const deep = nestingTooDeep(text);
  if (deep)
    return {
      file,
      value: {},
      keyLocs: new Map(),
      valueLocs: new Map(),
      problems: [
        {
          file,
          line: deep.line,
          column: 1,
          kind: 'syntax',
          path: '',
          message: `nesting deeper than ${MAX_NESTING} levels (mappings and lists inside each other); a config nests a few`,
        },
      ],
    };
  const lineCounter = new LineCounter();
  // logLevel 'error': the yaml package prints nothing itself (its warnings went to stderr as
  // YAMLWarning lines); what it warns about is reported below, located, with the errors.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  const loc = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: Math.max(line, 1), column: Math.max(col, 1) };
  };
  // A warning is a problem too: an unknown tag (`!custom 3`) would otherwise be read as a string.
  const problems: ConfigProblem[] = [...doc.errors, ...doc.warnings].map((err) => {
    const at = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    return {
      file,
      line: at.line,
      column: at.col,
      kind: 'syntax',
      path: '',
      message: `YAML ${err.name === 'YAMLWarning' ? 'error' : 'syntax error'}: ${firstLine(err.message)}`,
    };
  });
  const keyLocs = new Map<string, SourceLocation>();
  const valueLocs = new Map<string, SourceLocation>();
  valueLocs.set('', { file, line: 1, column: 1 });
  // Aliases are walked into for positions, within a budget: nine levels of nine aliases name 9^9
  // nodes. Their targets come from one pass over the anchors (Alias.resolve searches the whole
  // document each time): the last node with that anchor before the alias.
  let budget = 10_000;
  const anchors: { name: string; offset: number; node: Node }[] = [];
  visit(doc, (_key, n) => {
    if ((isMap(n) || isSeq(n) || isScalar(n)) && n.anchor)
      anchors.push({ name: n.anchor, offset: n.range?.[0] ?? 0, node: n });
  });
  const anchorOf = (name: string, before: number): Node | undefined => {
    let found: Node | undefined;
    for (const a of anchors) if (a.name === name && a.offset < before) found = a.node;
    return found;
  };
  const walk = (node: unknown, pointer: string, depth: number): void => {
    if (depth > MAX_NESTING || node === null || node === undefined || --budget < 0) return;
    if (isAlias(node)) {
      const target = anchorOf(node.source, node.range?.[0] ?? Infinity);
      if (target) walk(target, pointer, depth + 1);
      return;
    }
    const n = node as Node;
    if (n.range) valueLocs.set(pointer, loc(n.range[0]));
    if (isMap(n)) {
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const child = childPointer(pointer, key);
        if (keyNode?.range) keyLocs.set(child, loc(keyNode.range[0]));
        const valueNode = pair.value as Node | null;
        if (valueNode?.range) walk(valueNode, child, depth + 1);
        else if (keyNode?.range) valueLocs.set(child, loc(keyNode.range[0]));
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => walk(item, childPointer(pointer, i), depth + 1));
    }
  };
  walk(doc.contents, '', 0);
  if (doc.contents?.range) valueLocs.set('', loc(doc.contents.range[0]));
  let value: unknown = null;
  try {
    // The yaml package's own bound on alias expansion (its default, 100): an alias bomb is refused.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    problems.push({
      file,
      line: 1,
      column: 1,
      kind: 'syntax',
      path: '',
      message: /Excessive alias count/.test((err as Error).message)
        ? 'YAML aliases expand too far (more than the 100 alias uses the yaml package allows): an alias bomb?'
        : `YAML error: ${(err as Error).message}`,
    });
  }
  return { file, value: value ?? {}, keyLocs, valueLocs, problems };
}
