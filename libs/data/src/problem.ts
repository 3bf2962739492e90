/**
 * The canonical dataset record: one competitive-programming problem with its statement split
 * into E-code's five fields, its tests, and its slow and fast solutions. One JSON object per line
 * in a dataset file (JSONL), plus a manifest beside it.
 */

/** E-code's five statement fields, each fed to its own expert encoder (spec: "Task"). */
export interface StatementFields {
  /** `Title:{title}\nDifficulty:{difficulty}` */
  titleDifficulty: string;
  /** The description body. */
  body: string;
  /** `Input:{input spec}` */
  inputSpec: string;
  /** `Output:{output spec}` */
  outputSpec: string;
  /** `I/O test:{sample tests}\nNote:{note}` */
  samplesNote: string;
}

/** The field order of the expert encoder group. */
export const STATEMENT_FIELD_ORDER = ['titleDifficulty', 'body', 'inputSpec', 'outputSpec', 'samplesNote'] as const;

export interface TestCase {
  /** stdin text, or for call-based tests a JSON array of arguments. */
  input: string;
  /** expected stdout text, or for call-based tests the JSON of the return value. */
  output: string;
  /** `stdio` (default) or `call` (call `fnName` with the arguments). */
  kind?: 'stdio' | 'call';
  fnName?: string;
  /** Tests that are part of the statement's samples. */
  sample?: boolean;
  /** Large tests: sized so that a slow solution is measurably slower than a fast one (synthetic data). */
  large?: boolean;
}

export interface Solution {
  code: string;
  role: 'slow' | 'fast';
  /** Runtime reported by the source (Codeforces milliseconds in GEC). */
  reportedRuntimeMs?: number;
  reportedMemoryKb?: number;
  /** What kind of solution this is within its family (synthetic data), e.g. `nested-loops`. */
  variant?: string;
  /** Where it came from in the source dataset, e.g. the GEC file name `0,77 ms,284 KB.txt`. */
  origin?: string;
}

export type Split = 'train' | 'valid' | 'test';

export interface Problem {
  id: string;
  /** `gec`, `synthetic`, or another source name. */
  source: string;
  title: string;
  difficulty: string;
  fields: StatementFields;
  tests: TestCase[];
  solutions: Solution[];
  split: Split;
  /** Synthetic problems: the family (e.g. `list-vs-set-membership`); corpus problems: their idioms joined by `+`. */
  family?: string;
  /** Corpus problems: the slow -> fast idioms in the problem (one or two). */
  idioms?: string[];
  /** Corpus problems: the context (story, I/O format, code structure). */
  context?: string;
  /**
   * Corpus problems: which test split the problem belongs to. `in-distribution` problems are
   * divided into train / valid / test; `unseen-combination` and `unseen-idiom` ones are test only.
   */
  testSplit?: 'in-distribution' | 'unseen-combination' | 'unseen-idiom';
}
