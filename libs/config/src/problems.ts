/**
 * Config problems: every mistake found in one pass, each located in a file
 * (`file:line:column`) and named by its JSON path, with what was found and what is allowed.
 */

/** A 1-based position in a file, as shown in messages. */
export interface SourceLocation {
  /** The file as displayed (relative to the working directory when inside it). */
  file: string;
  line: number;
  column: number;
}

export type ProblemKind =
  'syntax' | 'file' | 'extends' | 'type' | 'enum' | 'range' | 'unknown-key' | 'required' | 'constraint';

export interface ConfigProblem extends SourceLocation {
  kind: ProblemKind;
  /** Dotted JSON path (`model.expert.fieldLengths[2]`); empty for file-level problems. */
  path: string;
  /** The whole explanation: what was found and what is allowed. */
  message: string;
  /** The offending value, as shown in the message (when there is one). */
  found?: string;
  /** What is allowed at this path, as shown in the message. */
  allowed?: string;
}

/** Sorts problems by file, line, column, then path, so the output reads top to bottom. */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

/** One line per problem: `file:line:column: path: message` (`argument 3: path: message` for a command-line value, line 0). */
export function formatProblem(p: ConfigProblem): string {
  const at = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${at}: ${p.path ? p.path + ': ' : ''}${p.message}`;
}

export function formatProblems(problems: ConfigProblem[]): string {
  return sortProblems(problems).map(formatProblem).join('\n');
}

/** Thrown when a config or sweep is invalid; carries every problem found. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[], what = 'config') {
    const sorted = sortProblems(problems);
    const n = sorted.length;
    super(`invalid ${what}: ${n} problem${n === 1 ? '' : 's'}\n${formatProblems(sorted)}`);
    this.name = 'ConfigError';
    this.problems = sorted;
  }
}
