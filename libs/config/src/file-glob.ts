/**
 * Expands file arguments that contain glob characters (`*`, `?`, `**`), so that
 * `ecode validate 'configs/**\/*.yaml'` works where the shell does not expand `**`.
 */
import { readdirSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';

function segmentRegex(seg: string): RegExp {
  const body = seg
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

const hasGlob = (s: string) => /[*?]/.test(s);

function listDir(dir: string): { name: string; isDir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.'))
      .map((e) => ({
        name: e.name,
        isDir: e.isDirectory() || (e.isSymbolicLink() && statSync(nodePath.join(dir, e.name)).isDirectory()),
      }));
  } catch {
    return [];
  }
}

function match(dir: string, segs: string[], out: Set<string>): void {
  if (segs.length === 0) return;
  const [seg, ...rest] = segs;
  if (seg === '**') {
    match(dir, rest, out);
    for (const e of listDir(dir)) if (e.isDir) match(nodePath.join(dir, e.name), segs, out);
    return;
  }
  if (!hasGlob(seg)) {
    const p = nodePath.join(dir, seg);
    if (rest.length === 0) {
      try {
        if (statSync(p).isFile()) out.add(p);
      } catch {
        /* no such file: no match */
      }
    } else match(p, rest, out);
    return;
  }
  const re = segmentRegex(seg);
  for (const e of listDir(dir)) {
    if (!re.test(e.name)) continue;
    const p = nodePath.join(dir, e.name);
    if (rest.length === 0) {
      if (!e.isDir) out.add(p);
    } else if (e.isDir) match(p, rest, out);
  }
}

/** Arguments without glob characters pass through unchanged; patterns expand to sorted matches. */
export function expandFileArgs(args: string[], cwd = process.cwd()): { files: string[]; unmatched: string[] } {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const arg of args) {
    if (!hasGlob(arg)) {
      if (!files.includes(arg)) files.push(arg);
      continue;
    }
    const absolute = nodePath.isAbsolute(arg);
    const segs = arg.split('/').filter((s, i) => s !== '' || i === 0);
    const start = absolute ? '/' : cwd;
    const out = new Set<string>();
    match(start, absolute ? segs.slice(1) : segs, out);
    if (out.size === 0) unmatched.push(arg);
    for (const p of [...out].sort()) {
      const shown = absolute ? p : nodePath.relative(cwd, p).split(nodePath.sep).join('/');
      if (!files.includes(shown)) files.push(shown);
    }
  }
  return { files, unmatched };
}
