/** The train stage stamps the run's hash from its context into the model file (not parsed from a folder name). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@ecode/config';
import { readCheckpointFile, type EncodedSample } from '@ecode/model';
import { describe, expect, it } from 'vitest';
import { runPaths } from './run-paths.js';
import { trainStage } from './train-stage.js';
import type { Tokenizers } from './tokenize-stage.js';

describe('trainStage', () => {
  it('trains and writes model.safetensors carrying the context hash', async () => {
    const config = resolveConfig({
      backend: 'cpu',
      model: {
        expert: {
          hidden: 16,
          layers: 1,
          heads: 2,
          intermediate: 32,
          maxPositions: 16,
          fieldLengths: [16, 16, 16, 16, 16],
        },
        integration: { layers: 1, heads: 2, intermediate: 32, maxPositions: 80 },
        crossAttentionHeads: 2,
        ecMaxTokens: 32,
        icMaxTokens: 16,
        codeDecoder: { hidden: 16, layers: 1, heads: 2, intermediate: 32, window: 4, maxPositions: 32 },
      },
      training: { batchSize: 2, epochs: 1, maxSteps: 1, checkpointEvery: 0 },
    });
    // trainStage reads only the vocabulary sizes and special ids of the tokenizers.
    const tok = {
      text: { vocabSize: 40, padId: 0 },
      code: { vocabSize: 50, padId: 0, startId: 1, eosId: 2 },
    } as unknown as Tokenizers;
    const seq = (n: number, off: number) => Array.from({ length: n }, (_, j) => 3 + ((j * 7 + off) % 30));
    const samples: EncodedSample[] = [0, 1].map((i) => ({
      id: `s${i}`,
      problemId: `p${i}`,
      fields: [0, 1, 2, 3, 4].map((f) => seq(3 + f, i + f)),
      statement: seq(10, i),
      ic: seq(6 + i, i),
      ec: seq(4 + i, i + 1),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'ecode-train-stage-'));
    const paths = runPaths('folder-name-not-the-hash', dir);
    const out = await trainStage(
      {
        config,
        paths,
        hash: 'c0ffee',
        configDir: dir,
        log: () => undefined,
        signal: new AbortController().signal,
        progress: false,
      },
      tok,
      samples,
      [],
      async () => undefined,
    );
    expect(out.result.steps).toBe(1);
    expect(readCheckpointFile(paths.model).metadata.ecode_config_hash).toBe('c0ffee');
  }, 60_000);
});
