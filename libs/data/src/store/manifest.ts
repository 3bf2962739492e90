/**
 * The manifest beside a dataset file (`<file>.manifest.json`): what is in it (counts per split,
 * source and family), its content hash, and how it was made.
 */
import { readFile } from 'node:fs/promises';

export const MANIFEST_FORMAT = 'ecode-dataset-manifest/1';

export interface Provenance {
  /** What made the file, e.g. `ecode data synth` or `ecode data import-gec`. */
  tool: string;
  /** Generator or importer name and version, e.g. `synthetic` / `3`. */
  generator: string;
  generatorVersion: string;
  seed?: number | string;
  /** The options that decide the content (never timings or host names). */
  options?: Record<string, unknown>;
  /** Entries left out, by reason. */
  skipped?: Record<string, number>;
  /** Anything else worth keeping (e.g. the source folder). */
  notes?: Record<string, unknown>;
}

export interface DatasetManifest {
  format: typeof MANIFEST_FORMAT;
  /** Base name of the JSONL file. */
  file: string;
  problems: number;
  solutions: { slow: number; fast: number };
  tests: number;
  bySplit: Record<string, number>;
  bySource: Record<string, number>;
  byFamily: Record<string, number>;
  /** sha256 of the JSONL bytes. */
  sha256: string;
  bytes: number;
  provenance: Provenance;
}

export function manifestPath(datasetPath: string): string {
  return `${datasetPath}.manifest.json`;
}

export async function readManifest(datasetPath: string): Promise<DatasetManifest> {
  const path = manifestPath(datasetPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`no manifest at ${path}: ${(err as Error).message}`);
  }
  const m = JSON.parse(text) as DatasetManifest;
  if (m.format !== MANIFEST_FORMAT) throw new Error(`${path}: format '${String(m.format)}' is not ${MANIFEST_FORMAT}`);
  return m;
}
