import { describe, expect, it } from 'vitest';
import { canonicalJson, flattenConfig } from './canonical.js';
import { canonicalHash, defaultConfig, loadConfigDetailed, resolveConfig } from './load-config.js';
import { FIXTURES } from './test-helpers.js';

const opts = { cwd: FIXTURES };

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('rejects numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow('cannot encode the number NaN');
  });
});

describe('canonicalHash: the run identity', () => {
  it('is a SHA-256 that does not depend on key order', () => {
    const h1 = canonicalHash({ training: { batchSize: 2, epochs: 3 }, model: { crossAttentionHeads: 8 } });
    const h2 = canonicalHash({ model: { crossAttentionHeads: 8 }, training: { epochs: 3, batchSize: 2 } });
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(h1).toBe(h2);
  });

  it('applies defaults first: writing a default out changes nothing, changing it does', () => {
    expect(canonicalHash({})).toBe(canonicalHash(defaultConfig()));
    expect(canonicalHash({ training: { epochs: 15 } })).toBe(canonicalHash({}));
    expect(canonicalHash({ training: { epochs: 14 } })).not.toBe(canonicalHash({}));
    expect(canonicalHash({ experiment: { seed: 1 } })).not.toBe(canonicalHash({ experiment: { seed: 2 } }));
  });

  it('ignores labels and the tracker: name, description, tags, tracking', () => {
    const base = canonicalHash({ experiment: { seed: 3 } });
    expect(
      canonicalHash({
        experiment: { seed: 3, name: 'x', description: 'y', tags: ['t'] },
        tracking: { uri: 'http://127.0.0.1:5000' },
      }),
    ).toBe(base);
  });

  it('one file or a base + overlay split, with other key orders and number spellings: same hash', () => {
    const whole = loadConfigDetailed('split/whole.yaml', opts);
    const split = loadConfigDetailed('split/overlay.yaml', opts);
    expect(split.files).toHaveLength(2);
    expect(split.hash).toBe(whole.hash);
    expect(split.hash).toBe(canonicalHash(whole.config));
    expect(resolveConfig(whole.config)).toEqual(whole.config);
  });

  it('is stable across releases for the same config (pinned value)', () => {
    // If this changes, every stored run identity changes: only on purpose (schema change).
    expect(canonicalHash({ model: { crossAttentionHeads: 8 } })).toBe(
      canonicalHash({ model: { crossAttentionHeads: 8 } }),
    );
    expect(canonicalHash({})).toBe(PINNED_DEFAULT_HASH);
  });
});

describe('flattenConfig', () => {
  it('gives dotted keys, sorted, with string values (lists as JSON)', () => {
    const flat = flattenConfig(defaultConfig());
    const keys = Object.keys(flat);
    expect(keys).toEqual([...keys].sort());
    expect(flat['model.expert.hidden']).toBe('128');
    expect(flat['model.codeDecoder.attentionPattern']).toBe('["global","local"]');
    expect(flat['training.optimizer.lr']).toBe('0.00002');
    expect(flat['backend']).toBe('auto');
    expect(flat['data.useSourceSplit']).toBe('false');
    expect(flat['experiment.tags']).toBe('[]');
    expect(keys.every((k) => typeof flat[k] === 'string')).toBe(true);
    expect(flat).not.toHaveProperty('training.maxSteps');
  });
});

const PINNED_DEFAULT_HASH = 'c53bcbd55d0c4b7bc3c848158db25cceffcd49143bd3dce7441e74512e5553db';
