import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@ecode/config';
import { writeSynthetic } from '@ecode/data';
import { describe, expect, it, vi } from 'vitest';
import { runExperiment } from './run-experiment.js';

describe('runExperiment on an existing run folder', () => {
  it('resumes a run whose config.json names metrics by their old ids (rewritten with the ids); refuses another config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-oldrun-'));
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const data = join(dir, 'synthetic.jsonl');
      await writeSynthetic(data, { problems: 12, seed: 4, verify: false });
      const config = resolveConfig({
        data: { source: 'jsonl', path: data, split: { train: 0.8, valid: 0.1, test: 0.1 }, heldOutFamilies: [] },
        tokenizer: { code: { vocabSize: 300 }, text: { vocabSize: 300 } },
        evaluation: { metrics: ['allPassRate', 'speedup'] },
        tracking: { uri: `file:${join(dir, 'mlruns')}` },
      });
      const root = join(dir, 'runs', 'h'.repeat(16));
      mkdirSync(root, { recursive: true });
      // What the runner wrote before the ids were unified: the same config, kebab-case ids.
      const old = JSON.parse(JSON.stringify(config));
      old.evaluation.metrics = ['pass-all', 'speedup'];
      writeFileSync(join(root, 'config.json'), JSON.stringify(old, null, 2) + '\n');
      const request = {
        config,
        hash: 'h'.repeat(16),
        name: 'old',
        variant: 'e-code',
        runsDir: join(dir, 'runs'),
        until: 'data' as const,
        log: () => {},
        progress: false as const,
      };
      await runExperiment(request);
      expect(JSON.parse(readFileSync(join(root, 'config.json'), 'utf8')).evaluation.metrics).toEqual([
        'allPassRate',
        'speedup',
      ]);
      const other = resolveConfig({ ...JSON.parse(JSON.stringify(config)), evaluation: { metrics: ['speedup'] } });
      await expect(runExperiment({ ...request, config: other })).rejects.toThrow(
        `${join(root, 'config.json')}: holds a different config for hash ${'h'.repeat(16)}`,
      );
    } finally {
      warn.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
