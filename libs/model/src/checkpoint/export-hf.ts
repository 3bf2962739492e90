/**
 * Export to standard Hugging Face folders and back. For E-code (and No-expert): the root folder is
 * the whole model (`config.json` with `model_type: "ecode"` and the fields below, `model.safetensors`
 * under the original's tensor names, the tokenizers under `tokenizer/code` and `tokenizer/text`,
 * a model card), and each GPT-Neo stack (`ICLayer`, `ECLayer`, `FinalOutputLayer`) and each BERT
 * (`TitleLayer`, ..., `ExpertGroupIntegrationLayer`) is a standard `gpt_neo` / `bert` sub-folder
 * that transformers loads (`GPTNeoForCausalLM`, `BertModel`). For the GPT-Neo baseline the root
 * folder is itself a `gpt_neo` folder. `ecode_spec` in every root config.json lets `importHf` rebuild
 * the model.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { saveWeights, loadWeights, variablesToTensors } from './checkpoint.js';
import { createModel } from '../ecode/create-model.js';
import { EXPERT_NAMES } from '../ecode/ecode.js';
import { readSafetensors, writeSafetensors, type TensorToWrite } from './safetensors.js';
import type { BertSize, ModelSpec } from '../ecode/spec.js';
import type { CodeRewritingModel } from '../contracts.js';

/** `attention_types` as transformers writes it: [[pattern, repeats], ...]. */
function attentionTypes(layers: string[]): [string[], number][] {
  const out: [string[], number][] = [];
  const pairs = Math.floor(layers.length / 2);
  if (pairs) out.push([['global', 'local'], pairs]);
  if (layers.length % 2) out.push([['global'], 1]);
  return out;
}

/** config.json of one GPT-Neo stack of `spec` (the fields transformers' GPTNeoConfig writes). */
export function gptNeoHfConfig(spec: ModelSpec): Record<string, unknown> {
  const d = spec.decoder;
  const layers = Array.from({ length: d.numLayers }, (_, i) => (i % 2 === 0 ? 'global' : 'local'));
  return {
    architectures: ['GPTNeoForCausalLM'],
    model_type: 'gpt_neo',
    vocab_size: spec.codeVocabSize,
    max_position_embeddings: d.maxPositions,
    hidden_size: d.hiddenSize,
    num_layers: d.numLayers,
    attention_types: attentionTypes(layers),
    attention_layers: layers,
    num_heads: d.numHeads,
    intermediate_size: d.intermediateSize,
    window_size: d.windowSize,
    activation_function: 'gelu_new',
    resid_dropout: spec.dropout.decoder,
    embed_dropout: spec.dropout.decoder,
    attention_dropout: spec.dropout.decoder,
    classifier_dropout: 0.1,
    layer_norm_epsilon: 1e-5,
    initializer_range: 0.02,
    use_cache: true,
    bos_token_id: spec.special.eos,
    eos_token_id: spec.special.eos,
    tie_word_embeddings: true,
    torch_dtype: 'float32',
  };
}

/** config.json of one BERT of `spec` (transformers' BertConfig fields). */
export function bertHfConfig(spec: ModelSpec, size: BertSize): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: spec.textVocabSize,
    hidden_size: size.hiddenSize,
    num_hidden_layers: size.numLayers,
    num_attention_heads: size.numHeads,
    intermediate_size: size.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: spec.dropout.bert,
    attention_probs_dropout_prob: spec.dropout.bert,
    max_position_embeddings: size.maxPositions,
    type_vocab_size: 2,
    initializer_range: 0.02,
    layer_norm_eps: 1e-12,
    pad_token_id: spec.textPad,
    position_embedding_type: 'absolute',
    use_cache: true,
    torch_dtype: 'float32',
  };
}

/** The root config.json of an E-code export. */
export function ecodeHfConfig(spec: ModelSpec): Record<string, unknown> {
  return {
    architectures: ['ECodeModel'],
    model_type: 'ecode',
    ecode_variant: spec.variant,
    expert_modules: spec.variant === 'e-code' ? [...EXPERT_NAMES] : ['OpenedExpertGroupLayer'],
    text_vocab_size: spec.textVocabSize,
    code_vocab_size: spec.codeVocabSize,
    pad_token_id: spec.special.pad,
    decoder_start_token_id: spec.special.start,
    eos_token_id: spec.special.eos,
    cross_attention_heads: spec.crossAttentionHeads,
    mlp_activation: spec.mlpActivation,
    field_max_tokens: spec.fieldMaxTokens,
    max_ic_tokens: spec.maxIcTokens,
    ecode_spec: spec,
    torch_dtype: 'float32',
  };
}

export interface ExportInfo {
  /** Folders of the code and text tokenizers (files copied as they are). */
  tokenizers?: { code?: string; text?: string };
  /** For the model card. */
  runName?: string;
  configHash?: string;
  metrics?: Record<string, number>;
}

export interface ExportedFolder {
  dir: string;
  modelType: 'ecode' | 'gpt_neo' | 'bert';
  tensors: number;
}

function copyDir(from: string | undefined, to: string): void {
  if (!from || !existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (statSync(join(from, f)).isFile()) copyFileSync(join(from, f), join(to, f));
}

function writeJson(path: string, v: unknown): void {
  writeFileSync(path, JSON.stringify(v, null, 2) + '\n');
}

function modelCard(spec: ModelSpec, info: ExportInfo, what: string): string {
  const lines = [
    `# ${info.runName ?? 'ecode export'}`,
    '',
    `${what}, trained with ecode (a TypeScript reproduction of E-code, arXiv 2408.12948).`,
    '',
    `- variant: ${spec.variant}`,
    ...(info.configHash ? [`- config hash: ${info.configHash}`] : []),
    ...(info.runName ? [`- run: ${info.runName}`] : []),
  ];
  const m = Object.entries(info.metrics ?? {});
  if (m.length) lines.push('', '| metric | value |', '|---|---|', ...m.map(([k, v]) => `| ${k} | ${v} |`));
  return lines.join('\n') + '\n';
}

/** Tensors under `prefix` renamed to `to` + rest. */
function slice(all: Map<string, TensorToWrite>, prefix: string, to: string): Map<string, TensorToWrite> {
  const out = new Map<string, TensorToWrite>();
  for (const [n, t] of all) if (n.startsWith(prefix)) out.set(to + n.slice(prefix.length), t);
  return out;
}

/** Writes the folders described above; returns them. */
export async function exportHf(
  model: { variables: Map<string, tf.Variable> },
  spec: ModelSpec,
  outDir: string,
  info: ExportInfo = {},
): Promise<ExportedFolder[]> {
  mkdirSync(outDir, { recursive: true });
  const all = await variablesToTensors(model.variables);
  const out: ExportedFolder[] = [];
  const meta = { format: 'pt' };
  if (spec.variant === 'gpt-neo') {
    writeJson(join(outDir, 'config.json'), { ...gptNeoHfConfig(spec), ecode_spec: spec });
    await saveWeights(model.variables, { spec, path: join(outDir, 'model.safetensors') });
    copyDir(info.tokenizers?.code, outDir);
    writeFileSync(join(outDir, 'README.md'), modelCard(spec, info, 'The GPT-Neo baseline of E-code'));
    return [{ dir: outDir, modelType: 'gpt_neo', tensors: all.size }];
  }
  writeJson(join(outDir, 'config.json'), ecodeHfConfig(spec));
  await saveWeights(model.variables, { spec, path: join(outDir, 'model.safetensors') });
  copyDir(info.tokenizers?.code, join(outDir, 'tokenizer', 'code'));
  copyDir(info.tokenizers?.text, join(outDir, 'tokenizer', 'text'));
  writeFileSync(join(outDir, 'README.md'), modelCard(spec, info, `E-code (${spec.variant})`));
  out.push({ dir: outDir, modelType: 'ecode', tensors: all.size });
  for (const [name, prefix] of [
    ['ICLayer', 'ICLayer.'],
    ['ECLayer', 'ECLayer.'],
    ['FinalOutputLayer', 'FinalOutputLayer.transformer.'],
  ]) {
    const dir = join(outDir, name);
    mkdirSync(dir, { recursive: true });
    const t = slice(all, prefix, 'transformer.');
    writeJson(join(dir, 'config.json'), gptNeoHfConfig(spec));
    writeFileSync(join(dir, 'model.safetensors'), writeSafetensors(t, meta));
    copyDir(info.tokenizers?.code, dir);
    out.push({ dir, modelType: 'gpt_neo', tensors: t.size });
  }
  const berts: [string, BertSize][] =
    spec.variant === 'e-code'
      ? EXPERT_NAMES.map((n) => [n, spec.expert])
      : [['OpenedExpertGroupLayer', { ...spec.expert, maxPositions: spec.integration.maxPositions }]];
  berts.push(['ExpertGroupIntegrationLayer', spec.integration]);
  for (const [name, size] of berts) {
    const dir = join(outDir, name);
    mkdirSync(dir, { recursive: true });
    const t = slice(all, `${name}.`, '');
    writeJson(join(dir, 'config.json'), bertHfConfig(spec, size));
    writeFileSync(join(dir, 'model.safetensors'), writeSafetensors(t, meta));
    copyDir(info.tokenizers?.text, dir);
    out.push({ dir, modelType: 'bert', tensors: t.size });
  }
  return out;
}

/** Rebuilds a model from an `exportHf` root folder (every parameter must be there). */
export function importHf(dir: string): { model: CodeRewritingModel; spec: ModelSpec } {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { ecode_spec?: ModelSpec };
  if (!config.ecode_spec)
    throw new Error(`${dir}/config.json: no ecode_spec (not an ecode export; load sub-folders with transformers)`);
  const model = createModel(config.ecode_spec);
  const file = join(dir, 'model.safetensors');
  loadWeights(model.variables, readSafetensors(new Uint8Array(readFileSync(file)), file), { requireAll: true }, file);
  return { model, spec: config.ecode_spec };
}
