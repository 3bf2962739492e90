import { describe, expect, it } from 'vitest';
import { deepMerge, mergeLayers } from './merge.js';
import { loadConfigDetailed } from './load-config.js';
import { ConfigError, formatProblems } from './problems.js';
import { parseYamlSource } from './yaml-source.js';
import { checkFile } from './check-file.js';
import { FIXTURES } from './test-helpers.js';

const opts = { cwd: FIXTURES };

describe('deepMerge', () => {
  it('merges mappings key by key, later wins, arrays and scalars replace', () => {
    const a = { x: { y: 1, z: [1, 2, 3], w: { deep: true } }, keep: 'a' };
    const b = { x: { y: 2, z: [9] }, added: null };
    expect(deepMerge(a, b)).toEqual({ x: { y: 2, z: [9], w: { deep: true } }, keep: 'a', added: null });
    expect(a.x.z).toEqual([1, 2, 3]); // inputs untouched
  });
  it('a scalar replaces a mapping and a mapping replaces a scalar', () => {
    expect(deepMerge({ a: { b: 1 } }, { a: 5 })).toEqual({ a: 5 });
    expect(deepMerge({ a: 5 }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
});

describe('mergeLayers keeps source positions with the values', () => {
  it('an overridden value points at the later file; an untouched one at the earlier', () => {
    const a = parseYamlSource('model:\n  expert:\n    hidden: 64\n    layers: 3\n', 'a.yaml');
    const b = parseYamlSource('model: { expert: { hidden: 32 } }\n', 'b.yaml');
    const m = mergeLayers([a, b], { file: 'b.yaml', line: 1, column: 1 });
    expect(m.value).toEqual({ model: { expert: { hidden: 32, layers: 3 } } });
    expect(m.valueLocs.get('/model/expert/hidden')).toEqual({ file: 'b.yaml', line: 1, column: 28 });
    expect(m.valueLocs.get('/model/expert/layers')).toEqual({ file: 'a.yaml', line: 4, column: 13 });
  });
  it('a replaced list forgets the positions of the old items', () => {
    const a = parseYamlSource('l: [1, 2, 3]\n', 'a.yaml');
    const b = parseYamlSource('l:\n  - 7\n', 'b.yaml');
    const m = mergeLayers([a, b], { file: 'b.yaml', line: 1, column: 1 });
    expect(m.value).toEqual({ l: [7] });
    expect(m.valueLocs.get('/l/0')).toEqual({ file: 'b.yaml', line: 2, column: 5 });
    expect(m.valueLocs.has('/l/2')).toBe(false);
  });
});

describe('extends', () => {
  it('resolves a list in order (later wins), relative to the naming file, arrays replaced', () => {
    const r = loadConfigDetailed('chain/child.yaml', opts);
    // left.yaml then right.yaml then child.yaml; both extend root.yaml.
    expect(r.config.experiment.name).toBe('root'); // right's copy of root wins over left's "left"
    expect(r.config.experiment.tags).toEqual(['c']);
    expect(r.config.model.expert.heads).toBe(4); // from left, untouched by right
    expect(r.config.model.expert.fieldLengths).toEqual([1, 2, 3, 4, 5]); // root (via right) replaced left's list
    expect(r.config.model.expert.hidden).toBe(64);
    expect(r.config.training.optimizer.lr).toBe(0.5);
    expect(r.config.training.epochs).toBe(2);
    expect(r.config.training.batchSize).toBe(8);
    expect(r.files.map((f) => f.slice(FIXTURES.length))).toEqual([
      'chain/root.yaml',
      'chain/left.yaml',
      'chain/right.yaml',
      'chain/child.yaml',
    ]);
    expect(r.merged).not.toHaveProperty('extends');
  });

  it('a single extends path works, and the child overrides the parent', () => {
    const r = loadConfigDetailed('chain/left.yaml', opts);
    expect(r.config.experiment.name).toBe('left');
    expect(r.config.experiment.tags).toEqual(['a', 'b']);
    expect(r.config.model.expert.fieldLengths).toEqual([10, 20, 30, 40, 50]);
  });

  it('detects cycles and names the chain', () => {
    const r = checkFile('chain/cycle-a.yaml', opts);
    expect(formatProblems(r.problems)).toBe(
      'chain/cycle-b.yaml:1:22: extends: cycle: chain/cycle-a.yaml -> chain/cycle-b.yaml -> chain/cycle-a.yaml',
    );
  });

  it('a missing file is located at the extends entry that names it', () => {
    expect(() => loadConfigDetailed('chain/missing.yaml', opts)).toThrow(ConfigError);
    const r = checkFile('chain/missing.yaml', opts);
    expect(formatProblems(r.problems)).toBe('chain/missing.yaml:3:5: cannot read chain/nowhere.yaml: no such file');
  });
});
