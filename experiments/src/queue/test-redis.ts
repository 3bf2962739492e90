/**
 * Test and benchmark support: a real `redis-server` on 127.0.0.1 at a free port, with no
 * persistence, in a temporary folder, stopped by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

export async function startRedisServer(bin = process.env.REDIS_SERVER ?? 'redis-server'): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'ecode-redis-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      bin,
      ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const ready = await new Promise<boolean>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`${bin} did not start within 10 s:\n${out}`)), 10_000);
      const take = (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          res(true);
        }
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.on('error', (err) => {
        clearTimeout(timer);
        rej(new Error(`cannot start ${bin} (${err.message}); install it with apt-get install redis-server`));
      });
      child.on('exit', () => {
        clearTimeout(timer);
        res(false);
      });
    });
    if (!ready) {
      // Another process took the port between our probe and redis binding it: try another.
      if (attempt < 3 && /Address already in use/.test(out)) continue;
      throw new Error(`${bin} exited at start:\n${out}`);
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      process: child,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
