/**
 * CodeBLEU's data-flow component for Python: CodeXGLUE's DFG_python rules re-expressed over a
 * web-tree-sitter tree. An edge is [variable, token index, relation, parent names, parent indices].
 * Where the original collects parent names through a Python set (order depends on the hash
 * seed), this keeps first-appearance order, which makes the result deterministic.
 */
import type { Node } from 'web-tree-sitter';
import { isTokenNode, nodeKey, tokenNodes } from './tree-utils.js';

export type DfgEdge = [string, number, 'comesFrom' | 'computedFrom', string[], number[]];
type States = Map<string, number[]>;
type TokenIndex = Map<string, [number, string]>;

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const byIdx = (d: DfgEdge[]): DfgEdge[] => [...d].sort((a, b) => a[1] - b[1]);

function variableIndexKeys(n: Node, index: TokenIndex): string[] {
  if (isTokenNode(n)) {
    const t = index.get(nodeKey(n));
    return t && n.type !== t[1] ? [nodeKey(n)] : [];
  }
  return n.children.flatMap((c) => (c ? variableIndexKeys(c, index) : []));
}

const field = (n: Node, name: string): Node | null => n.childForFieldName(name);
const nonComma = (n: Node | null): Node[] =>
  n ? n.children.filter((c): c is Node => c !== null && c.type !== ',') : [];

function mergeLoopEdges(dfg: DfgEdge[]): DfgEdge[] {
  const m = new Map<string, DfgEdge>();
  for (const x of dfg) {
    const k = `${x[0]}\u0000${x[1]}\u0000${x[2]}`;
    const prev = m.get(k);
    if (!prev) m.set(k, [x[0], x[1], x[2], [...x[3]], [...x[4]]]);
    else m.set(k, [x[0], x[1], x[2], uniq([...prev[3], ...x[3]]), uniq([...prev[4], ...x[4]]).sort((a, b) => a - b)]);
  }
  return byIdx([...m.values()]);
}

function assignEdges(lefts: Node[], rights: Node[], index: TokenIndex, states: States): DfgEdge[] {
  const out: DfgEdge[] = [];
  const pairs = Math.min(lefts.length, rights.length);
  for (let i = 0; i < pairs; i++) {
    const l = variableIndexKeys(lefts[i], index);
    const r = variableIndexKeys(rights[i], index);
    for (const k of l) {
      const [idx1, code1] = index.get(k) as [number, string];
      out.push([
        code1,
        idx1,
        'computedFrom',
        r.map((x) => (index.get(x) as [number, string])[1]),
        r.map((x) => (index.get(x) as [number, string])[0]),
      ]);
      states.set(code1, [idx1]);
    }
  }
  return out;
}

function splitSides(n: Node): { lefts: Node[]; rights: Node[] } {
  const left = field(n, 'left') as Node;
  const right = field(n, 'right') as Node;
  let lefts = nonComma(left);
  let rights = nonComma(right);
  if (rights.length !== lefts.length) {
    lefts = [left];
    rights = [right];
  }
  if (lefts.length === 0) lefts = [left];
  if (rights.length === 0) rights = [right];
  return { lefts, rights };
}

export function dfgPython(node: Node, index: TokenIndex, statesIn: States): [DfgEdge[], States] {
  let states: States = new Map(statesIn);
  const t = node.type;
  if (isTokenNode(node)) {
    const tok = index.get(nodeKey(node));
    if (!tok) return [[], states];
    const [idx, code] = tok;
    if (t === code) return [[], states];
    const prior = states.get(code);
    if (prior) return [[[code, idx, 'comesFrom', [code], [...prior]]], states];
    if (t === 'identifier') states.set(code, [idx]);
    return [[[code, idx, 'comesFrom', [], []]], states];
  }
  if (t === 'default_parameter') {
    const name = field(node, 'name');
    const value = field(node, 'value');
    const dfg: DfgEdge[] = [];
    if (!name) return [[], states];
    if (!value) {
      for (const k of variableIndexKeys(name, index)) {
        const [idx, code] = index.get(k) as [number, string];
        dfg.push([code, idx, 'comesFrom', [], []]);
        states.set(code, [idx]);
      }
      return [byIdx(dfg), states];
    }
    const nameKeys = variableIndexKeys(name, index);
    const valueKeys = variableIndexKeys(value, index);
    const [temp, st] = dfgPython(value, index, states);
    states = st;
    dfg.push(...temp);
    for (const k1 of nameKeys) {
      const [idx1, code1] = index.get(k1) as [number, string];
      for (const k2 of valueKeys) {
        const [idx2, code2] = index.get(k2) as [number, string];
        dfg.push([code1, idx1, 'comesFrom', [code2], [idx2]]);
      }
      states.set(code1, [idx1]);
    }
    return [byIdx(dfg), states];
  }
  if (t === 'assignment' || t === 'augmented_assignment' || t === 'for_in_clause') {
    let lefts: Node[];
    let rights: Node[];
    if (t === 'for_in_clause') {
      rights = [node.children[node.childCount - 1] as Node];
      lefts = [field(node, 'left') as Node];
    } else {
      if (!field(node, 'right')) return [[], states];
      ({ lefts, rights } = splitSides(node));
    }
    const dfg: DfgEdge[] = [];
    for (const r of rights) {
      const [temp, st] = dfgPython(r, index, states);
      states = st;
      dfg.push(...temp);
    }
    dfg.push(...assignEdges(lefts, rights, index, states));
    return [byIdx(dfg), states];
  }
  if (t === 'if_statement') {
    const dfg: DfgEdge[] = [];
    let current: States = new Map(states);
    const others: States[] = [];
    let hasElse = false;
    for (const c of node.children) {
      if (!c) continue;
      if (c.type.includes('else')) hasElse = true;
      if (c.type !== 'elif_clause' && c.type !== 'else_clause') {
        const [temp, st] = dfgPython(c, index, current);
        current = st;
        dfg.push(...temp);
      } else {
        const [temp, st] = dfgPython(c, index, states);
        dfg.push(...temp);
        others.push(st);
      }
    }
    others.push(current);
    if (!hasElse) others.push(states);
    const merged: States = new Map();
    for (const s of others) for (const [k, v] of s) merged.set(k, [...(merged.get(k) ?? []), ...v]);
    for (const [k, v] of merged)
      merged.set(
        k,
        uniq(v).sort((a, b) => a - b),
      );
    return [byIdx(dfg), merged];
  }
  if (t === 'for_statement') {
    const dfg: DfgEdge[] = [];
    for (let pass = 0; pass < 2; pass++) {
      const { lefts, rights } = splitSides(node);
      for (const r of rights) {
        const [temp, st] = dfgPython(r, index, states);
        states = st;
        dfg.push(...temp);
      }
      dfg.push(...assignEdges(lefts, rights, index, states));
      const last = node.children[node.childCount - 1];
      if (last && last.type === 'block') {
        const [temp, st] = dfgPython(last, index, states);
        states = st;
        dfg.push(...temp);
      }
    }
    return [mergeLoopEdges(dfg), states];
  }
  if (t === 'while_statement') {
    const dfg: DfgEdge[] = [];
    for (let pass = 0; pass < 2; pass++) {
      for (const c of node.children) {
        if (!c) continue;
        const [temp, st] = dfgPython(c, index, states);
        states = st;
        dfg.push(...temp);
      }
    }
    return [mergeLoopEdges(dfg), states];
  }
  const dfg: DfgEdge[] = [];
  const children = node.children.filter((c): c is Node => c !== null);
  for (const c of children.filter((x) => x.type === 'for_in_clause')) {
    const [temp, st] = dfgPython(c, index, states);
    states = st;
    dfg.push(...temp);
  }
  for (const c of children.filter((x) => x.type !== 'for_in_clause')) {
    const [temp, st] = dfgPython(c, index, states);
    states = st;
    dfg.push(...temp);
  }
  return [byIdx(dfg), states];
}

/** get_data_flow: the DFG of a parse tree, keeping only edges that take part in a flow. */
export function dataFlow(root: Node): DfgEdge[] {
  const index: TokenIndex = new Map();
  tokenNodes(root).forEach((n, i) => index.set(nodeKey(n), [i, n.text]));
  let dfg: DfgEdge[];
  try {
    dfg = byIdx(dfgPython(root, index, new Map())[0]);
  } catch {
    dfg = [];
  }
  const used = new Set<number>();
  for (const d of dfg) {
    if (d[4].length) used.add(d[1]);
    for (const x of d[4]) used.add(x);
  }
  const kept = dfg.filter((d) => used.has(d[1]));
  const merged = new Map<number, DfgEdge>();
  for (const d of kept) {
    const p = merged.get(d[1]);
    merged.set(d[1], p ? [d[0], d[1], d[2], uniq([...p[3], ...d[3]]), uniq([...p[4], ...d[4]])] : d);
  }
  return [...merged.values()];
}

export type NormalizedFlow = [string, string, string[]];

/** Variable names replaced by var_0, var_1, ... in order of first appearance (parents first). */
export function normalizeDataflow(dfg: readonly DfgEdge[]): NormalizedFlow[] {
  const names = new Map<string, string>();
  const norm = (x: string): string => {
    if (!names.has(x)) names.set(x, `var_${names.size}`);
    return names.get(x) as string;
  };
  return dfg.map((d) => {
    d[3].forEach(norm);
    const v = norm(d[0]);
    return [v, d[2], d[3].map(norm)];
  });
}

/** Reference flows found in the candidate (each candidate flow used at most once). */
export function dataflowMatchCounts(reference: Node, candidate: Node): { match: number; total: number } {
  const ref = normalizeDataflow(dataFlow(reference));
  const cand = normalizeDataflow(dataFlow(candidate)).map((f) => JSON.stringify(f));
  let match = 0;
  for (const f of ref) {
    const i = cand.indexOf(JSON.stringify(f));
    if (i >= 0) {
      match++;
      cand.splice(i, 1);
    }
  }
  return { match, total: ref.length };
}
