/**
 * Real CodeBLEU (Ren et al. 2020, CodeXGLUE's calc_code_bleu) for Python:
 * 0.25 n-gram match + 0.25 weighted n-gram match + 0.25 AST subtree match + 0.25 data-flow match,
 * each on a 0..1 scale, parsed with tree-sitter-python (wasm).
 */
import { pyLstrip, pyRstrip, pySplit } from '../bleu/tokenize-13a.js';
import type { JudgedProgram } from '../types.js';
import { ngramMatch, weightedNgramMatch } from './ngram.js';
import { loadPythonParser } from './python-parser.js';
import { PYTHON_KEYWORDS } from './python-keywords.js';
import { syntaxMatchCounts } from './syntax-match.js';
import { dataflowMatchCounts } from './dataflow-match.js';
import { removeCommentsAndDocstrings } from './tree-utils.js';

export interface CodeBleuResult {
  codeBleu: number;
  ngramMatch: number;
  weightedNgramMatch: number;
  syntaxMatch: number;
  /** options.dataflowWhenEmpty (default 0) when the references have no data flow at all. */
  dataflowMatch: number;
  /** True when no reference produced a data-flow edge, so dataflowMatch is 0 by convention. */
  dataflowEmpty: boolean;
}

export interface CodeBleuOptions {
  /** alpha, beta, gamma, theta (default 0.25 each). */
  weights?: [number, number, number, number];
  /**
   * Data-flow score used when no reference has any data flow: 0 (CodeXGLUE, default) or 1
   * (k4black/codebleu's `dataflow_match_score or 1`).
   */
  dataflowWhenEmpty?: 0 | 1;
}

const pyStrip = (s: string): string => pyRstrip(pyLstrip(s));

/** Corpus CodeBLEU: references[i] is one reference or a list of references for hypotheses[i]. */
export async function corpusCodeBleu(
  references: ReadonlyArray<string | readonly string[]>,
  hypotheses: readonly string[],
  options: CodeBleuOptions = {},
): Promise<CodeBleuResult> {
  if (references.length !== hypotheses.length) {
    throw new Error(`corpusCodeBleu: ${references.length} references for ${hypotheses.length} hypotheses`);
  }
  const [alpha, beta, gamma, theta] = options.weights ?? [0.25, 0.25, 0.25, 0.25];
  const refs = references.map((r) => (typeof r === 'string' ? [pyStrip(r)] : r.map(pyStrip)));
  const hyps = hypotheses.map(pyStrip);
  const tokRefs = refs.map((rs) => rs.map(pySplit));
  const tokHyps = hyps.map(pySplit);
  const ngram = ngramMatch(tokRefs, tokHyps);
  const weighted = weightedNgramMatch(tokRefs, tokHyps, PYTHON_KEYWORDS);

  const parser = await loadPythonParser();
  const parseClean = (src: string) => {
    const raw = parser.parse(src);
    if (!raw) throw new Error('tree-sitter returned no tree');
    const cleaned = removeCommentsAndDocstrings(src, raw.rootNode);
    raw.delete();
    const tree = parser.parse(cleaned);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  };
  let sm = 0;
  let st = 0;
  let dm = 0;
  let dt = 0;
  hyps.forEach((hyp, i) => {
    for (const ref of refs[i]) {
      const ct = parseClean(hyp);
      const rt = parseClean(ref);
      try {
        const s = syntaxMatchCounts(rt.rootNode, ct.rootNode);
        sm += s.match;
        st += s.total;
        const d = dataflowMatchCounts(rt.rootNode, ct.rootNode);
        dm += d.match;
        dt += d.total;
      } finally {
        ct.delete();
        rt.delete();
      }
    }
  });
  const syntax = st ? sm / st : 0;
  const dataflow = dt ? dm / dt : (options.dataflowWhenEmpty ?? 0);
  return {
    codeBleu: alpha * ngram + beta * weighted + gamma * syntax + theta * dataflow,
    ngramMatch: ngram,
    weightedNgramMatch: weighted,
    syntaxMatch: syntax,
    dataflowMatch: dataflow,
    dataflowEmpty: dt === 0,
  };
}

/** CodeBLEU of one hypothesis against one reference (0..1). */
export function codeBleu(
  reference: string,
  hypothesis: string,
  options: CodeBleuOptions = {},
): Promise<CodeBleuResult> {
  return corpusCodeBleu([reference], [hypothesis], options);
}

/**
 * Per-program CodeBLEU x100 (the BLEU scale), undefined where a program lacks generated or
 * reference source. Pass the result to evaluatePrograms as `extra: { codeBleu }`.
 */
export async function perProgramCodeBleu(
  programs: readonly JudgedProgram[],
  options: CodeBleuOptions = {},
): Promise<Array<number | undefined>> {
  const out: Array<number | undefined> = [];
  for (const p of programs) {
    if (p.generated === undefined || p.reference === undefined) out.push(undefined);
    else out.push(100 * (await codeBleu(p.reference, p.generated, options)).codeBleu);
  }
  return out;
}
