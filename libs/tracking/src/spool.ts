/**
 * The spool: REST calls that could not reach the MLflow server, kept in order in a JSONL file
 * (one entry per line) so that nothing is lost and `flushSpool()` can replay them later, in this
 * process or another. Entities made while offline (experiments, runs) get placeholder ids
 * (`offline-...`) that replay maps to the server's ids.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export type SpoolEntry =
  | { op: 'experiment'; placeholder: string; name: string; tags?: Record<string, string> }
  | { op: 'createRun'; placeholder: string; body: Record<string, unknown> }
  | { op: 'call'; endpoint: string; body: Record<string, unknown> }
  | { op: 'artifact'; runId: string; artifactPath: string; file: string }
  /** A placeholder already resolved by an earlier, partial replay. */
  | { op: 'alias'; placeholder: string; id: string };

export type SpoolLine = SpoolEntry & { v: 1; at: number };

export function isPlaceholder(id: unknown): id is string {
  return typeof id === 'string' && id.startsWith('offline-');
}

export function newPlaceholder(): string {
  return `offline-${randomBytes(12).toString('hex')}`;
}

export class Spool {
  constructor(readonly file: string) {}

  /** Folder for the bytes of spooled artifacts. */
  get blobDir(): string {
    return `${this.file}.artifacts`;
  }

  async append(entry: SpoolEntry, at: number = Date.now()): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await fs.appendFile(this.file, JSON.stringify({ v: 1, at, ...entry }) + '\n');
  }

  async saveBlob(name: string, content: string | Uint8Array): Promise<string> {
    await fs.mkdir(this.blobDir, { recursive: true });
    const file = path.join(this.blobDir, `${Date.now()}-${randomBytes(4).toString('hex')}-${path.basename(name)}`);
    await fs.writeFile(file, content);
    return file;
  }

  async read(): Promise<SpoolLine[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: SpoolLine[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        out.push(JSON.parse(line) as SpoolLine);
      } catch {
        throw new Error(`${this.file}:${i + 1}: not a spool entry (invalid JSON); fix or remove that line`);
      }
    });
    return out;
  }

  /** Replace the spool's content (after a partial replay), or remove it when nothing is left. */
  async rewrite(lines: SpoolLine[]): Promise<void> {
    if (lines.length === 0) {
      await fs.rm(this.file, { force: true });
      await fs.rm(this.blobDir, { recursive: true, force: true });
      return;
    }
    const tmp = `${this.file}.tmp-${process.pid}`;
    await fs.writeFile(tmp, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    await fs.rename(tmp, this.file);
  }
}
