/**
 * ResultCache: results on disk, one JSON file per key, keyed by the hash of everything that can
 * change a result: the code, the test, the limits, the measure, the Python version and the
 * launcher's own text.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CacheKeyParts {
  code: string;
  test: unknown;
  limits: unknown;
  /** `judge`, `cpu-time:k`, `instructions`, ... */
  measure: string;
  pythonVersion: string;
  launcherHash: string;
}

/** JSON with sorted object keys, so that equal values hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256').update(canonical(parts)).digest('hex');
}

export class ResultCache {
  hits = 0;
  misses = 0;

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get<T>(parts: CacheKeyParts): T | undefined {
    try {
      const v = JSON.parse(readFileSync(this.pathOf(cacheKey(parts)), 'utf8')) as T;
      this.hits++;
      return v;
    } catch {
      this.misses++;
      return undefined;
    }
  }

  set(parts: CacheKeyParts, value: unknown): void {
    const path = this.pathOf(cacheKey(parts));
    mkdirSync(join(path, '..'), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, path);
  }
}
