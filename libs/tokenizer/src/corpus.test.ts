import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticCorpus } from './corpus.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('syntheticCorpus', () => {
  it('is the same text as before it drew from the shared generator (main at f771e3a)', () => {
    expect(sha(syntheticCorpus({ bytes: 20_000, seed: 5 }))).toBe(
      'fe4cf2d7c3726f8fddc52148d8106a07ecb6e051acd9ab7fa744d4e747de908e',
    );
    expect(sha(syntheticCorpus({ bytes: 20_000, includeRegexEdgeCases: true }))).toBe(
      'f5b3a12ddf722c91cd50bfaf3ed2f28c9fa9a11b2e98ac07b9259351d7068b81',
    );
  });
});
