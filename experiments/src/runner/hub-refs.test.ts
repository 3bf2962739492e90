import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@ecode/config';
import { writeSynthetic } from '@ecode/data';
import { startStubHub } from '@ecode/hub';
import { describe, expect, it } from 'vitest';
import { runExperiment } from './run-experiment.js';

const C = 'c'.repeat(40);
const VOCAB =
  ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'a', 'of', 'input', 'output', '##s'].join('\n') + '\n';

describe('a run with hf: ids', () => {
  it('reads the resolved files and records the commits in hub.json and MLflow params', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-hubrun-'));
    const data = join(dir, 'synthetic.jsonl');
    await writeSynthetic(data, { problems: 20, seed: 4, verify: false });
    const hub = await startStubHub({
      'org/bert': { refs: { main: C }, files: { 'vocab.txt': new TextEncoder().encode(VOCAB) } },
    });
    const saved = { e: process.env.HF_ENDPOINT, c: process.env.HF_HUB_CACHE, m: process.env.MLFLOW_TRACKING_URI };
    process.env.HF_ENDPOINT = hub.url;
    process.env.HF_HUB_CACHE = join(dir, 'hf');
    delete process.env.MLFLOW_TRACKING_URI;
    try {
      const config = resolveConfig({
        data: { source: 'jsonl', path: data, split: { train: 0.8, valid: 0.1, test: 0.1 }, heldOutFamilies: [] },
        tokenizer: { code: { vocabSize: 300 }, text: { files: { vocab: 'hf:org/bert' } } },
        tracking: { uri: `file:${join(dir, 'mlruns')}` },
      });
      const lines: string[] = [];
      const out = await runExperiment({
        config,
        hash: 'h'.repeat(16),
        name: 'hub',
        variant: 'e-code',
        runsDir: join(dir, 'runs'),
        until: 'data',
        log: (l) => lines.push(l),
        progress: false,
      });
      expect(lines).toContain(`hub: tokenizer.text.files.vocab = hf:org/bert -> org/bert@${C} vocab.txt`);
      const recorded = JSON.parse(readFileSync(join(out.paths.root, 'hub.json'), 'utf8'));
      expect(recorded.refs).toEqual([
        {
          key: 'tokenizer.text.files.vocab',
          id: 'hf:org/bert',
          repo: 'org/bert',
          revision: 'main',
          commit: C,
          file: 'vocab.txt',
          path: join(dir, 'hf', 'models--org--bert', 'snapshots', C, 'vocab.txt'),
        },
      ]);
      // The run folder's config is the config as written (its identity), not the resolved paths.
      expect(JSON.parse(readFileSync(out.paths.config, 'utf8')).tokenizer.text.files.vocab).toBe('hf:org/bert');
      // The text tokenizer is the Hub's vocabulary.
      expect(readFileSync(join(out.paths.tokenizers, 'text', 'vocab.txt'), 'utf8')).toBe(VOCAB);
      const exp = readdirSync(join(dir, 'mlruns')).find((e) => /^\d+$/.test(e) && e !== '0')!;
      const params = join(dir, 'mlruns', exp, out.status.mlflowRunId!, 'params');
      expect(readFileSync(join(params, 'hub.tokenizer.text.files.vocab.commit'), 'utf8')).toBe(C);
      expect(existsSync(join(params, 'hub.tokenizer.text.files.vocab.file'))).toBe(true);
    } finally {
      await hub.close();
      process.env.HF_ENDPOINT = saved.e;
      process.env.HF_HUB_CACHE = saved.c;
      if (saved.m !== undefined) process.env.MLFLOW_TRACKING_URI = saved.m;
      if (saved.e === undefined) delete process.env.HF_ENDPOINT;
      if (saved.c === undefined) delete process.env.HF_HUB_CACHE;
    }
  });
});
