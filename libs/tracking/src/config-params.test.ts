import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configToParams, flattenConfig, logConfigParams, sanitizeKey } from './config-params.js';
import { FileStoreTracker } from './file-store.js';
import { TAG_TRUNCATED_PARAMS } from './tags.js';

describe('config params', () => {
  it('flattens nested config to dotted keys with text values', () => {
    expect(
      flattenConfig({
        model: { heads: 8, act: 'gelu', experts: [1, 2], extra: {} },
        train: { lr: 0.001, amp: false, note: null },
      }),
    ).toEqual({
      'model.heads': '8',
      'model.act': 'gelu',
      'model.experts': '[1,2]',
      'model.extra': '{}',
      'train.lr': '0.001',
      'train.amp': 'false',
      'train.note': 'null',
    });
  });

  it('makes keys MLflow accepts', () => {
    expect(sanitizeKey('a*b:c')).toBe('a_b_c');
    expect(sanitizeKey('../x/./y')).toBe('x/y');
    expect(sanitizeKey('k'.repeat(300))).toHaveLength(250);
  });

  it('cuts values over 6000 characters and tags them', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ecode-cfg-'));
    try {
      const tracker = new FileStoreTracker({ root: path.join(tmp, 'mlruns'), sourceTags: () => ({}) });
      const run = await tracker.startRun({ experimentId: await tracker.getOrCreateExperiment('c') });
      const config = { data: { prompt: 'x'.repeat(7000) }, seed: 3 };
      expect(configToParams(config).truncated).toEqual(['data.prompt']);
      await logConfigParams(run, config);
      const got = await tracker.getRun(run.runId);
      expect(got.data.params['data.prompt']).toHaveLength(6000);
      expect(got.data.params.seed).toBe('3');
      expect(got.data.tags[TAG_TRUNCATED_PARAMS]).toBe('data.prompt');
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});
