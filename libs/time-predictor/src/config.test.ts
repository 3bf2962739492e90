import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadTimePredictorConfig, resolveTimePredictorConfig, TimePredictorConfigError } from './config.js';

describe('time-predictor config', () => {
  it('fills every default from the schema', () => {
    const c = resolveTimePredictorConfig({});
    expect(c.experiment).toEqual({ name: 'timedb', seed: 42 });
    expect(c.data.synthetic).toEqual({ problems: 200, seed: 1 });
    expect(c.data.split).toEqual({ mode: 'by-problem', seed: 7, valid: 0.1, test: 0.2 });
    expect(c.measurement.costMeasure).toBe('cpu-time');
    expect(c.model.hidden).toBe(64);
    expect(c.training.views).toEqual(['ori']);
    expect(c.tracking.enabled).toBe(true);
  });

  it('names the JSON path, what was found and what is allowed', () => {
    const bad = { model: { hiden: 3, layers: 0 }, measurement: { costMeasure: 'wall' } };
    let err: TimePredictorConfigError | undefined;
    try {
      resolveTimePredictorConfig(bad, 'x.yaml');
    } catch (e) {
      err = e as TimePredictorConfigError;
    }
    expect(err).toBeInstanceOf(TimePredictorConfigError);
    expect(err!.problems).toContain('/measurement/costMeasure: must be one of cpu-time, instructions, found "wall"');
    expect(err!.problems).toContain('/model/layers: must be >= 1, found 0');
    expect(err!.problems.find((p) => p.startsWith('/model/hiden: unknown key'))).toMatch(
      /allowed here: hidden, layers, heads/,
    );
    expect(err!.message).toMatch(/^x\.yaml: invalid time-predictor config/);
  });

  it('checks that heads divide hidden and that the split leaves training data', () => {
    expect(() => resolveTimePredictorConfig({ model: { hidden: 30, heads: 4 } })).toThrow(
      /\/model\/heads: 4 does not divide \/model\/hidden 30/,
    );
    expect(() => resolveTimePredictorConfig({ data: { split: { valid: 0.5, test: 0.5 } } })).toThrow(
      /valid \+ test must be < 1/,
    );
  });

  it('loads YAML from a file and reports unreadable or malformed files by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-config-'));
    const good = join(dir, 'a.yaml');
    writeFileSync(good, 'experiment: { name: t, seed: 3 }\ntraining: { views: [ori, randdel] }\n');
    const c = loadTimePredictorConfig(good);
    expect(c.experiment.seed).toBe(3);
    expect(c.training.views).toEqual(['ori', 'randdel']);
    const broken = join(dir, 'b.yaml');
    writeFileSync(broken, 'model: [1, 2\n');
    expect(() => loadTimePredictorConfig(broken)).toThrow(/b\.yaml.*not valid YAML/s);
    // An unknown tag is reported, not printed to stderr as a YAMLWarning and read as a string.
    const tagged = join(dir, 't.yaml');
    writeFileSync(tagged, 'experiment: { seed: !custom 3 }\n');
    const warn = vi.spyOn(process, 'emitWarning');
    expect(() => loadTimePredictorConfig(tagged)).toThrow(/t\.yaml.*not valid YAML: Unresolved tag: !custom/s);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(() => loadTimePredictorConfig(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml.*cannot read/s);
  });
});
