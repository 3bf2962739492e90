/** What every model stage of a run gets: the config, the run's paths and hash, logging, the stop signal. */
import { appendFile } from 'node:fs/promises';
import type { ExperimentConfig } from '@ecode/config';
import type { RunPaths } from './run-paths.js';

export interface StageContext {
  config: ExperimentConfig;
  paths: RunPaths;
  /** The run's config hash (its folder name under runs/, stamped into the model file). */
  hash: string;
  configDir: string;
  log: (line: string) => void;
  signal: AbortSignal;
  /** Where progress lines go (a TTY shows one updating line). */
  progress: NodeJS.WritableStream | false;
}

export async function appendJsonLine(path: string, value: unknown): Promise<void> {
  await appendFile(path, JSON.stringify(value) + '\n');
}
