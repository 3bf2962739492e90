/**
 * Where a run keeps its artefacts: `runs/<hash>/`, one file or folder per stage, so any stage can
 * be re-run alone and a sweep can resume where it stopped.
 */
import { join, resolve } from 'node:path';

export interface RunPaths {
  root: string;
  /** The fully resolved config (JSON), the run's identity. */
  config: string;
  /** `status.json`: stage progress, MLflow run id, final status. */
  status: string;
  tokenizers: string;
  /** Training checkpoints (resume after a crash). */
  checkpoints: string;
  /** Final weights (safetensors, HF names) with the model spec in its metadata. */
  model: string;
  /** One JSON line per optimizer step: step, loss, lr, tokens/s, evalLoss. */
  trainMetrics: string;
  /** One JSON line per (input, sample): the generated program. */
  generations: string;
  /** One JSON line per generated program: verdicts and costs. */
  judged: string;
  /** Aggregated metrics with intervals on the in-family test split (the evaluation). */
  evaluation: string;
  /** The same on the held-out families' test split (`data.heldOutFamilies`), when there is one. */
  evaluationHeldOut: string;
  log: string;
}

export const DEFAULT_RUNS_DIR = 'runs';

/**
 * Where a further test split's evaluation goes: `evaluation-heldout.json` for the held-out
 * families, `evaluation-<name>.json` for the others (`evaluation-unseen-idiom.json`, ...).
 */
export function evaluationPathOf(paths: RunPaths, split: string): string {
  if (split === 'held-out') return paths.evaluationHeldOut;
  if (!/^[a-z0-9-]+$/.test(split))
    throw new Error(`test split name "${split}" must be lowercase letters, digits and -`);
  return join(paths.root, `evaluation-${split}.json`);
}

/** The MLflow metric prefix of a test split: `test` (main), `heldout`, or the split's name. */
export function metricPrefixOf(split: string): string {
  return split === 'in-family' ? 'test' : split === 'held-out' ? 'heldout' : split;
}

export function runPaths(hash: string, runsDir = DEFAULT_RUNS_DIR): RunPaths {
  const root = resolve(runsDir, hash);
  return {
    root,
    config: join(root, 'config.json'),
    status: join(root, 'status.json'),
    tokenizers: join(root, 'tokenizers'),
    checkpoints: join(root, 'checkpoints'),
    model: join(root, 'model.safetensors'),
    trainMetrics: join(root, 'train-metrics.jsonl'),
    generations: join(root, 'generations.jsonl'),
    judged: join(root, 'judged.jsonl'),
    evaluation: join(root, 'evaluation.json'),
    evaluationHeldOut: join(root, 'evaluation-heldout.json'),
    log: join(root, 'log.txt'),
  };
}

/**
 * The tracking URI a run logs to: `MLFLOW_TRACKING_URI` when set (as MLflow's own clients do),
 * else the config's `tracking.uri`. Tracking is not part of a run's hash, so this never changes
 * which run a config is.
 */
export function trackingUriOf(config: { tracking: { uri: string } }, env: NodeJS.ProcessEnv = process.env): string {
  return env.MLFLOW_TRACKING_URI || config.tracking.uri;
}
