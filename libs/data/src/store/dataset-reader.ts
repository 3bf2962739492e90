/**
 * Streaming JSONL reader: yields Problems one at a time in constant memory. A corrupt line (bad
 * JSON or a record that is not a Problem) is skipped, counted and reported with file:line and
 * the reason; blank lines are ignored.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Problem } from '../problem.js';
import { problemShapeError } from './validate-problem.js';

export interface SkippedLine {
  file: string;
  line: number;
  reason: string;
}

export interface ReadStats {
  problems: number;
  skipped: number;
  /** The first `keepSkips` skipped lines (all of them are counted in `skipped`). */
  skips: SkippedLine[];
}

export interface ReadOptions {
  /** Filled in while reading. */
  stats?: ReadStats;
  /** Called for every skipped line. */
  onSkip?: (skip: SkippedLine) => void;
  /** How many skipped lines `stats.skips` keeps (default 100). */
  keepSkips?: number;
}

export function newReadStats(): ReadStats {
  return { problems: 0, skipped: 0, skips: [] };
}

export async function* readProblems(path: string, options: ReadOptions = {}): AsyncGenerator<Problem> {
  const stats = options.stats ?? newReadStats();
  const keep = options.keepSkips ?? 100;
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      let reason: string | undefined;
      let value: unknown;
      try {
        value = JSON.parse(text);
        reason = problemShapeError(value);
      } catch (err) {
        reason = `invalid JSON: ${(err as Error).message}`;
      }
      if (reason !== undefined) {
        const skip = { file: path, line: lineNo, reason };
        stats.skipped++;
        if (stats.skips.length < keep) stats.skips.push(skip);
        options.onSkip?.(skip);
        continue;
      }
      stats.problems++;
      yield value as Problem;
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Reads a whole (small) dataset into memory; for tests and tools, not for GEC-sized files. */
export async function readAllProblems(path: string, options: ReadOptions = {}): Promise<Problem[]> {
  const out: Problem[] = [];
  for await (const p of readProblems(path, options)) out.push(p);
  return out;
}
