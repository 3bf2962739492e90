/**
 * Streaming JSONL writer: one Problem per line, written to a temporary file that is renamed into
 * place on close, with the manifest (counts, sha256, provenance) written beside it.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Problem } from '../problem.js';
import { MANIFEST_FORMAT, manifestPath, type DatasetManifest, type Provenance } from './manifest.js';
import { serializeProblem } from './serialize.js';

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class DatasetWriter {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private problems = 0;
  private tests = 0;
  private readonly solutions = { slow: 0, fast: 0 };
  private readonly bySplit: Record<string, number> = {};
  private readonly bySource: Record<string, number> = {};
  private readonly byFamily: Record<string, number> = {};
  private readonly ids = new Set<string>();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly tmpPath: string,
    private readonly stream: WriteStream,
  ) {}

  /** Opens `path` for writing (parent folders are created). */
  static async open(path: string): Promise<DatasetWriter> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    const stream = createWriteStream(tmp, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return new DatasetWriter(path, tmp, stream);
  }

  /** Appends one problem; ids must be unique within the file. */
  async write(problem: Problem): Promise<void> {
    if (this.closed) throw new Error(`DatasetWriter(${this.path}): write after close`);
    if (this.ids.has(problem.id)) throw new Error(`DatasetWriter(${this.path}): duplicate problem id '${problem.id}'`);
    this.ids.add(problem.id);
    const line = serializeProblem(problem) + '\n';
    const buf = Buffer.from(line, 'utf8');
    this.hash.update(buf);
    this.bytes += buf.length;
    this.problems++;
    this.tests += problem.tests.length;
    for (const s of problem.solutions) this.solutions[s.role]++;
    bump(this.bySplit, problem.split);
    bump(this.bySource, problem.source);
    if (problem.family !== undefined) bump(this.byFamily, problem.family);
    if (!this.stream.write(buf)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  /** Finishes the file, renames it into place and writes its manifest. */
  async close(provenance: Provenance): Promise<DatasetManifest> {
    if (this.closed) throw new Error(`DatasetWriter(${this.path}): closed twice`);
    this.closed = true;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    await rename(this.tmpPath, this.path);
    const manifest: DatasetManifest = {
      format: MANIFEST_FORMAT,
      file: basename(this.path),
      problems: this.problems,
      solutions: { ...this.solutions },
      tests: this.tests,
      bySplit: sortedCounts(this.bySplit),
      bySource: sortedCounts(this.bySource),
      byFamily: sortedCounts(this.byFamily),
      sha256: this.hash.digest('hex'),
      bytes: this.bytes,
      provenance,
    };
    await writeFile(manifestPath(this.path), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  }

  /** Abandons the file (the temporary file is removed; nothing is renamed into place). */
  async abort(): Promise<void> {
    this.closed = true;
    this.stream.destroy();
    await rm(this.tmpPath, { force: true });
  }
}
