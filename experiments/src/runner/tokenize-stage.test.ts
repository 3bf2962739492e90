/**
 * Identifier abstraction and edit targets in the tokenize stage: what the model reads and writes,
 * and how its program is rebuilt.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@ecode/config';
import { abstractIdentifiers, makeCorpusInstance, restoreIdentifiers, type Problem } from '@ecode/data';
import { describe, expect, it } from 'vitest';
import { encodeSamples, modelCode, prepareTokenizers, programFromOutput } from './tokenize-stage.js';

function problem(i: number): Problem {
  const inst = makeCorpusInstance(3, i).instance;
  const f = (t: string) => `${t} ${inst.title}`;
  return {
    id: `p${i}`,
    source: 'synthetic',
    split: 'train',
    title: inst.title,
    difficulty: inst.difficulty,
    fields: { titleDifficulty: f('T'), body: inst.body, inputSpec: f('I'), outputSpec: f('O'), samplesNote: f('N') },
    tests: [...inst.samples, inst.medium],
    solutions: [
      { role: 'fast', variant: 'fast', code: inst.fast.code },
      { role: 'slow', variant: 'slow', code: inst.slow[0].code },
    ],
  } as Problem;
}

const config = (identifiers?: 'keep' | 'abstract', target?: 'program' | 'edit') =>
  resolveConfig({
    tokenizer: {
      code: { vocabSize: 400, ...(identifiers ? { identifiers } : {}), ...(target ? { target } : {}) },
      text: { vocabSize: 200 },
    },
    model: { ecMaxTokens: 1024, icMaxTokens: 1024 },
  });

describe('tokenizer.code.identifiers', () => {
  const problems = [0, 1, 2, 3, 4, 5].map(problem);

  it('abstract: the model reads the slow code and learns the fast code with numbered names, and its program gets them back', () => {
    const cfg = config('abstract');
    const tok = prepareTokenizers(cfg, problems, mkdtempSync(join(tmpdir(), 'ecode-tok-')));
    const [ref] = encodeSamples(problems.slice(0, 1), tok, cfg);
    const slow = problems[0].solutions[1].code;
    const fast = problems[0].solutions[0].code;
    const code = modelCode(cfg, slow, fast);
    expect(tok.code.decode(ref.sample.ic)).toBe(code.ic);
    expect(tok.code.decode(ref.sample.ec)).toBe(code.ec);
    expect(code.ic).toMatch(/\bv0\b/);
    expect(code.names.length).toBeGreaterThan(2);
    for (const n of code.names) expect(code.ic).not.toMatch(new RegExp(`\\b${n}\\b(?!')`));
    // a model that wrote the abstracted fast code exactly gets the slow code's names back; a name
    // only the fast code has stays a placeholder (the model cannot know it)
    const written = tok.code.decode(ref.sample.ec);
    const all = abstractIdentifiers(fast, code.names).names;
    const renamedNew = all
      .slice(code.names.length)
      .reduce((c, n, k) => c.replace(new RegExp(`\\b${n}\\b`, 'g'), `v${code.names.length + k}`), fast);
    expect(restoreIdentifiers(written, code.names)).toBe(renamedNew);
    expect(restoreIdentifiers(written, all)).toBe(fast);
  });

  it('keep (and absent): the model sees the code as written; the config hash of an absent key is unchanged', () => {
    const cfg = config();
    expect(cfg.tokenizer.code.identifiers).toBeUndefined();
    const slow = problems[0].solutions[1].code;
    expect(modelCode(cfg, slow, 'x = 1\n')).toEqual({ ic: slow, ec: 'x = 1\n', names: [] });
    expect(modelCode(config('keep'), slow).ic).toBe(slow);
  });
});

describe('tokenizer.code.target', () => {
  const problems = [0, 1, 2, 3, 4, 5].map(problem);

  it('edit: the model learns the edit from the slow code to the fast one; applying what it writes gives the fast program', () => {
    for (const identifiers of ['keep', 'abstract'] as const) {
      const cfg = config(identifiers, 'edit');
      const tok = prepareTokenizers(cfg, problems, mkdtempSync(join(tmpdir(), 'ecode-tok-')));
      const refs = encodeSamples(problems, tok, cfg);
      for (const [i, ref] of refs.entries()) {
        const slow = problems[i].solutions[1].code;
        const fast = problems[i].solutions[0].code;
        const written = tok.code.decode(ref.sample.ec);
        expect(written).toMatch(/^@@\n-/);
        expect(written.length).toBeLessThan(fast.length);
        expect(tok.code.decode(ref.sample.ic)).toBe(modelCode(cfg, slow).ic);
        // names only the fast code has stay placeholders (the model cannot know them), so compare
        // with the fast code as the model sees it, names restored
        const expected =
          identifiers === 'abstract'
            ? restoreIdentifiers(abstractIdentifiers(fast, modelCode(cfg, slow).names).code, modelCode(cfg, slow).names)
            : fast;
        expect(programFromOutput(cfg, slow, written)).toEqual({ code: expected });
      }
    }
  });

  it('edit: a hunk whose copied lines are slightly off is placed at its near match, and counted', () => {
    const cfg = config('abstract', 'edit');
    const slow = 'xs = [1, 2]\ntotal = 0\nfor x in xs:\n    total += x\nprint(total)\n';
    // the model copied the loop header with a space too many
    const written = '@@\n-h0 = 0\n-for h1 in h2 :\n-    h0 += h1\n+h0 = sum(h2)\n';
    expect(programFromOutput(cfg, slow, written)).toEqual({
      code: 'xs = [1, 2]\ntotal = sum(xs)\nprint(total)\n',
      editNearMatches: 1,
    });
  });

  it('edit: an edit that does not fit the slow code is kept as written, with the reason', () => {
    const cfg = config('abstract', 'edit');
    const slow = problems[0].solutions[1].code;
    expect(programFromOutput(cfg, slow, '@@\n-no such line\n+x = 1\n')).toEqual({
      code: '@@\n-no such line\n+x = 1\n',
      editError: `hunk 1: its 1 '-' line(s) are not in the slow code (first: "no such line")`,
    });
  });

  it('program (and absent): the decoder writes the whole fast program', () => {
    const slow = problems[0].solutions[1].code;
    expect(config().tokenizer.code.target).toBeUndefined();
    expect(modelCode(config(undefined, 'program'), slow, 'x = 1\n').ec).toBe('x = 1\n');
    expect(programFromOutput(config(undefined, 'program'), slow, 'x = 1\n')).toEqual({ code: 'x = 1\n' });
  });
});
