/**
 * Command-line overrides for every command that takes a config: the words after the file(s) that
 * look like `key.path=value`, `+key.path=value` or `~key.path` (Hydra's syntax). Each is named
 * in messages by its position on the command line (`argument 3` in `ecode run cfg.yaml a=1 b=2`
 * is `a=1`: the command's words count).
 */
import { isOverrideArg, parseGridArg, parseOverride, type ConfigOverride } from '@ecode/config';
import { UsageError, type CommandContext } from '../cli.js';

export const OVERRIDES_HELP = [
  'Overrides (after the config; last wins, applied after extends, the variant and a sweep file):',
  '  key.path=value       set a key; the value is YAML: 5e-4, true, sample, [16, 16], {a: 1}',
  '  +key.path=value      add an optional key that nothing sets yet (e.g. +data.maxProblems=100)',
  '  ~key.path            delete a key (its default comes back)',
  'They are validated like the file (an error names the argument) and are part of the hash: a',
  'value given here hashes exactly like the same value written in the YAML.',
].join('\n');

/** The positionals split into files and parsed overrides (a UsageError names a malformed one). */
export function splitConfigArgs(ctx: CommandContext): { files: string[]; overrides: ConfigOverride[] } {
  const files: string[] = [];
  const overrides: ConfigOverride[] = [];
  const argv = ctx.argv ?? [];
  let from = 0;
  for (const word of ctx.positionals) {
    if (files.length > 0 && isOverrideArg(word)) {
      const at = argv.indexOf(word, from);
      if (at >= 0) from = at + 1;
      try {
        overrides.push(parseOverride(word, `argument ${at >= 0 ? at + 1 : ctx.positionals.indexOf(word) + 1}`));
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    } else if (overrides.length > 0) {
      throw new UsageError(`${JSON.stringify(word)}: files come before the overrides (key=value words)`);
    } else files.push(word);
  }
  return { files, overrides };
}

/** The one config a command takes, and its overrides. */
export function configAndOverrides(ctx: CommandContext): { file: string; overrides: ConfigOverride[] } {
  const { files, overrides } = splitConfigArgs(ctx);
  if (files.length !== 1)
    throw new UsageError(
      `expects one config and then overrides (key=value), got ${files.length} files: ${files.join(' ')}`,
    );
  return { file: files[0], overrides };
}

/** How MLflow records the overrides: as given, space-separated (tag `ecode.overrides`). */
export function overridesTag(overrides: readonly { text: string }[] | readonly string[]): Record<string, string> {
  const texts = overrides.map((o) => (typeof o === 'string' ? o : o.text));
  return texts.length ? { 'ecode.overrides': texts.join(' ') } : {};
}

/** `--grid 'key=v1,v2'` options (repeatable), named `--grid N` in messages. */
export function gridArgs(ctx: CommandContext): Array<{ key: string; values: unknown[]; label: string }> {
  return ((ctx.values.grid as string[] | undefined) ?? []).map((g, i) => {
    try {
      return { ...parseGridArg(g), label: `--grid ${i + 1}` };
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  });
}
