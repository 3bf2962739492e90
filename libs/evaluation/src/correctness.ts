import type { JudgedProgram, Verdict } from './types.js';
import { VERDICTS } from './types.js';

function checkVerdicts(p: JudgedProgram, where: string): void {
  for (const [i, v] of p.verdicts.entries()) {
    if (!VERDICTS.includes(v)) {
      throw new Error(
        `${where}: problem ${p.problemId} sample ${String(p.sampleId ?? 0)} verdict #${i} is "${String(v)}"; allowed: ${VERDICTS.join(', ')}`,
      );
    }
  }
}

const isRuntimeClass = (v: Verdict): boolean => v === 'runtime-error' || v === 'timeout' || v === 'memory-limit';

/**
 * The original's compile score: 0 when every case is a runtime error (runtime error, timeout or
 * memory limit: the original's -1), or every case is a compile error (-2), else 1. A program
 * whose every case is a wrong answer counts as compiled. A program with no cases scores 0.
 */
export function compiled(p: JudgedProgram): 0 | 1 {
  checkVerdicts(p, 'compiled');
  const v = p.verdicts;
  if (v.length === 0) return 0;
  if (v.every(isRuntimeClass)) return 0;
  if (v.every((x) => x === 'compile-error')) return 0;
  return 1;
}

/** Fractional IO pass rate: passed cases / cases (0 for a program with no cases). */
export function passRate(p: JudgedProgram): number {
  checkVerdicts(p, 'passRate');
  if (p.verdicts.length === 0) return 0;
  return p.verdicts.filter((v) => v === 'pass').length / p.verdicts.length;
}

/** Strict correctness: at least one case and every case passes. */
export function allPassed(p: JudgedProgram): boolean {
  return p.verdicts.length > 0 && passRate(p) === 1;
}

export interface CorrectnessSummary {
  programs: number;
  /** Mean compile score (original rule). */
  compileRate: number;
  /** Mean fractional pass rate. */
  passRate: number;
  /** Share of programs passing every case. */
  allPassRate: number;
  /** Count of programs passing every case (the original's "number of code passes"). */
  passCount: number;
}

export function correctnessSummary(programs: readonly JudgedProgram[]): CorrectnessSummary {
  const n = programs.length;
  if (n === 0) return { programs: 0, compileRate: NaN, passRate: NaN, allPassRate: NaN, passCount: 0 };
  let c = 0;
  let pr = 0;
  let pc = 0;
  for (const p of programs) {
    c += compiled(p);
    pr += passRate(p);
    if (allPassed(p)) pc++;
  }
  return { programs: n, compileRate: c / n, passRate: pr / n, allPassRate: pc / n, passCount: pc };
}
