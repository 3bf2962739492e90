/**
 * Checkpoints as safetensors with Hugging Face tensor names. `saveWeights` writes every variable
 * (float32, bit-exact) plus the spec in the metadata; `loadWeights` assigns tensors by name, with an
 * optional prefix mapping so that a HF GPT-Neo or BERT file loads into one sub-module, e.g.
 * `{ 'transformer.': 'ICLayer.' }` or `{ '': 'TitleLayer.', 'bert.': 'TitleLayer.' }`.
 */
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { readCheckpointFile } from './checkpoint-file.js';
import { mapName } from './pretrained.js';
import { SafeTensorsFile, TensorToWrite, writeSafetensors } from './safetensors.js';

export const SPEC_METADATA_KEY = 'ecode.model_spec';

/** Reads all variables (asynchronously: works on webgpu too). */
export async function variablesToTensors(variables: Map<string, tf.Variable>): Promise<Map<string, TensorToWrite>> {
  const out = new Map<string, TensorToWrite>();
  for (const [name, v] of variables) out.set(name, { shape: v.shape.slice(), data: (await v.data()) as Float32Array });
  return out;
}

/** Serialises variables (and optional spec / extra metadata) as safetensors bytes. */
export async function saveWeights(
  variables: Map<string, tf.Variable>,
  opts: { spec?: unknown; metadata?: Record<string, string>; path?: string } = {},
): Promise<Uint8Array> {
  const meta: Record<string, string> = { format: 'pt', ...(opts.metadata ?? {}) };
  if (opts.spec !== undefined) meta[SPEC_METADATA_KEY] = JSON.stringify(opts.spec);
  const bytes = writeSafetensors(await variablesToTensors(variables), meta);
  if (opts.path) await writeFile(opts.path, bytes);
  return bytes;
}

export interface LoadOptions {
  /** Source-name prefix -> target-name prefix; a source name matching no prefix is kept as is
   * when `''` is absent. Longest matching prefix wins. */
  prefixMap?: Record<string, string>;
  /** Throw when a model variable gets no tensor (default false: reported in `missing`). */
  requireAll?: boolean;
  /** Source names to skip silently (inputs, expected outputs, buffers), by prefix. */
  ignorePrefixes?: string[];
}

export interface LoadReport {
  loaded: string[];
  /** Model variables that received nothing. */
  missing: string[];
  /** Source tensors that matched no variable. */
  unexpected: string[];
}

/** Assigns tensors of a parsed safetensors file to variables by (mapped) name. */
export function loadWeights(
  variables: Map<string, tf.Variable>,
  file: SafeTensorsFile,
  opts: LoadOptions = {},
  source = '<safetensors>',
): LoadReport {
  const loaded = new Set<string>();
  const unexpected: string[] = [];
  for (const [name, t] of file.tensors) {
    if (opts.ignorePrefixes?.some((p) => name.startsWith(p))) continue;
    const target = mapName(name, opts.prefixMap);
    const v = variables.get(target);
    if (!v) {
      unexpected.push(name);
      continue;
    }
    if (v.shape.length !== t.shape.length || v.shape.some((d, i) => d !== t.shape[i])) {
      throw new Error(
        `loadWeights ${source}: tensor '${name}' has shape [${t.shape}] but variable '${target}' is [${v.shape}]`,
      );
    }
    const value = tf.tensor(t.data instanceof Float32Array ? t.data : Float32Array.from(t.data), t.shape, 'float32');
    v.assign(value);
    value.dispose();
    loaded.add(target);
  }
  const missing = [...variables.keys()].filter((n) => !loaded.has(n));
  if (opts.requireAll && missing.length)
    throw new Error(
      `loadWeights ${source}: ${missing.length} variables got no tensor, e.g. ${missing.slice(0, 5).join(', ')}`,
    );
  return { loaded: [...loaded], missing, unexpected };
}

/** Reads a checkpoint file (safetensors or pytorch_model.bin) from disk and loads it (see `loadWeights`). */
export async function loadWeightsFile(
  variables: Map<string, tf.Variable>,
  path: string,
  opts: LoadOptions = {},
): Promise<LoadReport> {
  return loadWeights(variables, readCheckpointFile(path), opts, path);
}

/** The spec stored in a checkpoint's metadata, if any. */
export function specFromMetadata(file: SafeTensorsFile): unknown | undefined {
  const s = file.metadata[SPEC_METADATA_KEY];
  return s === undefined ? undefined : JSON.parse(s);
}
