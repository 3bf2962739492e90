import { describe, expect, it } from 'vitest';
import { drawFrom, expandGrid, parseGridArg, pointLabel, samplePoints } from './grid.js';
import { canonicalHash, loadConfig } from './load-config.js';
import { parseOverrides } from './overrides.js';
import { formatProblems } from './problems.js';
import { inspectSweepFile, loadSweep } from './sweep.js';
import { FIXTURES } from './test-helpers.js';

const opts = { cwd: FIXTURES };

describe('grid', () => {
  it('expands every combination, first key slowest', () => {
    expect(expandGrid({ a: [1, 2], b: ['x', 'y'] })).toEqual([
      [
        { key: 'a', value: 1 },
        { key: 'b', value: 'x' },
      ],
      [
        { key: 'a', value: 1 },
        { key: 'b', value: 'y' },
      ],
      [
        { key: 'a', value: 2 },
        { key: 'b', value: 'x' },
      ],
      [
        { key: 'a', value: 2 },
        { key: 'b', value: 'y' },
      ],
    ]);
    expect(expandGrid({})).toEqual([[]]);
  });

  it('a 2 x 2 grid x 2 seeds is 8 runs with 8 distinct hashes, named by their point', () => {
    const s = loadSweep('grid/grid.yaml', opts);
    expect(s.gridKeys).toEqual(['training.optimizer.lr', 'model.crossAttentionHeads']);
    expect(s.runs.map((r) => r.name)).toEqual([
      'e-code-lr=0.001,crossAttentionHeads=4-s1',
      'e-code-lr=0.001,crossAttentionHeads=4-s2',
      'e-code-lr=0.001,crossAttentionHeads=8-s1',
      'e-code-lr=0.001,crossAttentionHeads=8-s2',
      'e-code-lr=5e-4,crossAttentionHeads=4-s1',
      'e-code-lr=5e-4,crossAttentionHeads=4-s2',
      'e-code-lr=5e-4,crossAttentionHeads=8-s1',
      'e-code-lr=5e-4,crossAttentionHeads=8-s2',
    ]);
    expect(new Set(s.runs.map((r) => r.hash)).size).toBe(8);
    const r = s.runs[6];
    expect(r.config.training.optimizer.lr).toBe(0.0005);
    expect(r.config.model.crossAttentionHeads).toBe(8);
    expect(r.config.training.maxSteps).toBe(5); // the sweep's overrides still apply
    expect(r.group).toBe('e-code-lr=5e-4,crossAttentionHeads=8');
    expect(r.config.experiment.tags).toContain('point=lr=5e-4,crossAttentionHeads=8');
    // a grid point hashes like the same values written in a config
    const same = loadConfig('sweep/base.yaml', opts);
    same.training.optimizer.lr = 5e-4;
    same.training.maxSteps = 5;
    same.experiment.seed = 1;
    expect(r.hash).toBe(canonicalHash(same));
  });

  it('--grid on the command line adds a key (or replaces the file’s), and overrides apply to every run', () => {
    const s = loadSweep('grid/grid.yaml', opts, {
      grid: [{ ...parseGridArg('model.crossAttentionHeads=2,4,8'), label: 'argument 4' }],
      overrides: parseOverrides(['training.maxSteps=3'], ['argument 5']),
    });
    expect(s.runs).toHaveLength(2 * 3 * 2);
    expect(s.runs.every((r) => r.config.training.maxSteps === 3)).toBe(true);
    expect(s.overrides).toEqual(['training.maxSteps=3']);
    expect(parseGridArg('model.expert.fieldLengths=[8,8],[16,16]').values).toEqual([
      [8, 8],
      [16, 16],
    ]);
    expect(() => parseGridArg('lr')).toThrow('--grid "lr": expected key.path=value1,value2,...');
  });

  it('a plain sweep is unchanged: same names and hashes as before grids existed', () => {
    const s = loadSweep('sweep/sweep.yaml', opts);
    expect(s.gridKeys).toEqual([]);
    expect(s.runs.map((r) => r.name)).toEqual([
      'e-code-s1',
      'e-code-s2',
      'relu-s1',
      'relu-s2',
      'heads-4-s1',
      'heads-4-s2',
    ]);
    expect(s.runs.every((r) => r.group === r.variant && r.point.length === 0)).toBe(true);
  });

  it('problems in a grid or sample point at the file line, and at the argument for --grid', () => {
    const { problems } = inspectSweepFile('grid/bad.yaml', opts);
    expect(formatProblems(problems)).toBe(
      'grid/bad.yaml:10:24: sample.parameters["training.maxSteps"]: found keys normal, expected one of { choice: [values...] }, { uniform: [lo, hi] }, { logUniform: [lo, hi] } (lo > 0), { intUniform: [lo, hi] } (integers)',
    );
    const r = inspectSweepFile('grid/grid.yaml', opts, {
      grid: [{ key: 'training.optimizer.lrr', values: [1, 2], label: 'argument 4' }],
    });
    expect(formatProblems(r.problems)).toMatch(
      /^argument 4: training\.optimizer\.lrr: unknown key "lrr" \(did you mean "lr"\?\)/,
    );
  });
});

describe('random search (sample)', () => {
  it('draws from each distribution within its bounds', () => {
    let i = 0;
    const seq = [0, 0.5, 0.999999];
    const rand = () => seq[i++ % 3];
    expect([0, 1, 2].map(() => drawFrom({ uniform: [2, 4] }, rand))).toEqual([2, 3, 4]);
    expect([0, 1, 2].map(() => drawFrom({ logUniform: [1e-4, 1e-2] }, rand))).toEqual([0.0001, 0.001, 0.00999995]);
    expect([0, 1, 2].map(() => drawFrom({ intUniform: [5, 7] }, rand))).toEqual([5, 6, 7]);
    expect([0, 1, 2].map(() => drawFrom({ choice: ['a', 'b'] }, rand))).toEqual(['a', 'b', 'b']);
  });

  it('is deterministic per seed, and another seed gives other points', () => {
    const spec = {
      points: 5,
      seed: 7,
      parameters: { lr: { logUniform: [1e-4, 1e-2] as [number, number] }, h: { choice: [2, 4, 8] } },
    };
    expect(samplePoints(spec)).toEqual(samplePoints(spec));
    expect(samplePoints({ ...spec, seed: 8 })).not.toEqual(samplePoints(spec));
    const a = loadSweep('grid/sample.yaml', opts);
    const b = loadSweep('grid/sample.yaml', opts);
    expect(a.runs).toHaveLength(4);
    expect(b.runs.map((r) => r.hash)).toEqual(a.runs.map((r) => r.hash));
    expect(a.gridKeys).toEqual([
      'training.optimizer.lr',
      'training.optimizer.weightDecay',
      'model.crossAttentionHeads',
      'training.maxSteps',
    ]);
    for (const r of a.runs) {
      expect(r.config.training.optimizer.lr).toBeGreaterThanOrEqual(1e-4);
      expect(r.config.training.optimizer.lr).toBeLessThanOrEqual(1e-2);
      expect([2, 4, 8]).toContain(r.config.model.crossAttentionHeads);
      expect(Number.isInteger(r.config.training.maxSteps)).toBe(true);
      expect(r.name).toBe(`e-code-${pointLabel(r.point)}-s1`);
    }
  });
});
