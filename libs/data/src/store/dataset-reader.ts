/**
 * Streaming JSONL reader: yields Problems one at a time in constant memory. A corrupt line (bad
 * JSON, a record that is not a Problem, a line over the size cap) is skipped, counted and reported
 * with file:line and the reason; blank lines are ignored. The file must be a regular file.
 */
import { createReadStream } from 'node:fs';
import { checkRegularFile, formatBytes } from '@ecode/config';
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
  /** A longer line is skipped unread (default MAX_DATASET_LINE_BYTES). */
  maxLineBytes?: number;
}

/** The longest dataset line read (one problem with its tests and solutions). */
export const MAX_DATASET_LINE_BYTES = 64 << 20;

/**
 * The lines of a file, each a string, or the byte count of a line longer than `maxBytes` (whose
 * bytes are dropped as they arrive, so a file without line ends cannot fill the memory).
 */
export async function* boundedLines(path: string, maxBytes: number): AsyncGenerator<string | number> {
  const input = createReadStream(path);
  let parts: Buffer[] = [];
  let length = 0;
  let over = false;
  const take = (piece: Buffer) => {
    length += piece.length;
    if (over) return;
    if (length > maxBytes) {
      over = true;
      parts = [];
    } else parts.push(piece);
  };
  const line = (): string | number => {
    const out = over ? length : Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
    parts = [];
    length = 0;
    over = false;
    return out;
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
        take(chunk.subarray(start, nl));
        yield line();
        start = nl + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start));
    }
    if (length > 0) yield line();
  } finally {
    input.destroy();
  }
}

export function newReadStats(): ReadStats {
  return { problems: 0, skipped: 0, skips: [] };
}

export async function* readProblems(path: string, options: ReadOptions = {}): AsyncGenerator<Problem> {
  const stats = options.stats ?? newReadStats();
  const keep = options.keepSkips ?? 100;
  const maxLine = options.maxLineBytes ?? MAX_DATASET_LINE_BYTES;
  checkRegularFile(path, Number.MAX_SAFE_INTEGER, 'a dataset');
  let lineNo = 0;
  for await (const text of boundedLines(path, maxLine)) {
    lineNo++;
    let reason: string | undefined;
    let value: unknown;
    if (typeof text === 'number') {
      reason = `the line is ${formatBytes(text)}, over the ${formatBytes(maxLine)} limit of a dataset line`;
    } else {
      if (text.trim() === '') continue;
      try {
        value = JSON.parse(text);
        reason = problemShapeError(value);
      } catch (err) {
        reason = `invalid JSON: ${(err as Error).message}`;
      }
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
}

/** Reads a whole (small) dataset into memory; for tests and tools, not for GEC-sized files. */
export async function readAllProblems(path: string, options: ReadOptions = {}): Promise<Problem[]> {
  const out: Problem[] = [];
  for await (const p of readProblems(path, options)) out.push(p);
  return out;
}
