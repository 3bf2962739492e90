/** `ecode validate <files...>`: checks config and sweep files, every problem with file:line:column. */
import {
  checkFile,
  expandFileArgs,
  formatProblem,
  MAX_CONFIG_FILE_BYTES,
  readBoundedText,
  sortProblems,
  type ConfigOverride,
  type FileCheck,
} from '@ecode/config';
import { loadTimePredictorConfig, TimePredictorConfigError } from '@ecode/time-predictor';
import { EXIT_FAILED, EXIT_OK, type Command } from '../cli.js';
import { splitConfigArgs } from './config-args.js';

type Check = FileCheck | { kind: 'time-predictor'; path: string; problems: FileCheck['problems'] };

/** Time-predictor configs (configs/timedb/) are told apart by their `measurement` section. */
function isTimePredictorConfig(path: string): boolean {
  try {
    // Bounded: a device or a FIFO given as a config must not be read here (checkFile names it).
    return /^measurement:/m.test(readBoundedText(path, MAX_CONFIG_FILE_BYTES, 'a config file'));
  } catch {
    return false;
  }
}

function check(path: string, overrides: readonly ConfigOverride[]): Check {
  if (!isTimePredictorConfig(path)) return checkFile(path, {}, overrides);
  try {
    loadTimePredictorConfig(path);
    return { kind: 'time-predictor', path, problems: [] };
  } catch (err) {
    if (!(err instanceof TimePredictorConfigError)) throw err;
    return {
      kind: 'time-predictor',
      path,
      problems: err.problems.map((text) => {
        // "/json/pointer: what" for schema problems; YAML errors say "at line N, column M" and
        // quote the line after it.
        const message = text.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        const at = /at line (\d+), column (\d+)/.exec(text) ?? /^line (\d+):/.exec(text);
        return {
          file: path,
          line: at ? Number(at[1]) : 1,
          column: at?.[2] ? Number(at[2]) : 1,
          kind: 'constraint' as const,
          path: message.startsWith('/') ? message.split(':')[0].slice(1).replace(/\//g, '.') : '',
          message: message.startsWith('/') ? message.slice(message.indexOf(':') + 1).trim() : message,
        };
      }),
    };
  }
}

function summary(c: Check): string {
  if (c.kind === 'time-predictor') return 'time-predictor config';
  if (c.kind === 'sweep') return c.sweep ? `sweep, ${c.sweep.runs.length} runs` : 'sweep';
  return c.resolved ? `config, hash ${c.resolved.hash.slice(0, 12)}` : 'config';
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check config and sweep files (all problems, with file:line:column)',
  usage: [
    '<file|glob...> [key=value ...] [--json]',
    '',
    'Each file is read with its extends chain, validated against the schema and the cross-field',
    'rules; a file with a top-level `variants` key is checked as a sweep (every run resolved).',
    'Quoted globs are expanded here, ** included: ecode validate "configs/**/*.yaml".',
    '',
    'Options:',
    '  --json   one JSON object: { ok, files: [{ path, kind, ok, hash?, runs?, problems }] }',
    '',
    'Overrides (key=value, +key=value, ~key; see ecode run --help) apply to every config and every',
    'run of a sweep, as they would on ecode run / ecode sweep.',
    '',
    'Exit: 0 all valid, 1 a file is invalid or a pattern matches nothing, 2 usage error.',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  minArgs: 1,
  async run(ctx) {
    const args = splitConfigArgs(ctx);
    const { files, unmatched } = expandFileArgs(args.files);
    const checks = files.map((f) => check(f, args.overrides));
    const bad = checks.filter((c) => c.problems.length > 0);
    const ok = bad.length === 0 && unmatched.length === 0;
    if (ctx.values.json) {
      const out = {
        ok,
        unmatched,
        files: checks.map((c) => ({
          path: c.path,
          kind: c.kind,
          ok: c.problems.length === 0,
          ...(c.kind === 'config' && c.resolved ? { hash: c.resolved.hash } : {}),
          ...(c.kind === 'sweep' && c.sweep ? { runs: c.sweep.runs.length } : {}),
          problems: sortProblems(c.problems),
        })),
      };
      ctx.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return ok ? EXIT_OK : EXIT_FAILED;
    }
    for (const pattern of unmatched) ctx.stderr.write(`no file matches ${pattern}\n`);
    for (const c of checks) {
      if (c.problems.length === 0) {
        ctx.stdout.write(`ok    ${c.path} (${summary(c)})\n`);
      } else {
        const n = c.problems.length;
        ctx.stdout.write(`FAIL  ${c.path} (${c.kind}, ${n} problem${n === 1 ? '' : 's'})\n`);
        for (const p of sortProblems(c.problems)) ctx.stderr.write(formatProblem(p) + '\n');
      }
    }
    const problems = bad.reduce((s, c) => s + c.problems.length, 0);
    ctx.stdout.write(
      ok
        ? `${checks.length} file${checks.length === 1 ? '' : 's'} valid\n`
        : `${bad.length} of ${checks.length} files invalid (${problems} problem${problems === 1 ? '' : 's'})${unmatched.length ? `, ${unmatched.length} pattern(s) matched nothing` : ''}\n`,
    );
    return ok ? EXIT_OK : EXIT_FAILED;
  },
};
