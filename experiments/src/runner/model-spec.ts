/** The model section of an experiment config, with the tokenizers' vocabularies, as a ModelSpec. */
import { resolve } from 'node:path';
import type { ExperimentConfig } from '@ecode/config';
import {
  loadWeights,
  pretrainedTargets,
  readCheckpointFile,
  type ModelSpec,
  type CodeRewritingModel,
} from '@ecode/model';

/** What a spec needs of the tokenizers (`Tokenizers` has it). */
export interface TokenizerIds {
  text: { vocabSize: number; padId: number };
  code: { vocabSize: number; padId: number; startId: number; eosId: number };
}

/**
 * The one mapping from the config's model keys (short, for YAML) to `ModelSpec`'s (Hugging Face
 * config names, which the blocks' configs use too). Renaming config keys would change every run
 * hash, so the two vocabularies stay and this function is where they meet:
 *
 * | config `model.`                      | `ModelSpec`                                          |
 * | ------------------------------------ | ---------------------------------------------------- |
 * | `hidden` / `layers` / `heads`        | `hiddenSize` / `numLayers` / `numHeads`              |
 * | `intermediate` / `window`            | `intermediateSize` / `windowSize`                    |
 * | `expert.*`, `codeDecoder.*`          | `expert`, `decoder` (the ICLayer/ECLayer/FinalOutputLayer stacks) |
 * | `integration.*` (hidden = `expert.hidden`) | `integration`                                  |
 * | `expert.fieldLengths`                | `fieldMaxTokens`                                     |
 * | `icMaxTokens`                        | `maxIcTokens`                                        |
 * | `statementMaxTokens`                 | `maxStatementCodeTokens` (and the WordPiece cut of `statement`, tokenize-stage.ts) |
 * | `enlargeActivation`                  | `mlpActivation` (MlpEnlarge)                         |
 * | `crossAttentionHeads`, `variant`     | the same                                             |
 */
export function modelSpecFromConfig(config: ExperimentConfig, tok: TokenizerIds): ModelSpec {
  const m = config.model;
  return {
    variant: m.variant,
    textVocabSize: tok.text.vocabSize,
    codeVocabSize: tok.code.vocabSize,
    special: { pad: tok.code.padId, start: tok.code.startId, eos: tok.code.eosId },
    textPad: tok.text.padId,
    expert: {
      hiddenSize: m.expert.hidden,
      numLayers: m.expert.layers,
      numHeads: m.expert.heads,
      intermediateSize: m.expert.intermediate,
      maxPositions: m.expert.maxPositions,
    },
    fieldMaxTokens: [...m.expert.fieldLengths],
    integration: {
      hiddenSize: m.expert.hidden,
      numLayers: m.integration.layers,
      numHeads: m.integration.heads,
      intermediateSize: m.integration.intermediate,
      maxPositions: m.integration.maxPositions,
    },
    decoder: {
      hiddenSize: m.codeDecoder.hidden,
      numLayers: m.codeDecoder.layers,
      numHeads: m.codeDecoder.heads,
      intermediateSize: m.codeDecoder.intermediate,
      maxPositions: m.codeDecoder.maxPositions,
      windowSize: m.codeDecoder.window,
    },
    crossAttentionHeads: m.crossAttentionHeads,
    mlpActivation: m.enlargeActivation,
    maxIcTokens: m.icMaxTokens,
    maxStatementCodeTokens: m.statementMaxTokens,
    // As the original: BERT dropout from the config (HF default 0.1); GPT-Neo-125M's and
    // nn.MultiheadAttention's defaults are 0.
    dropout: { bert: m.dropout, decoder: 0, crossAttention: 0 },
    seed: config.experiment.seed,
  };
}

/**
 * `model.init.kind: pretrained`: a Hugging Face BERT checkpoint goes into every expert, a GPT-Neo
 * checkpoint into every code stack (the paper's initialisation). Returns one line per load.
 */
export function loadPretrained(model: CodeRewritingModel, config: ExperimentConfig, configDir: string): string[] {
  const init = config.model.init;
  if (init.kind !== 'pretrained') return [];
  const lines: string[] = [];
  const load = (path: string, kind: 'bert' | 'gpt-neo') => {
    const abs = resolve(configDir, path);
    const file = readCheckpointFile(abs);
    for (const { target, prefixMap } of pretrainedTargets(model.variant, kind)) {
      const report = loadWeights(model.variables, file, { prefixMap }, abs);
      const what = `${kind === 'bert' ? 'BERT' : 'GPT-Neo'} -> ${target === 'transformer' ? 'baseline' : target}`;
      lines.push(`${what}: ${report.loaded.length} tensors from ${abs} (${report.unexpected.length} unused)`);
    }
  };
  if (init.bert) load(init.bert, 'bert');
  if (init.gptNeo) load(init.gptNeo, 'gpt-neo');
  if (lines.length === 0)
    throw new Error('model.init: kind is pretrained but neither init.bert nor init.gptNeo is set');
  return lines;
}
