import type { Node } from 'web-tree-sitter';

/** A "token" node in CodeXGLUE's sense: a leaf, or a whole string literal; never a comment. */
export function isTokenNode(n: Node): boolean {
  return (
    (n.childCount === 0 || n.type === 'string' || n.type === 'string_literal' || n.type === 'character_literal') &&
    n.type !== 'comment'
  );
}

export const nodeKey = (n: Node): string => `${n.startIndex}:${n.endIndex}`;

/** All token nodes in source order (tree_to_token_index). */
export function tokenNodes(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (isTokenNode(n)) {
      out.push(n);
      return;
    }
    for (const c of n.children) if (c) visit(c);
  };
  visit(root);
  return out;
}

/**
 * Python source without comments and docstrings, then without blank lines. The original uses
 * Python's tokenize module; this uses the parse tree: `comment` nodes and statement-level string
 * expressions (docstrings) are cut out.
 */
export function removeCommentsAndDocstrings(source: string, root: Node): string {
  const cuts: Array<[number, number]> = [];
  const visit = (n: Node): void => {
    if (n.type === 'comment') {
      cuts.push([n.startIndex, n.endIndex]);
      return;
    }
    if (n.type === 'expression_statement' && n.namedChildCount === 1 && n.namedChildren[0]?.type === 'string') {
      cuts.push([n.startIndex, n.endIndex]);
      return;
    }
    for (const c of n.children) if (c) visit(c);
  };
  visit(root);
  let out = '';
  let at = 0;
  for (const [s, e] of cuts.sort((a, b) => a[0] - b[0])) {
    if (s < at) continue;
    out += source.slice(at, s);
    at = e;
  }
  out += source.slice(at);
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .join('\n');
}
