/** `runs/<hash>/status.json`: which stages are done, the MLflow run, and how the run ended. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const STAGES = ['data', 'train', 'generate', 'evaluate'] as const;
export type Stage = (typeof STAGES)[number];
export type RunState = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface RunStatus {
  hash: string;
  name: string;
  variant: string;
  seed: number;
  state: RunState;
  stagesDone: Stage[];
  mlflowRunId?: string;
  mlflowExperimentId?: string;
  trackingUri?: string;
  error?: string;
  /** What the train stage reported, so an attempt that finds it done can log it to MLflow too. */
  train?: { steps: number; parameters: number; tokensPerSecond: number; backend: string };
  startedAt?: string;
  endedAt?: string;
}

export function readRunStatus(path: string): RunStatus | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunStatus;
  } catch (err) {
    throw new Error(`${path}: unreadable run status (${(err as Error).message}); delete it to start the run afresh`);
  }
}

/** Writes atomically (temp file + rename) so a crash never leaves half a status. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(value, null, 2) + '\n');
  await rename(tmp, path);
}
