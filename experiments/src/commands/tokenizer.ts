/**
 * `ecode tokenizer train` and `ecode tokenizer encode`: train a byte-level BPE (code) or WordPiece
 * (statements) tokenizer on dataset files, and look at how a saved tokenizer cuts a text.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadTokenizer, saveTokenizer, trainByteLevelBpe, trainWordPiece } from '@ecode/tokenizer';
import { EXIT_OK, UsageError, type Command } from '../cli.js';

interface ProblemLine {
  split?: string;
  fields?: Record<string, string>;
  solutions?: { code?: string }[];
}

/** Texts to train on: code (bpe) or the five statement fields (wordpiece) of a canonical JSONL, or a whole text file. */
async function* corpusTexts(file: string, kind: 'bpe' | 'wordpiece', split: string): AsyncGenerator<string> {
  if (!file.endsWith('.jsonl')) {
    yield readFileSync(file, 'utf8');
    return;
  }
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let p: ProblemLine;
    try {
      p = JSON.parse(line) as ProblemLine;
    } catch (e) {
      throw new Error(`${file}:${n}: not JSON (${(e as Error).message})`);
    }
    if (split !== 'all' && p.split !== split) continue;
    if (kind === 'bpe') for (const s of p.solutions ?? []) if (typeof s.code === 'string') yield s.code;
    if (kind === 'wordpiece') for (const v of Object.values(p.fields ?? {})) if (typeof v === 'string') yield v;
  }
}

export const tokenizerTrainCommand: Command = {
  name: 'tokenizer train',
  summary: 'Train a byte-level BPE (code) or WordPiece (statements) tokenizer on dataset files',
  usage: [
    '<file>... --out <dir> [--kind bpe|wordpiece] [--vocab-size N] [--min-frequency N] [--split train|valid|test|all]',
    '',
    'A .jsonl file is read as a canonical dataset: solution code for bpe, the five statement',
    'fields for wordpiece, from problems of --split (default train). Other files are used whole.',
    'Writes tokenizer.json, special_tokens_map.json and vocab.json + merges.txt (bpe) or vocab.txt.',
    '',
    'Options:',
    '  --kind           bpe (default) or wordpiece',
    '  --vocab-size     total ids, special tokens included (default 8000)',
    '  --min-frequency  never merge a pair seen fewer times (default 2)',
    '  --scoring        wordpiece merge order: frequency (default) or likelihood',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    kind: { type: 'string' },
    'vocab-size': { type: 'string' },
    'min-frequency': { type: 'string' },
    split: { type: 'string' },
    scoring: { type: 'string' },
  },
  minArgs: 1,
  async run(ctx) {
    const out = ctx.values.out;
    if (typeof out !== 'string') throw new UsageError('--out <dir> is required');
    const kind = (ctx.values.kind ?? 'bpe') as string;
    if (kind !== 'bpe' && kind !== 'wordpiece') throw new UsageError(`--kind must be bpe or wordpiece, got ${kind}`);
    const int = (name: string, fallback: number) => {
      const raw = ctx.values[name];
      const v = raw === undefined ? fallback : Number(raw);
      if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a positive integer, got ${raw}`);
      return v;
    };
    const vocabSize = int('vocab-size', 8000);
    const minFrequency = int('min-frequency', 2);
    const split = (ctx.values.split ?? 'train') as string;
    const scoring = (ctx.values.scoring ?? 'frequency') as string;
    if (scoring !== 'frequency' && scoring !== 'likelihood') {
      throw new UsageError(`--scoring must be frequency or likelihood, got ${scoring}`);
    }
    const texts: string[] = [];
    for (const f of ctx.positionals) for await (const t of corpusTexts(f, kind, split)) texts.push(t);
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    const started = performance.now();
    const tok =
      kind === 'bpe'
        ? trainByteLevelBpe(texts, { vocabSize, minFrequency })
        : trainWordPiece(texts, { vocabSize, minFrequency, scoring });
    const seconds = (performance.now() - started) / 1000;
    const files = saveTokenizer(tok, out);
    ctx.stdout.write(
      JSON.stringify({
        kind,
        texts: texts.length,
        bytes,
        vocabSize: tok.vocabSize,
        seconds: +seconds.toFixed(2),
        files,
      }) + '\n',
    );
    return EXIT_OK;
  },
};

export const tokenizerEncodeCommand: Command = {
  name: 'tokenizer encode',
  summary: 'Show the ids and tokens a saved tokenizer gives a text',
  usage: [
    '<tokenizer-dir> <text> [--ecode-gpt2] [--special]',
    '',
    'Options:',
    "  --ecode-gpt2  the folder holds GPT-2's vocab.json + merges.txt: apply E-code's ids",
    '  --special     add the start/end special tokens',
  ].join('\n'),
  options: { 'ecode-gpt2': { type: 'boolean' }, special: { type: 'boolean' } },
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const [dir, text] = ctx.positionals;
    const tok = loadTokenizer(dir, { ecodeGpt2Convention: ctx.values['ecode-gpt2'] === true });
    const ids = tok.encode(text, { addSpecialTokens: ctx.values.special === true });
    const tokens = ids.map((id) => tok.idToToken(id));
    ctx.stdout.write(JSON.stringify({ kind: tok.kind, vocabSize: tok.vocabSize, ids, tokens }) + '\n');
    return EXIT_OK;
  },
};
