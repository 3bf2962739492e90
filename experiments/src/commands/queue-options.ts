/** Command-line values shared by `ecode sweep --queue`, `ecode worker` and `ecode queue status`. */
import { UsageError, type CommandContext } from '../cli.js';
import { parseQueueUrl, type QueueAddress } from '../queue/redis-url.js';

export const QUEUE_URL_HELP =
  '  --queue <url>            redis://HOST:PORT[/db]: the Redis server (7+) that holds the run queue';
export const CONNECT_TIMEOUT_HELP =
  '  --connect-timeout <s>    give up when Redis does not answer within this long (default 3)';

export function queueAddress(ctx: CommandContext, required = true): QueueAddress | undefined {
  const url = ctx.values.queue as string | undefined;
  if (url === undefined) {
    if (required) throw new UsageError('--queue redis://HOST:PORT[/db] is required');
    return undefined;
  }
  return parseQueueUrl(url);
}

/** A number option: undefined when absent, a usage error naming the flag when wrong. */
export function numberOption(
  ctx: CommandContext,
  flag: string,
  rule: { integer?: boolean; min: number; max?: number },
): number | undefined {
  const raw = ctx.values[flag];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const ok =
    String(raw).trim() !== '' &&
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    n >= rule.min &&
    (rule.max === undefined || n <= rule.max);
  if (!ok)
    throw new UsageError(
      `--${flag}: found '${String(raw)}', expected ${rule.integer ? 'an integer' : 'a number'} >= ${rule.min}${rule.max !== undefined ? ` and <= ${rule.max}` : ''}`,
    );
  return n;
}

export function connectTimeoutMs(ctx: CommandContext): number | undefined {
  const s = numberOption(ctx, 'connect-timeout', { min: 0.1, max: 600 });
  return s === undefined ? undefined : Math.round(s * 1000);
}

export const GRACE_HELP =
  '  --grace-seconds <s>      after SIGTERM or Ctrl-C, how long a run may take to reach the next micro-batch\n' +
  '                           and write its checkpoint before it is stopped at once (default 30)';

/** `--grace-seconds` of `ecode run`, `sweep` and `worker` (default 30). */
export function graceSeconds(ctx: CommandContext): number {
  return numberOption(ctx, 'grace-seconds', { min: 0, max: 86_400 }) ?? 30;
}
