/**
 * CodeExecTimeDB's four views of a program: Ori (as written), Uni (identifiers renamed var1..,
 * function1..), Loop&Rec (Uni reduced to loops and recursion) and RandDel (Uni with a fraction of
 * its tokens deleted at random, seeded). Uni and Loop&Rec come from Python's own `ast` and
 * `tokenize` (python/views.py, one python3 process per batch); the deletion happens here.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rng } from '@ecode/data';
import type { TimeView } from './config.js';

export const VIEWS_SCRIPT = fileURLToPath(new URL('../python/views.py', import.meta.url));

export interface CodeViews {
  ori: string;
  uni: string;
  looprec: string;
  randdel: string;
}

/** What python/views.py returns for one program. */
export interface ParsedViews {
  uni: string;
  looprec: string;
  /** [start, end) of every non-layout token of `uni`, in JavaScript string indices. */
  spans: [number, number][];
}

export type ViewResult = { ok: true; views: ParsedViews } | { ok: false; error: string };

export interface DeriveOptions {
  /** Interpreter (default /usr/bin/python3, else python3 on PATH). */
  python?: string;
  /** Wall limit for the whole batch (default 10 s + 50 ms per program). */
  timeoutMs?: number;
}

/** Runs python/views.py over `codes` in one process; one result per code, in order. */
export function parseViews(codes: string[], options: DeriveOptions = {}): Promise<ViewResult[]> {
  if (codes.length === 0) return Promise.resolve([]);
  const python = options.python ?? process.env.ECODE_PYTHON ?? '/usr/bin/python3';
  const timeoutMs = options.timeoutMs ?? 10_000 + 50 * codes.length;
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-s', '-S', '-E', VIEWS_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`views: ${python} ${VIEWS_SCRIPT} took over ${timeoutMs} ms for ${codes.length} programs`));
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`views: cannot start ${python} (${e.message}); set ECODE_PYTHON or install python3`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = Buffer.concat(out)
        .toString('utf8')
        .split('\n')
        .filter((l) => l.length > 0);
      if (code !== 0 || lines.length !== codes.length) {
        reject(
          new Error(
            `views: ${VIEWS_SCRIPT} exited ${code} with ${lines.length} of ${codes.length} results: ${Buffer.concat(err).toString('utf8').slice(-2000)}`,
          ),
        );
        return;
      }
      resolve(
        lines.map((l) => {
          const r = JSON.parse(l) as ParsedViews | { error: string };
          return 'error' in r ? { ok: false, error: r.error } : { ok: true, views: r };
        }),
      );
    });
    child.stdin.on('error', () => undefined); // a dead child is reported by 'close'
    child.stdin.end(codes.map((code) => JSON.stringify({ code })).join('\n') + '\n');
  });
}

/**
 * Deletes round(fraction * tokens) of the given token spans from `code`, chosen uniformly by a
 * generator seeded with (seed, key): the same key and seed always delete the same tokens.
 */
export function randomDelete(
  code: string,
  spans: [number, number][],
  fraction: number,
  seed: number,
  key: string,
): string {
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`randomDelete: fraction must be in [0, 1], got ${fraction}`);
  const k = Math.round(spans.length * fraction);
  const chosen = new Rng(seed, 'randdel', key).sample(
    spans.map((_, i) => i),
    k,
  );
  const drop = new Set(chosen);
  let out = '';
  let last = 0;
  spans.forEach(([a, b], i) => {
    if (!drop.has(i)) return;
    out += code.slice(last, a);
    last = b;
  });
  return out + code.slice(last);
}

/** All four views of each program; a program Python cannot parse gets its reason instead. */
export async function deriveViews(
  items: { key: string; code: string }[],
  options: DeriveOptions & { seed: number; deleteFraction?: number },
): Promise<({ ok: true; views: CodeViews } | { ok: false; error: string })[]> {
  const parsed = await parseViews(
    items.map((i) => i.code),
    options,
  );
  return parsed.map((r, i) =>
    r.ok
      ? {
          ok: true as const,
          views: {
            ori: items[i].code,
            uni: r.views.uni,
            looprec: r.views.looprec,
            randdel: randomDelete(
              r.views.uni,
              r.views.spans,
              options.deleteFraction ?? 0.2,
              options.seed,
              items[i].key,
            ),
          },
        }
      : { ok: false as const, error: r.error },
  );
}

export function viewOf(views: CodeViews, view: TimeView): string {
  return views[view];
}
