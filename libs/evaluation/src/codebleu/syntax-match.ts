import type { Node } from 'web-tree-sitter';

/** S-expressions of every non-leaf subtree (root included), as CodeBLEU's get_all_sub_trees. */
export function subtreeSexps(root: Node): string[] {
  const out: string[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop() as Node;
    out.push(n.toString());
    for (const c of n.children) if (c && c.childCount !== 0) stack.push(c);
  }
  return out;
}

/** Counts of reference subtrees found (by S-expression) among the candidate's subtrees. */
export function syntaxMatchCounts(reference: Node, candidate: Node): { match: number; total: number } {
  const cand = new Set(subtreeSexps(candidate));
  const ref = subtreeSexps(reference);
  return { match: ref.filter((s) => cand.has(s)).length, total: ref.length };
}
