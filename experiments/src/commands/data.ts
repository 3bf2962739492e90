/**
 * `ecode data import-gec <dir> --out <file.jsonl>` and `ecode data synth --problems N --seed S
 * --out <file.jsonl>`: thin wrappers over @ecode/data (the work lives there).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  importGec,
  listContexts,
  listFamilies,
  listIdioms,
  resplitDataset,
  writeSynthetic,
  type GecImportOptions,
} from '@ecode/data';
import { loadTokenizer } from '@ecode/tokenizer';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../cli.js';

/** Progress lines: one rewritten line on a TTY, a plain line every 5 s otherwise. */
function progressPrinter(stream: NodeJS.WritableStream, label: string) {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  const start = Date.now();
  let lastPrint = 0;
  return {
    update(done: number, total: number, extra = '') {
      const now = Date.now();
      if (!tty && now - lastPrint < 5000 && done < total) return;
      lastPrint = now;
      const secs = (now - start) / 1000;
      const rate = done / Math.max(secs, 1e-9);
      const eta = rate > 0 ? (total - done) / rate : 0;
      const line = `${label}: ${done}/${total} (${rate.toFixed(1)}/s, ETA ${eta.toFixed(0)} s)${extra}`;
      stream.write(tty ? `\r${line}\x1b[K` : line + '\n');
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}

function intOption(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${String(value)}'`);
  return n;
}

export const dataImportGecCommand: Command = {
  name: 'data import-gec',
  summary: 'Import the original GEC dataset folder into canonical JSONL (+ manifest)',
  usage: [
    '<GEC dir> --out <file.jsonl> [--gpt2 <tokenizer dir>] [--indent tab|spaces|none]',
    '          [--valid-fraction F --seed S] [--json]',
    '',
    'Reads GEC/{train,test}/<problem>/ exactly as the original E-code loaders do. Bad files skip',
    'their problem or solution with a named reason; the import never stops on one bad entry.',
    '',
    'Options:',
    '  --out <file>            output JSONL; <file>.manifest.json is written beside it',
    '  --gpt2 <dir>            GPT-2 tokenizer folder (vocab.json + merges.txt or tokenizer.json);',
    '                          enables the original filters: efficient code <= 766 tokens (before',
    '                          re-indenting), slow code <= 768 tokens (after). Without it: no filter.',
    '  --max-fast-tokens N     default 766',
    '  --max-slow-tokens N     default 768',
    "  --indent MODE           tab (default, the original's: one tab per level), spaces (4), none",
    '  --valid-fraction F      move this fraction of train problems to a valid split (seeded)',
    '  --seed S                seed for --valid-fraction (default 666)',
    '  --json                  print the import report as JSON',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    gpt2: { type: 'string' },
    'max-fast-tokens': { type: 'string' },
    'max-slow-tokens': { type: 'string' },
    indent: { type: 'string' },
    'valid-fraction': { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const out = ctx.values.out as string | undefined;
    if (!out) throw new UsageError('--out <file.jsonl> is required');
    const indent = (ctx.values.indent as string | undefined) ?? 'tab';
    if (!['tab', 'spaces', 'none'].includes(indent))
      throw new UsageError(`--indent must be tab, spaces or none, got '${indent}'`);
    const validFraction = ctx.values['valid-fraction'] === undefined ? 0 : Number(ctx.values['valid-fraction']);
    if (!(validFraction >= 0 && validFraction < 1)) throw new UsageError('--valid-fraction must be in [0, 1)');
    const options: GecImportOptions = {
      indent: indent as GecImportOptions['indent'],
      maxFastTokens: intOption(ctx.values['max-fast-tokens'], 'max-fast-tokens', 1),
      maxSlowTokens: intOption(ctx.values['max-slow-tokens'], 'max-slow-tokens', 1),
    };
    const gpt2 = ctx.values.gpt2 as string | undefined;
    if (gpt2) {
      const tok = loadTokenizer(gpt2);
      options.countTokens = (code) => tok.encode(code).length;
    } else {
      ctx.stderr.write('note: no --gpt2 tokenizer given, so the 766/768-token filters are off\n');
    }
    const progress = progressPrinter(ctx.stderr, 'import-gec');
    options.onProgress = (done, total) => progress.update(done, total);
    const target = validFraction > 0 ? `${out}.source-split.jsonl` : out;
    const imported = await importGec(ctx.positionals[0], target, options);
    const { report } = imported;
    let { manifest } = imported;
    progress.done();
    if (validFraction > 0) {
      const seed = ctx.values.seed === undefined ? 666 : String(ctx.values.seed);
      const resplit = await resplitDataset(
        target,
        out,
        {
          seed,
          mode: 'keep-test',
          fractions: { train: 1 - validFraction, valid: validFraction, test: 0 },
        },
        { ...manifest.provenance, tool: 'ecode data import-gec --valid-fraction' },
      );
      manifest = resplit.manifest;
      await rm(target, { force: true });
      await rm(`${target}.manifest.json`, { force: true });
    }
    if (ctx.values.json) ctx.stdout.write(JSON.stringify({ manifest, report }, null, 2) + '\n');
    else {
      ctx.stdout.write(
        `wrote ${out}: ${manifest.problems} problems, ${manifest.solutions.slow} slow + ${manifest.solutions.fast} fast solutions, splits ${JSON.stringify(manifest.bySplit)}\n`,
      );
      const skipped = Object.entries(report.skipped);
      ctx.stdout.write(
        skipped.length
          ? `skipped (by reason):\n${skipped.map(([r, n]) => `  ${String(n).padStart(6)}  ${r}`).join('\n')}\n`
          : 'skipped: none\n',
      );
      for (const d of report.details.slice(0, 10)) ctx.stderr.write(`  ${d.path}: ${d.reason}: ${d.detail}\n`);
    }
    return manifest.problems > 0 ? EXIT_OK : EXIT_FAILED;
  },
};

export const dataSynthCommand: Command = {
  name: 'data synth',
  summary: 'Generate verified synthetic problems (slow and fast Python solutions) as JSONL',
  usage: [
    '--problems N [--seed S] [--out <file.jsonl>] [--no-verify] [--concurrency K] [--families a,b]',
    '',
    'Every solution is run against its tests with python3 before it is written; failures are',
    'dropped and counted. The same N and seed give byte-identical output.',
    '',
    'Options:',
    '  --problems N      how many problems',
    '  --seed S          default 1',
    '  --out <file>      default datasets/generated/synthetic-N<N>-s<S>.jsonl',
    '  --no-verify       skip the python3 check (faster; for experiments only)',
    '  --concurrency K   verifier processes (default: all cores)',
    '  --two-idioms F    share of problems with two idioms (default 0.2)',
    '  --list-idioms     print the idioms and the contexts of the corpus and exit',
    '  --families LIST   generator version 1 instead: its monolithic families (comma-separated);',
    '                    --list-families shows them',
    '  --list-families   print the version-1 families and exit',
  ].join('\n'),
  options: {
    problems: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'no-verify': { type: 'boolean' },
    concurrency: { type: 'string' },
    families: { type: 'string' },
    'list-families': { type: 'boolean' },
    'list-idioms': { type: 'boolean' },
    'two-idioms': { type: 'string' },
  },
  maxArgs: 0,
  async run(ctx) {
    if (ctx.values['list-families']) {
      for (const f of listFamilies()) ctx.stdout.write(`${f.name.padEnd(32)} ${f.idea}\n`);
      return EXIT_OK;
    }
    if (ctx.values['list-idioms']) {
      ctx.stdout.write('idioms (slow -> fast):\n');
      for (const i of listIdioms()) ctx.stdout.write(`  ${i.name.padEnd(42)} ${i.group.padEnd(15)} ${i.idea}\n`);
      ctx.stdout.write('contexts (layout, reading, structure):\n');
      for (const c of listContexts())
        ctx.stdout.write(
          `  ${c.name.padEnd(16)} ${c.layout}, ${c.read}, ${c.structure}${c.cases ? ', test cases' : ''}\n`,
        );
      return EXIT_OK;
    }
    const twoRaw = ctx.values['two-idioms'] as string | undefined;
    const twoIdiomShare = twoRaw === undefined ? undefined : Number(twoRaw);
    if (twoIdiomShare !== undefined && !(twoIdiomShare >= 0 && twoIdiomShare <= 1))
      throw new UsageError(`--two-idioms must be a share between 0 and 1, found ${JSON.stringify(twoRaw)}`);
    const problems = intOption(ctx.values.problems, 'problems', 1);
    if (problems === undefined) throw new UsageError('--problems N is required');
    const seedText = (ctx.values.seed as string | undefined) ?? '1';
    const seed = /^-?\d+$/.test(seedText) ? Number(seedText) : seedText;
    const out =
      (ctx.values.out as string | undefined) ??
      join('datasets', 'generated', `synthetic-N${problems}-s${seedText}.jsonl`);
    const families = (ctx.values.families as string | undefined)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const progress = progressPrinter(ctx.stderr, 'synth');
    const started = Date.now();
    const { manifest, stats } = await writeSynthetic(out, {
      problems,
      seed,
      verify: !ctx.values['no-verify'],
      concurrency: intOption(ctx.values.concurrency, 'concurrency', 1),
      families,
      ...(twoIdiomShare !== undefined ? { corpus: { twoIdiomShare } } : {}),
      onProgress: (p) =>
        progress.update(p.done, p.total, `, ${p.attempted} tried, ${p.droppedSolutions} solutions dropped`),
    });
    progress.done();
    const secs = (Date.now() - started) / 1000;
    ctx.stdout.write(
      `wrote ${out}: ${manifest.problems} problems (${manifest.solutions.slow} slow + ${manifest.solutions.fast} fast solutions, ${manifest.tests} tests) in ${secs.toFixed(1)} s, sha256 ${manifest.sha256.slice(0, 16)}\n`,
    );
    ctx.stdout.write(
      `splits ${JSON.stringify(manifest.bySplit)}; verified: ${stats.verified}; dropped solutions: ${JSON.stringify(stats.droppedSolutions)}; dropped problems: ${JSON.stringify(stats.droppedProblems)}\n`,
    );
    return EXIT_OK;
  },
};
