/**
 * YAML text -> plain value plus the source position of every key and value (JSON Pointer ->
 * location), so that problems found later (after merging files) point at the line that said it.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
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

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const loc = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: Math.max(line, 1), column: Math.max(col, 1) };
  };
  const problems: ConfigProblem[] = doc.errors.map((err) => {
    const at = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    return {
      file,
      line: at.line,
      column: at.col,
      kind: 'syntax',
      path: '',
      message: `YAML syntax error: ${firstLine(err.message)}`,
    };
  });
  const keyLocs = new Map<string, SourceLocation>();
  const valueLocs = new Map<string, SourceLocation>();
  valueLocs.set('', { file, line: 1, column: 1 });
  const walk = (node: unknown, pointer: string, depth: number): void => {
    if (depth > 64 || node === null || node === undefined) return;
    if (isAlias(node)) {
      const target = node.resolve(doc as Document);
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
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    problems.push({
      file,
      line: 1,
      column: 1,
      kind: 'syntax',
      path: '',
      message: `YAML error: ${(err as Error).message}`,
    });
  }
  return { file, value: value ?? {}, keyLocs, valueLocs, problems };
}
