/**
 * Tokenizers and samples: byte-level BPE for code and WordPiece for statements, trained on the
 * training split (or loaded from pretrained files), saved in the run folder; then every
 * (problem, slow solution) pair becomes an `EncodedSample` for the model.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExperimentConfig } from '@ecode/config';
import {
  abstractIdentifiers,
  applyLineEdit,
  lineEdit,
  restoreIdentifiers,
  STATEMENT_FIELD_ORDER,
  type Problem,
} from '@ecode/data';
import type { EncodedSample } from '@ecode/model';
import {
  ByteLevelBpeTokenizer,
  ecodeGpt2Vocab,
  loadTokenizer,
  saveTokenizer,
  trainByteLevelBpe,
  trainWordPiece,
  WordPieceTokenizer,
  type AnyTokenizer,
} from '@ecode/tokenizer';

export interface Tokenizers {
  code: ByteLevelBpeTokenizer;
  text: WordPieceTokenizer;
}

/** The whole statement as one text (No-expert BERT input, GPT-Neo baseline prompt). */
export function statementText(p: Problem): string {
  return STATEMENT_FIELD_ORDER.map((f) => p.fields[f]).join('\n');
}

/** Whether the config abstracts identifiers (`tokenizer.code.identifiers: abstract`). */
export function abstractsIdentifiers(config: ExperimentConfig): boolean {
  return config.tokenizer.code.identifiers === 'abstract';
}

/** Whether the decoder writes edits to the slow code (`tokenizer.code.target: edit`). */
export function writesEdits(config: ExperimentConfig): boolean {
  return config.tokenizer.code.target === 'edit';
}

/**
 * The model's view of a (slow, fast) pair: as written, or with the program's own names abstracted
 * (numbered in the slow code, the fast code continuing its numbering); and the target (EC) as the
 * whole fast program or as the line edit from the slow code to it. `names` restores a program the
 * model writes for this slow code.
 */
export function modelCode(
  config: ExperimentConfig,
  slow: string,
  fast?: string,
): { ic: string; ec?: string; names: string[] } {
  const view = abstractsIdentifiers(config)
    ? (() => {
        const a = abstractIdentifiers(slow);
        return {
          ic: a.code,
          ec: fast === undefined ? undefined : abstractIdentifiers(fast, a.names).code,
          names: a.names,
        };
      })()
    : { ic: slow, ec: fast, names: [] as string[] };
  if (writesEdits(config) && view.ec !== undefined)
    view.ec = lineEdit(view.ic, view.ec, { localNames: abstractsIdentifiers(config) });
  return view;
}

/**
 * The program the model wrote for a slow solution, from its output: the edit applied to the slow
 * code (as the model saw it) and the names restored. An edit that cannot be applied gives its own
 * text back (not Python: the program fails to compile) and the reason in `editError`;
 * `editNearMatches` counts hunks placed where their `-` lines only nearly match the slow code.
 */
export function programFromOutput(
  config: ExperimentConfig,
  slow: string,
  written: string,
): { code: string; editError?: string; editNearMatches?: number } {
  const view = modelCode(config, slow);
  let code = written;
  let nearMatches = 0;
  if (writesEdits(config)) {
    const applied = applyLineEdit(view.ic, written, { localNames: abstractsIdentifiers(config) });
    if (applied.code === undefined) return { code: written, editError: applied.error };
    code = applied.code;
    nearMatches = applied.fuzzy;
  }
  return {
    code: abstractsIdentifiers(config) ? restoreIdentifiers(code, view.names) : code,
    ...(nearMatches ? { editNearMatches: nearMatches } : {}),
  };
}

function fastSolution(p: Problem) {
  const fast = p.solutions.find((s) => s.role === 'fast');
  if (!fast) throw new Error(`problem ${p.id}: no fast solution`);
  return fast;
}

function asBpe(t: AnyTokenizer, where: string): ByteLevelBpeTokenizer {
  if (!(t instanceof ByteLevelBpeTokenizer)) throw new Error(`${where}: expected a byte-level BPE tokenizer`);
  return t;
}

function asWordPiece(t: AnyTokenizer, where: string): WordPieceTokenizer {
  if (!(t instanceof WordPieceTokenizer)) throw new Error(`${where}: expected a WordPiece tokenizer`);
  return t;
}

/**
 * Trains (or loads) both tokenizers. `dir` caches them: a run that resumes reloads the exact
 * same vocabularies instead of training again.
 */
export function prepareTokenizers(
  config: ExperimentConfig,
  train: Problem[],
  dir: string,
  configDir = process.cwd(),
  log: (l: string) => void = () => {},
): Tokenizers {
  const codeDir = resolve(dir, 'code');
  const textDir = resolve(dir, 'text');
  let code: ByteLevelBpeTokenizer;
  let text: WordPieceTokenizer;
  if (existsSync(resolve(codeDir, 'tokenizer.json'))) {
    code = asBpe(loadTokenizer(codeDir), codeDir);
  } else if (config.tokenizer.code.files) {
    const f = config.tokenizer.code.files;
    const vocab = JSON.parse(readFileSync(resolve(configDir, f.vocab), 'utf8')) as Record<string, number>;
    const merges = readFileSync(resolve(configDir, f.merges), 'utf8');
    code = ByteLevelBpeTokenizer.fromVocabAndMerges(JSON.stringify(ecodeGpt2Vocab(vocab)), merges, {
      specialTokens: ['[PAD]', '[CLS]', '<|endoftext|>'],
    });
    saveTokenizer(code, codeDir);
  } else {
    const asModelSees = (c: string) => (abstractsIdentifiers(config) ? abstractIdentifiers(c).code : c);
    // With edit targets the decoder's texts are the slow solutions' edits to the fast one.
    const edits = (p: Problem) => {
      if (!writesEdits(config)) return [];
      const fast = p.solutions.find((s) => s.role === 'fast');
      return fast
        ? p.solutions.filter((s) => s.role === 'slow').map((s) => modelCode(config, s.code, fast.code).ec ?? '')
        : [];
    };
    const corpus = train.flatMap((p) => [
      ...p.solutions.map((s) => asModelSees(s.code)),
      ...edits(p),
      statementText(p),
    ]);
    const t0 = Date.now();
    code = trainByteLevelBpe(corpus, { vocabSize: config.tokenizer.code.vocabSize });
    log(
      `code tokenizer: byte-level BPE, ${code.vocabSize} ids, trained on ${corpus.length} texts in ${Date.now() - t0} ms`,
    );
    saveTokenizer(code, codeDir);
  }
  if (existsSync(resolve(textDir, 'tokenizer.json'))) {
    text = asWordPiece(loadTokenizer(textDir), textDir);
  } else if (config.tokenizer.text.files) {
    text = WordPieceTokenizer.fromVocabTxt(
      readFileSync(resolve(configDir, config.tokenizer.text.files.vocab), 'utf8'),
      {
        doLowerCase: config.tokenizer.text.lowercase,
      },
    );
    saveTokenizer(text, textDir);
  } else {
    const corpus = train.flatMap((p) => STATEMENT_FIELD_ORDER.map((f) => p.fields[f]));
    const t0 = Date.now();
    text = trainWordPiece(corpus, {
      vocabSize: config.tokenizer.text.vocabSize,
      doLowerCase: config.tokenizer.text.lowercase,
    });
    log(
      `text tokenizer: WordPiece, ${text.vocabSize} ids, trained on ${corpus.length} fields in ${Date.now() - t0} ms`,
    );
    saveTokenizer(text, textDir);
  }
  return { code, text };
}

export interface SampleRef {
  sample: EncodedSample;
  problem: Problem;
  /** Index of the slow solution in `problem.solutions`. */
  solutionIndex: number;
}

/**
 * One sample per (problem, slow solution): the five fields, the slow code (IC) and the problem's
 * fast code (EC), truncated to the model's limits.
 */
export function encodeSamples(problems: Problem[], tok: Tokenizers, config: ExperimentConfig): SampleRef[] {
  const m = config.model;
  const out: SampleRef[] = [];
  for (const p of problems) {
    const fields = STATEMENT_FIELD_ORDER.map((f, i) =>
      tok.text.encode(p.fields[f], { addSpecialTokens: true, maxLength: m.expert.fieldLengths[i] }),
    );
    const statement = tok.text.encode(statementText(p), { addSpecialTokens: true, maxLength: m.statementMaxTokens });
    const statementCode = tok.code.encode(statementText(p), {
      maxLength: m.statementMaxTokens,
      splitSpecialTokens: false,
    });
    const fast = fastSolution(p).code;
    p.solutions.forEach((s, solutionIndex) => {
      if (s.role !== 'slow') return;
      const code = modelCode(config, s.code, fast);
      const ic = tok.code.encode(code.ic, { maxLength: m.icMaxTokens, splitSpecialTokens: false });
      // [start] + ec + [eos] must fit in ecMaxTokens.
      const ec = tok.code.encode(code.ec ?? fast, {
        maxLength: Math.max(1, m.ecMaxTokens - 2),
        splitSpecialTokens: false,
      });
      out.push({
        sample: { id: `${p.id}#${solutionIndex}`, problemId: p.id, fields, statement, statementCode, ic, ec },
        problem: p,
        solutionIndex,
      });
    });
  }
  return out;
}
