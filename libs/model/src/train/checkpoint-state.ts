/**
 * Training checkpoints: weights (through a hook), the AdamW state, the step, the RNG state and the
 * data-order position, so a killed run resumes to the same final weights. Layout:
 *
 *   <root>/latest                  name of the newest complete checkpoint (replaced atomically)
 *   <root>/step-000120/model.safetensors   weights (or whatever the weights hook writes)
 *   <root>/step-000120/optimizer.safetensors
 *   <root>/step-000120/state.json
 *   <root>/best/                   weights at the best eval loss (when evaluating)
 *
 * Every checkpoint directory is written under a temporary name, synced, then renamed, and
 * `latest` is replaced by temp file + rename: a crash leaves the previous checkpoint intact.
 */
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { AdamW } from './optim-adamw.js';
import type { RngState } from '../rng.js';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../checkpoint/safetensors.js';
import { loadWeightsFile, saveWeights } from '../checkpoint/checkpoint.js';

export const TRAIN_STATE_FORMAT = 'ecode-train-state/1';

export interface TrainingState {
  format: typeof TRAIN_STATE_FORMAT;
  /** Optimizer steps completed. */
  step: number;
  /** Position of the next micro-batch: epoch and batch index inside that epoch's plan. */
  epoch: number;
  batchInEpoch: number;
  /** State of the run's RNG (dropout seeds). */
  rng: RngState;
  tokensSeen: number;
  bestEvalLoss: number | null;
  bestStep: number | null;
  evalsSinceBest: number;
  /** Settings that must not change across a resume (seed, batch size, data size, ...). */
  fingerprint: string;
}

export type WeightsHook = (dir: string) => Promise<void>;

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `data` to `path` through a synced temporary file and a rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export function checkpointName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

/**
 * Writes a complete checkpoint directory `<root>/<name>` atomically (temp dir + rename). `files`
 * writes the contents into the directory it is given.
 */
export async function writeDirAtomic(
  root: string,
  name: string,
  files: (dir: string) => Promise<void>,
): Promise<string> {
  await mkdir(root, { recursive: true });
  const final = join(root, name);
  const tmp = join(root, `.${name}.tmp-${process.pid}-${Date.now()}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  await files(tmp);
  for (const f of await readdir(tmp)) {
    const p = join(tmp, f);
    if ((await stat(p)).isFile()) await fsyncPath(p);
  }
  await fsyncPath(tmp);
  const old = join(root, `.${name}.old-${process.pid}-${Date.now()}`);
  let hadOld = false;
  try {
    await rename(final, old);
    hadOld = true;
  } catch {
    // no previous directory of that name
  }
  await rename(tmp, final);
  if (hadOld) await rm(old, { recursive: true, force: true });
  await fsyncPath(root);
  return final;
}

export async function saveOptimizerState(dir: string, optimizer: AdamW): Promise<void> {
  const state = optimizer.getState();
  try {
    const tensors = new Map<string, TensorToWrite>();
    for (const [name, t] of state.tensors)
      tensors.set(name, { shape: t.shape.slice(), data: (await t.data()) as Float32Array });
    const bytes = writeSafetensors(tensors, { step: String(state.step), format: 'ecode-adamw/1' });
    await writeFileAtomic(join(dir, 'optimizer.safetensors'), bytes);
  } finally {
    for (const t of state.tensors.values()) t.dispose();
  }
}

export async function loadOptimizerState(dir: string, optimizer: AdamW): Promise<void> {
  const path = join(dir, 'optimizer.safetensors');
  const file = readSafetensors(new Uint8Array(await readFile(path)), path);
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, t] of file.tensors)
    tensors.set(name, tf.tensor(t.data, t.shape, t.data instanceof Int32Array ? 'int32' : 'float32'));
  try {
    optimizer.setState({ step: Number(file.metadata.step ?? 0), tensors });
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}

/** Writes one training checkpoint and points `latest` at it. Returns its directory. */
export async function writeTrainingCheckpoint(
  root: string,
  state: TrainingState,
  optimizer: AdamW,
  saveWeights: WeightsHook,
): Promise<string> {
  const name = checkpointName(state.step);
  const dir = await writeDirAtomic(root, name, async (tmp) => {
    await saveWeights(tmp);
    await saveOptimizerState(tmp, optimizer);
    await writeFileAtomic(join(tmp, 'state.json'), JSON.stringify(state, null, 2) + '\n');
  });
  await writeFileAtomic(join(root, 'latest'), name + '\n');
  return dir;
}

/** The newest complete checkpoint under `root`, or null when there is none. */
export async function readLatestCheckpoint(root: string): Promise<{ dir: string; state: TrainingState } | null> {
  let name: string;
  try {
    name = (await readFile(join(root, 'latest'), 'utf8')).trim();
  } catch {
    return null;
  }
  const dir = join(root, name);
  const statePath = join(dir, 'state.json');
  let state: TrainingState;
  try {
    state = JSON.parse(await readFile(statePath, 'utf8')) as TrainingState;
  } catch (err) {
    throw new Error(
      `checkpoint: ${root}/latest names '${name}' but ${statePath} cannot be read: ${(err as Error).message}`,
    );
  }
  if (state.format !== TRAIN_STATE_FORMAT)
    throw new Error(`checkpoint: ${statePath} has format '${state.format}', expected '${TRAIN_STATE_FORMAT}'`);
  return { dir, state };
}

/** Removes all but the newest `keep` step directories (and stale temp directories). */
export async function pruneCheckpoints(root: string, keep: number): Promise<void> {
  const entries = await readdir(root);
  const latest = (await readFile(join(root, 'latest'), 'utf8').catch(() => '')).trim();
  const steps = entries.filter((e) => /^step-\d+$/.test(e)).sort();
  const drop = steps.slice(0, Math.max(0, steps.length - Math.max(1, keep))).filter((e) => e !== latest);
  const stale = entries.filter(
    (e) => e.startsWith('.') && /\.(tmp|old)-\d+-\d+$/.test(e) && !e.includes(`-${process.pid}-`),
  );
  for (const e of [...drop, ...stale]) await rm(join(root, e), { recursive: true, force: true });
}

/**
 * Default weights hooks: every model variable in `model.safetensors` by its checkpoint (HF) name,
 * through the model's own safetensors I/O (`saveWeights` / `loadWeightsFile`); every variable must
 * be present on load.
 */
export function defaultWeightsHooks(variables: Map<string, tf.Variable>): { save: WeightsHook; load: WeightsHook } {
  return {
    save: async (dir) => {
      await writeFileAtomic(join(dir, 'model.safetensors'), await saveWeights(variables));
    },
    load: async (dir) => {
      await loadWeightsFile(variables, join(dir, 'model.safetensors'), { requireAll: true });
    },
  };
}
