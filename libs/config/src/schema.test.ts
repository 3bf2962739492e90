import { describe, expect, it } from 'vitest';
import type { Static } from '@sinclair/typebox';
import { ExperimentConfigSchema, experimentConfigJsonSchema, type ExperimentConfig } from './schema.js';
import { defaultConfig, resolveConfig } from './load-config.js';
import { ConfigError } from './problems.js';

type Json = Record<string, unknown>;

/** Every property path of the schema with its sub-schema and whether it is always present. */
function properties(schema: Json, prefix = '', present = true): [string, Json, boolean][] {
  const out: [string, Json, boolean][] = [];
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  for (const [k, s] of Object.entries(props)) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.push([p, s, present && required.has(k)]);
    if (s.type === 'object') out.push(...properties(s, p, present && required.has(k)));
  }
  return out;
}

describe('ExperimentConfigSchema', () => {
  it('has exactly the sections of issue 2', () => {
    expect(Object.keys(ExperimentConfigSchema.properties)).toEqual([
      'experiment',
      'data',
      'tokenizer',
      'model',
      'training',
      'generation',
      'evaluation',
      'sandbox',
      'tracking',
      'backend',
    ]);
  });

  it('documents every field, gives every required field a default, and closes every object', () => {
    const json = experimentConfigJsonSchema();
    const all = properties(json);
    expect(all.length).toBeGreaterThan(90);
    for (const [path, s, required] of all) {
      expect(typeof s.description, `description of ${path}`).toBe('string');
      if (required) expect(s.default, `default of ${path}`).not.toBeUndefined();
      if (s.type === 'object' && s.properties)
        expect(s.additionalProperties, `additionalProperties of ${path}`).toBe(false);
    }
  });

  it('the TypeScript type and the validated value agree (every schema path present in the defaults)', () => {
    const d: ExperimentConfig = defaultConfig();
    // Compile-time agreement: the Static type is the exported type.
    const same: Static<typeof ExperimentConfigSchema> = d;
    expect(same).toBe(d);
    for (const [path, , required] of properties(experimentConfigJsonSchema())) {
      const v = path.split('.').reduce<unknown>((o, k) => (o as Json | undefined)?.[k], d);
      if (required) expect(v, path).not.toBeUndefined();
    }
    const fl: [number, number, number, number, number] = d.model.expert.fieldLengths;
    expect(fl).toEqual([512, 512, 512, 512, 512]);
  });

  it('defaults are the original E-code settings', () => {
    const d = defaultConfig();
    expect(d.experiment.seed).toBe(666);
    expect(d.model.crossAttentionHeads).toBe(48);
    expect(d.model.enlargeActivation).toBe('none');
    expect(d.model.codeDecoder).toEqual({
      hidden: 768,
      layers: 12,
      heads: 12,
      intermediate: 3072,
      window: 256,
      attentionPattern: ['global', 'local'],
      maxPositions: 2048,
    });
    expect(d.training.optimizer).toEqual({ lr: 2e-5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect([d.training.batchSize, d.training.gradientAccumulation, d.training.epochs, d.training.maxGradNorm]).toEqual([
      1, 32, 15, 1,
    ]);
    expect([d.generation.temperature, d.generation.topK, d.generation.topP, d.generation.maxNewTokens]).toEqual([
      0.25, 3, 0.7, 748,
    ]);
    expect([d.data.maxEcTokens, d.data.maxIcTokens]).toEqual([766, 768]);
    expect(d.tracking.uri).toBe('file:./mlruns');
    expect(d.backend).toBe('auto');
    expect(d.training.maxSteps).toBeUndefined();
    expect(d.training.earlyStopping).toBeUndefined();
  });

  it('fills nested defaults around what is given and keeps optional blocks optional', () => {
    const c = resolveConfig({ model: { expert: { hidden: 64 } }, training: { earlyStopping: { patience: 2 } } });
    expect(c.model.expert).toEqual({
      hidden: 64,
      layers: 2,
      heads: 2,
      intermediate: 512,
      maxPositions: 512,
      fieldLengths: [512, 512, 512, 512, 512],
    });
    expect(c.training.earlyStopping).toEqual({ patience: 2, minDelta: 0 });
  });

  it('resolveConfig reports every problem of an object at once', () => {
    let err: unknown;
    try {
      resolveConfig({ backend: 'gpu', training: { epochs: 0, optimizer: { betas: [0.9] } } }, 'inline');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(
      [
        'invalid config: 3 problems',
        'inline:1:1: backend: found "gpu", expected one of: auto, wasm, webgpu, tensorflow, cpu',
        'inline:1:1: training.epochs: found 0, expected an integer >= 1',
        'inline:1:1: training.optimizer.betas: found a list [0.9], expected a list of exactly 2 items, each a number in [0, 1)',
      ].join('\n'),
    );
  });
});
