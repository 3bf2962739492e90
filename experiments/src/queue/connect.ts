/**
 * Redis connections for the run queue. ioredis retries a refused connection forever by default;
 * here a first connection that does not come up within `timeoutMs` is an error naming the URL,
 * while a connection that was up once rides out an outage (retries every 0.5-5 s), so a worker
 * survives a Redis restart.
 */
import { Redis } from 'ioredis';
import type { QueueAddress } from './redis-url.js';

export class QueueUnreachableError extends Error {
  override name = 'QueueUnreachableError';
}

export interface ConnectOptions {
  /** Give up on the first connection after this long (default 3000 ms). */
  timeoutMs?: number;
  /** Where messages about a lost connection go (once per outage). */
  log?: (line: string) => void;
}

export async function connectRedis(addr: QueueAddress, options: ConnectOptions = {}): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const deadline = Date.now() + timeoutMs;
  let everReady = false;
  let down = false;
  let lastError: Error | undefined;
  const client = new Redis({
    host: addr.host,
    port: addr.port,
    db: addr.db,
    username: addr.username,
    password: addr.password,
    lazyConnect: true,
    // BullMQ's blocking commands need this; the first connection is bounded by the deadline instead.
    maxRetriesPerRequest: null,
    connectTimeout: Math.max(200, Math.min(timeoutMs, 10_000)),
    retryStrategy: (times) => {
      if (!everReady) return Date.now() + 250 < deadline ? 250 : null;
      return Math.min(times * 500, 5000);
    },
  });
  client.on('error', (err: Error) => {
    lastError = err;
    if (everReady && !down) {
      down = true;
      options.log?.(`queue: lost Redis at ${addr.url} (${err.message}); reconnecting`);
    }
  });
  client.on('ready', () => {
    if (everReady && down) options.log?.(`queue: Redis at ${addr.url} is back`);
    everReady = true;
    down = false;
  });
  const unreachable = () =>
    new QueueUnreachableError(
      `cannot reach Redis at ${addr.url} (${lastError?.message ?? 'no answer'}) within ${timeoutMs / 1000} s; ` +
        'start redis-server there or correct --queue',
    );
  const ready = new Promise<void>((res, rej) => {
    client.once('ready', () => res());
    client.once('end', () => rej(unreachable()));
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(unreachable()), timeoutMs + 500);
  });
  try {
    client.connect().catch(() => undefined); // failures arrive through 'end' (after the retries)
    await Promise.race([ready, timeout]);
    return client;
  } catch (err) {
    client.disconnect();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
