import { describe, expect, it } from 'vitest';
import { expandFileArgs } from './file-glob.js';
import { FIXTURES } from './test-helpers.js';

describe('expandFileArgs', () => {
  it('expands ** and * to sorted files; plain arguments pass through', () => {
    const r = expandFileArgs(['**/cycle-*.yaml', 'sweep/s*.yaml', 'not/globbed.yaml'], FIXTURES);
    expect(r).toEqual({
      files: ['chain/cycle-a.yaml', 'chain/cycle-b.yaml', 'sweep/sweep.yaml', 'not/globbed.yaml'],
      unmatched: [],
    });
  });
  it('** matches zero or more folders', () => {
    const r = expandFileArgs(['split/**/*.yaml'], FIXTURES);
    expect(r.files).toEqual(['split/base.yaml', 'split/overlay.yaml', 'split/whole.yaml']);
  });
  it('reports patterns that match nothing', () => {
    expect(expandFileArgs(['**/*.json'], FIXTURES)).toEqual({ files: [], unmatched: ['**/*.json'] });
  });
});
