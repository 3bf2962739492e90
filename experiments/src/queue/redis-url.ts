/** `--queue redis://HOST:PORT[/db]`: where a sweep's run queue lives. */
import { UsageError } from '../cli.js';

export interface QueueAddress {
  /** The URL as written back (no password), for messages. */
  url: string;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

/** Parses a `redis://[user:password@]host[:port][/db]` URL; a wrong one is a usage error naming it. */
export function parseQueueUrl(text: string, flag = '--queue'): QueueAddress {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`${flag}: '${text}' is not a URL, expected redis://HOST:PORT[/db]`);
  }
  if (u.protocol !== 'redis:')
    throw new UsageError(`${flag}: '${text}' has scheme '${u.protocol}', expected redis://HOST:PORT[/db]`);
  if (!u.hostname) throw new UsageError(`${flag}: '${text}' names no host, expected redis://HOST:PORT[/db]`);
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(dbText) || Number(dbText) > 15)
    throw new UsageError(`${flag}: '${text}' has database '${dbText}', expected a number 0-15 after the port`);
  if (u.search || u.hash) throw new UsageError(`${flag}: '${text}': options after ? or # are not supported`);
  const db = dbText ? Number(dbText) : 0;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const out: QueueAddress = { url: `redis://${u.host}/${db}`, host, port, db };
  if (u.username) out.username = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  return out;
}
