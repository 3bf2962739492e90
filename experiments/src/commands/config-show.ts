/** `ecode config show <file>`: the config after extends (and with --resolved, after defaults). */
import * as nodePath from 'node:path';
import { checkFile, formatProblems, toYaml } from '@ecode/config';
import { EXIT_FAILED, EXIT_OK, type Command } from '../cli.js';
import { configAndOverrides, OVERRIDES_HELP } from './config-args.js';

const shown = (abs: string) => {
  const rel = nodePath.relative(process.cwd(), abs);
  return rel.startsWith('..') ? abs : rel;
};

export const configShowCommand: Command = {
  name: 'config show',
  summary: 'Print a config after extends (--resolved: with every default, and its hash)',
  usage: [
    '<file> [key=value ...] [--resolved] [--json]',
    '',
    'Without --resolved: what the files say, merged along the extends chain.',
    'With --resolved: the full config the run uses (defaults filled in) and its canonical hash.',
    '',
    'Options:',
    '  --resolved   fill in defaults',
    '  --json       JSON { file, files, hash, overrides, config } instead of YAML',
    '',
    OVERRIDES_HELP,
    '',
    'Example: ecode config show configs/presets/cpu.yaml training.optimizer.lr=5e-4 --resolved',
  ].join('\n'),
  options: { resolved: { type: 'boolean' }, json: { type: 'boolean' } },
  minArgs: 1,
  async run(ctx) {
    const { file, overrides } = configAndOverrides(ctx);
    const check = checkFile(file, {}, overrides);
    if (check.problems.length > 0) {
      ctx.stderr.write(formatProblems(check.problems) + '\n');
      return EXIT_FAILED;
    }
    if (check.kind === 'sweep') {
      ctx.stderr.write(`${file} is a sweep file: list its runs with ecode sweep ${file} --dry-run\n`);
      return EXIT_FAILED;
    }
    const r = check.resolved!;
    const config = ctx.values.resolved ? r.config : r.merged;
    const files = r.files.map(shown);
    if (ctx.values.json) {
      ctx.stdout.write(
        JSON.stringify(
          { file, files, hash: r.hash, overrides: r.overrides, resolved: Boolean(ctx.values.resolved), config },
          null,
          2,
        ) + '\n',
      );
      return EXIT_OK;
    }
    const header = [`# ${file}${files.length > 1 ? ` (merged: ${files.join(' <- ')})` : ''}`, `# hash: ${r.hash}`];
    if (r.overrides.length) header.push(`# overrides: ${r.overrides.join(' ')}`);
    if (!ctx.values.resolved) header.push('# defaults not shown: add --resolved');
    ctx.stdout.write(header.join('\n') + '\n' + toYaml(config));
    return EXIT_OK;
  },
};
