import { fileURLToPath } from 'node:url';
import type { ExperimentConfig } from '@ecode/config';
import { createModel, initBackend, readCheckpointFile, type ModelSpec } from '@ecode/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPretrained } from './model-spec.js';

const FIX = fileURLToPath(new URL('../../../libs/model/fixtures/', import.meta.url));

beforeAll(async () => {
  await initBackend('cpu', () => {});
});

describe('loadPretrained', () => {
  it('loads a pytorch_model.bin BERT into every expert and a GPT-Neo into every code stack', async () => {
    // The sizes of the parity fixtures (libs/model/fixtures/hf-parity/meta.json).
    const spec: ModelSpec = {
      variant: 'e-code',
      textVocabSize: 200,
      codeVocabSize: 300,
      special: { pad: 0, start: 102, eos: 299 },
      textPad: 0,
      expert: { hiddenSize: 32, numLayers: 2, numHeads: 2, intermediateSize: 64, maxPositions: 64 },
      fieldMaxTokens: [64, 64, 64, 64, 64],
      integration: { hiddenSize: 32, numLayers: 2, numHeads: 2, intermediateSize: 64, maxPositions: 256 },
      decoder: { hiddenSize: 48, numLayers: 4, numHeads: 4, intermediateSize: 96, maxPositions: 256, windowSize: 8 },
      crossAttentionHeads: 4,
      mlpActivation: 'none',
      maxIcTokens: 256,
      maxStatementCodeTokens: 64,
      dropout: { bert: 0, decoder: 0, crossAttention: 0 },
      seed: 1,
    };
    const model = createModel(spec);
    const config = {
      model: { init: { kind: 'pretrained', bert: 'hf-parity-bin/bert.bin', gptNeo: 'hf-parity/gpt_neo.safetensors' } },
    } as unknown as ExperimentConfig;
    try {
      const lines = loadPretrained(model, config, FIX);
      expect(lines.map((l) => l.replace(/ from .*? \(/, ' ('))).toEqual([
        'BERT -> TitleLayer: 37 tensors (1 unused)',
        'BERT -> ProblemDescriptionBodyLayer: 37 tensors (1 unused)',
        'BERT -> InputDescriptionLayer: 37 tensors (1 unused)',
        'BERT -> OutputDescriptionLayer: 37 tensors (1 unused)',
        'BERT -> IOSampleTestingAndNoteDescriptionLayer: 37 tensors (1 unused)',
        'GPT-Neo -> ICLayer: 56 tensors (5 unused)',
        'GPT-Neo -> ECLayer: 56 tensors (5 unused)',
        'GPT-Neo -> FinalOutputLayer: 56 tensors (5 unused)',
      ]);
      const bin = readCheckpointFile(`${FIX}hf-parity-bin/bert.bin`);
      const q = bin.tensors.get('encoder.layer.1.attention.self.query.weight')!.data;
      expect(
        await model.variables.get('OutputDescriptionLayer.encoder.layer.1.attention.self.query.weight')!.data(),
      ).toEqual(q);
    } finally {
      model.dispose();
    }
  });
});
