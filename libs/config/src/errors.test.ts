import { describe, expect, it } from 'vitest';
import { checkFile } from './check-file.js';
import { loadConfig } from './load-config.js';
import { ConfigError, formatProblems } from './problems.js';
import { FIXTURES } from './test-helpers.js';

const opts = { cwd: FIXTURES };
const report = (file: string) => formatProblems(checkFile(file, opts).problems);

describe('config error messages (exact text)', () => {
  it('lists every problem of a file at once: wrong types, unknown keys, enums, ranges, list lengths', () => {
    expect(report('errors/many.yaml')).toBe(
      [
        'errors/many.yaml:3:9: experiment.seed: found "six", expected an integer >= 0',
        'errors/many.yaml:4:1: modle: unknown key "modle" (did you mean "model"?); allowed keys: experiment, data, tokenizer, model, training, generation, evaluation, sandbox, tracking, backend',
        'errors/many.yaml:9:5: model.expert.hiden: unknown key "hiden" (did you mean "hidden"?); allowed keys: hidden, layers, heads, intermediate, maxPositions, fieldLengths',
        'errors/many.yaml:10:19: model.expert.fieldLengths: found a list [16,192,48], expected a list of exactly 5 items, each an integer >= 1',
        'errors/many.yaml:12:32: model.codeDecoder.attentionPattern[1]: found "lokal", expected one of: global, local',
        'errors/many.yaml:14:13: generation.strategy: found "beam", expected one of: greedy, sample',
        'errors/many.yaml:15:9: generation.topP: found 1.5, expected a number in (0, 1]',
        'errors/many.yaml:18:9: training.optimizer.lr: found 0, expected a number > 0',
        'errors/many.yaml:19:10: backend: found "tpu", expected one of: auto, wasm, webgpu, tensorflow, cpu',
      ].join('\n'),
    );
  });

  it('the thrown ConfigError carries the problems and says how many', () => {
    let err: ConfigError | undefined;
    try {
      loadConfig('errors/many.yaml', opts);
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toHaveLength(9);
    expect(err!.message.split('\n')[0]).toBe('invalid config: 9 problems');
    expect(err!.problems[1]).toMatchObject({ kind: 'unknown-key', path: 'modle', line: 4, column: 1, found: 'modle' });
    expect(err!.problems[5]).toMatchObject({
      kind: 'enum',
      path: 'generation.strategy',
      found: '"beam"',
      allowed: 'one of: greedy, sample',
    });
  });

  it('YAML syntax errors are located, and hide the structure errors next to them', () => {
    expect(report('errors/syntax.yaml')).toBe(
      [
        'errors/syntax.yaml:4:1: YAML syntax error: All mapping items must start at the same column',
        'errors/syntax.yaml:7:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ].join('\n'),
    );
    expect(report('errors/duplicate.yaml')).toBe(
      'errors/duplicate.yaml:3:3: YAML syntax error: Map keys must be unique',
    );
  });

  it('problems away from a syntax error are still reported with it', () => {
    expect(report('errors/syntax-and-schema.yaml')).toBe(
      [
        'errors/syntax-and-schema.yaml:4:1: YAML syntax error: All mapping items must start at the same column',
        'errors/syntax-and-schema.yaml:6:3: training.epochz: unknown key "epochz" (did you mean "epochs"?); allowed keys: optimizer, epochs, maxSteps, batchSize, gradientAccumulation, dataParallel, maxGradNorm, schedule, evalEvery, checkpointEvery, earlyStopping',
        'errors/syntax-and-schema.yaml:9:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ].join('\n'),
    );
  });

  it('a top level that is not a mapping', () => {
    expect(report('errors/list.yaml')).toBe(
      'errors/list.yaml:1:1: found a list ["experiment","model"] at the top level, expected a mapping of config sections',
    );
  });

  it('a value set in an extended file is reported in that file', () => {
    expect(report('errors/child-of-bad.yaml')).toBe(
      [
        'errors/base-bad.yaml:2:11: training.epochs: found -3, expected an integer >= 1',
        'errors/child-of-bad.yaml:3:14: training.batchSize: found "four", expected an integer >= 1',
      ].join('\n'),
    );
  });

  it('cross-field rules: divisibility, lengths that must fit, required companions', () => {
    expect(report('errors/constraints.yaml')).toBe(
      [
        'errors/constraints.yaml:2:11: data.source: found "gec" without data.path, expected data.path to name the GEC folder',
        'errors/constraints.yaml:3:10: data.split: found train + valid + test = 0.9, expected ratios that sum to 1',
        'errors/constraints.yaml:4:1: model.ecMaxTokens: found 768 (the default), expected at most model.codeDecoder.maxPositions (512)',
        'errors/constraints.yaml:5:33: model.expert.heads: found 3, expected a divisor of model.expert.hidden (128)',
        'errors/constraints.yaml:5:73: model.expert.fieldLengths[1]: found 100, expected at most model.expert.maxPositions (64)',
        'errors/constraints.yaml:7:24: model.crossAttentionHeads: found 48, expected a divisor of model.codeDecoder.hidden (256)',
        'errors/constraints.yaml:8:16: model.icMaxTokens: found 768, expected at most model.codeDecoder.maxPositions (512)',
        'errors/constraints.yaml:9:17: model.init.kind: found "pretrained" without model.init.bert or model.init.gptNeo, expected at least one checkpoint path',
        'errors/constraints.yaml:12:20: generation.samplesPerInput: found 4, expected 1 with strategy "greedy" (greedy decoding gives the same program every time)',
      ].join('\n'),
    );
  });

  it('a missing file', () => {
    expect(report('errors/none.yaml')).toBe('errors/none.yaml:1:1: cannot read errors/none.yaml: no such file');
  });
});
