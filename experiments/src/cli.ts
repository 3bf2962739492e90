/**
 * The command framework of the `ecode` CLI: every command is a small object registered in
 * `commands/index.ts`. Exit codes: 0 ok, 1 the work failed, 2 the command line was wrong.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Positional arguments after the command name. */
  positionals: string[];
  /** Parsed options (strings, booleans, or arrays of them for `multiple` options). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** The whole command line after `ecode` (so that a message can say `argument 3`). */
  argv?: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Command {
  /** Words that select the command, e.g. `data synth`. */
  name: string;
  /** One line for `ecode --help`. */
  summary: string;
  /** Usage text shown by `ecode <command> --help` (after the `Usage:` line). */
  usage: string;
  options?: OptionSpec;
  /** Positional argument count bounds. */
  minArgs?: number;
  maxArgs?: number;
  run(ctx: CommandContext): Promise<number>;
}

/** Throw to report a wrong command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

function findCommand(commands: Command[], argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) {
      if (!best || words.length > best.command.name.split(' ').length) {
        best = { command, rest: argv.slice(words.length) };
      }
    }
  }
  return best;
}

export function helpText(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'ecode: E-code experiments (train, generate, judge in a sandbox, measure, track, report)',
    '',
    'Usage: ecode <command> [options]   (ecode <command> --help for details)',
    '',
    'Commands:',
    ...lines,
    '',
    '`ecode --version` prints the version and whether the native kernels (OpenBLAS) are available.',
    'Exit codes: 0 ok, 1 failed, 2 usage error.',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return `Usage: ecode ${command.name} ${command.usage}`.trimEnd() + '\n';
}

export async function runCli(
  commands: Command[],
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(helpText(commands) + '\n');
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  const found = findCommand(commands, argv);
  if (!found) {
    io.stderr.write(`ecode: unknown command '${argv.join(' ')}'\n\n${helpText(commands)}\n`);
    return EXIT_USAGE;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command));
    return EXIT_OK;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
    const n = parsed.positionals.length;
    if (command.minArgs !== undefined && n < command.minArgs)
      throw new UsageError(`expects at least ${command.minArgs} argument(s), got ${n}`);
    if (command.maxArgs !== undefined && n > command.maxArgs)
      throw new UsageError(`expects at most ${command.maxArgs} argument(s), got ${n}`);
  } catch (err) {
    io.stderr.write(`ecode ${command.name}: ${(err as Error).message}\n${commandHelp(command)}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run({
      positionals: parsed.positionals,
      values: parsed.values as CommandContext['values'],
      argv,
      stdout: io.stdout,
      stderr: io.stderr,
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`ecode ${command.name}: ${err.message}\n${commandHelp(command)}`);
      return EXIT_USAGE;
    }
    // What went wrong, in the error's own words; the stack only on request.
    const e = err as Error;
    const debug = Boolean(process.env.ECODE_DEBUG);
    const text = debug ? (e.stack ?? String(err)) : e instanceof Error ? e.message : String(err);
    io.stderr.write(`ecode ${command.name}: ${text}\n`);
    if (!debug && e instanceof Error && !e.name.endsWith('ConfigError'))
      io.stderr.write('(set ECODE_DEBUG=1 to see the stack trace)\n');
    return EXIT_FAILED;
  }
}
