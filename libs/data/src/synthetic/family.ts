/**
 * A family of synthetic problems: one algorithmic idea (e.g. list vs set membership) from which a
 * seeded generator makes concrete problems, varying identifiers, constants, wording and I/O shape.
 * Every instance carries its tests (samples, a medium and a large one; expected outputs computed
 * in TypeScript, independently of the Python solutions), one fast solution and several slow ones.
 */
import type { Rng } from '../random.js';

export interface SolutionTemplate {
  /** Short name of the approach, e.g. `nested-loops`. */
  variant: string;
  code: string;
}

export interface GeneratedCase {
  input: string;
  output: string;
}

export interface FamilyInstance {
  title: string;
  /** Codeforces-like rating, as a string. */
  difficulty: string;
  body: string;
  inputSpec: string;
  outputSpec: string;
  note: string;
  samples: GeneratedCase[];
  /** Non-sample tests; the last is the large one on which slow solutions are measurably slower. */
  medium: GeneratedCase;
  large: GeneratedCase;
  fast: SolutionTemplate;
  slow: SolutionTemplate[];
}

export interface Family {
  name: string;
  /** What differs between the slow and the fast solutions. */
  idea: string;
  make(rng: Rng): FamilyInstance;
}
