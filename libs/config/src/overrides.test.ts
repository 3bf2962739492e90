import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from './check-file.js';
import { canonicalHash, inspectConfigFile, loadConfigDetailed, resolveConfig } from './load-config.js';
import { isOverrideArg, parseOverride, parseOverrides } from './overrides.js';
import { formatProblems } from './problems.js';
import { FIXTURES } from './test-helpers.js';

const opts = { cwd: FIXTURES };
const CONFIGS = join(FIXTURES, '../../../configs');

/** Overrides numbered as they would be on `ecode run <config> ...` (argument 1 = run, 2 = the config). */
const args = (...a: string[]) =>
  parseOverrides(
    a,
    a.map((_, i) => `argument ${i + 3}`),
  );

describe('parseOverride', () => {
  it('parses values as YAML scalars and flow collections', () => {
    const v = (s: string) => parseOverride(`k=${s}`, 'argument 1').value;
    expect(v('5e-4')).toBe(0.0005);
    expect(v('8')).toBe(8);
    expect(v('true')).toBe(true);
    expect(v('null')).toBe(null);
    expect(v('sample')).toBe('sample');
    expect(v('"8"')).toBe('8');
    expect(v('[1, 2, 3]')).toEqual([1, 2, 3]);
    expect(v('{a: 1, b: [x]}')).toEqual({ a: 1, b: ['x'] });
    expect(v('')).toBe('');
  });

  it('knows +add and ~delete, and tells override words from file names', () => {
    expect(parseOverride('+evaluation.maxProblems=3', 'a')).toMatchObject({
      op: 'add',
      key: 'evaluation.maxProblems',
      value: 3,
    });
    expect(parseOverride('~data.heldOutFamilies', 'a')).toMatchObject({ op: 'delete', key: 'data.heldOutFamilies' });
    expect(isOverrideArg('training.optimizer.lr=1')).toBe(true);
    expect(isOverrideArg('~training.maxSteps')).toBe(true);
    expect(isOverrideArg('configs/presets/cpu.yaml')).toBe(false);
    expect(isOverrideArg('=3')).toBe(false);
  });

  it('names the argument when one is malformed', () => {
    expect(() => parseOverride('training..lr=1', 'argument 4')).toThrow(/^argument 4: "training..lr=1": found key/);
    expect(() => parseOverride('~a.b=3', 'argument 5')).toThrow(
      'argument 5: "~a.b=3": ~key deletes a key and takes no value',
    );
    expect(() => parseOverride('a=[1,', 'argument 6')).toThrow(/argument 6: "a=\[1,": the value is not a YAML/);
  });
});

describe('overrides on a config', () => {
  it('set values of any type at any depth; the last one wins', () => {
    const r = loadConfigDetailed(
      'sweep/base.yaml',
      opts,
      args(
        'training.optimizer.lr=5e-4',
        'model.crossAttentionHeads=4',
        'generation.strategy=sample',
        'generation.samplesPerInput=1',
        'data.heldOutFamilies=[]',
        'training.maxSteps=7',
        'training.maxSteps=9',
      ),
    );
    expect(r.config.training.optimizer.lr).toBe(0.0005);
    expect(r.config.model.crossAttentionHeads).toBe(4);
    expect(r.config.generation.strategy).toBe('sample');
    expect(r.config.data.heldOutFamilies).toEqual([]);
    expect(r.config.training.maxSteps).toBe(9);
    expect(r.config.model.codeDecoder.hidden).toBe(64); // the file's other values stay
    expect(r.overrides).toContain('training.optimizer.lr=5e-4');
  });

  it('hash exactly like the same values written in YAML (and 5e-4 like 0.0005)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-ovr-'));
    try {
      const file = join(dir, 'c.yaml');
      writeFileSync(
        file,
        'extends: ' +
          join(FIXTURES, 'sweep/base.yaml') +
          '\ntraining:\n  optimizer: { lr: 0.0005 }\nmodel: { crossAttentionHeads: 4 }\n',
      );
      const written = loadConfigDetailed(file).hash;
      const given = loadConfigDetailed(
        'sweep/base.yaml',
        opts,
        args('training.optimizer.lr=5e-4', 'model.crossAttentionHeads=4'),
      ).hash;
      expect(given).toBe(written);
      expect(given).not.toBe(loadConfigDetailed('sweep/base.yaml', opts).hash);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('configs without overrides keep the hashes they had before overrides existed', () => {
    // Computed with `ecode config show <file> --json` on main at 46e0499 (before this feature):
    // tiny is unchanged since. The cpu preset changed on purpose when it named its generator
    // (data.synthetic.generator: families) and the paper preset with its pinned Hub commits; their hashes are
    // those of the files as they are now, computed the same way. A schema change (a new field with
    // a default) changes these on purpose too: update them then.
    const before: Record<string, string> = {
      'presets/tiny.yaml': 'a625c9e2ad9849c877fa097ac553e39a54532c16311b35ab004d2699ba15dd03',
      'presets/cpu.yaml': 'd6dd27ab1f3e7f05a5f2d102c98d068f4a9e7182468ad0ec49cd091228167b7e',
      'presets/paper.yaml': 'fda6744c7cfe862354ec911e6a65cc186e72fbe82704d2d3c514975d262c3c62',
    };
    for (const [file, hash] of Object.entries(before)) {
      expect(loadConfigDetailed(join(CONFIGS, file)).hash).toBe(hash);
      expect(loadConfigDetailed(join(CONFIGS, file), {}, []).hash).toBe(hash);
    }
  });

  it('an unknown key names the argument, with a suggestion', () => {
    const { problems } = inspectConfigFile(
      'sweep/base.yaml',
      opts,
      args('training.maxSteps=3', 'training.optimizer.lrr=1e-3'),
    );
    expect(formatProblems(problems)).toMatch(
      /^argument 4: training\.optimizer\.lrr: unknown key "lrr" \(did you mean "lr"\?\); allowed keys: /,
    );
  });

  it('a wrong value names the argument and what is allowed', () => {
    const { problems } = inspectConfigFile(
      'sweep/base.yaml',
      opts,
      args('generation.strategy=beam', 'training.epochs=many'),
    );
    expect(formatProblems(problems).split('\n')).toEqual([
      'argument 3: generation.strategy: found "beam", expected one of: greedy, sample',
      'argument 4: training.epochs: found "many", expected an integer >= 1',
    ]);
  });

  it('cross-field rules see the overridden values (and blame the argument)', () => {
    const { problems } = inspectConfigFile('sweep/base.yaml', opts, args('model.crossAttentionHeads=7'));
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe('argument 3');
    expect(problems[0].path).toBe('model.crossAttentionHeads');
  });

  it('+key adds an optional key that is not set, and refuses one that is', () => {
    const added = loadConfigDetailed('sweep/base.yaml', opts, args('+evaluation.maxProblems=3'));
    expect(added.config.evaluation.maxProblems).toBe(3);
    const { problems } = inspectConfigFile(
      'sweep/base.yaml',
      opts,
      args('+training.maxSteps=3', '+model.crossAttentionHeads=2'),
    );
    expect(formatProblems(problems).split('\n')).toEqual([
      'argument 3: training.maxSteps: +training.maxSteps: already set (to 100); change it with training.maxSteps=<value>',
      'argument 4: model.crossAttentionHeads: +model.crossAttentionHeads: already set (to 8); change it with model.crossAttentionHeads=<value>',
    ]);
  });

  it('~key deletes a key: a default comes back; a missing key is an error naming the argument', () => {
    const dflt = resolveConfig({}).training.maxSteps;
    const r = loadConfigDetailed('sweep/base.yaml', opts, args('~training.maxSteps'));
    expect(r.config.training.maxSteps).toBe(dflt);
    expect(r.hash).toBe(canonicalHash({ model: { codeDecoder: { hidden: 64, heads: 4 }, crossAttentionHeads: 8 } }));
    const { problems } = inspectConfigFile('sweep/base.yaml', opts, args('~model.crossAttentionHead'));
    expect(formatProblems(problems)).toBe(
      'argument 3: model.crossAttentionHead: ~model.crossAttentionHead: no file sets this key, nothing to delete (did you mean model.crossAttentionHeads?)',
    );
  });

  it('a path through a value that is not a mapping is an error', () => {
    const { problems } = inspectConfigFile('sweep/base.yaml', opts, args('training.maxSteps.x=1'));
    expect(formatProblems(problems)).toBe(
      'argument 3: training.maxSteps.x: training.maxSteps is 100, not a mapping: cannot set training.maxSteps.x',
    );
  });

  it('apply to an in-memory (run folder) config too, and through checkFile', () => {
    expect(
      resolveConfig({ training: { maxSteps: 4 } }, 'config.json', args('training.maxSteps=6')).training.maxSteps,
    ).toBe(6);
    const c = checkFile('sweep/base.yaml', opts, args('training.maxSteps=6'));
    expect(c.kind === 'config' && c.resolved?.config.training.maxSteps).toBe(6);
  });
});
