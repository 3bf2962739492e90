/**
 * An exclusive lock between processes on one machine: a lock file created with O_EXCL holding the
 * owner's pid. A lock whose owner is gone, or older than `staleMs`, is broken.
 */
import fs from 'node:fs/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number; staleMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
        const pid = Number.parseInt(text, 10);
        const dead = Number.isInteger(pid) && pid > 0 && !alive(pid);
        if (dead || Date.now() - stat.mtimeMs > staleMs) await fs.rm(lockPath, { force: true });
      } catch {
        // vanished or half-written: try again
      }
      if (Date.now() > deadline) throw new Error(`could not take lock ${lockPath} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}
