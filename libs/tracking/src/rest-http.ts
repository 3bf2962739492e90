/**
 * `MlflowHttp`: JSON calls to an MLflow tracking server's REST 2.0 API over `fetch`, with a
 * per-request timeout and retries with exponential backoff (seeded jitter) on 429, 5xx and
 * connection errors. Other errors come back as `TrackingError` carrying the server's error_code.
 */
import { TrackingError } from './errors.js';
import { mulberry32FromState } from '@ecode/config';

/** Thrown when the server could not be reached (or kept failing) after every retry. */
export class TrackingUnreachableError extends TrackingError {
  constructor(message: string, httpStatus?: number) {
    super(message, 'UNREACHABLE', httpStatus);
    this.name = 'TrackingUnreachableError';
  }
}

export interface HttpOptions {
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first try. Default 5. */
  maxRetries?: number;
  /** First backoff delay; doubles each retry. Default 500 ms. */
  backoffMs?: number;
  /** Cap of one backoff delay. Default 20 s. */
  maxBackoffMs?: number;
  /** Seed of the jitter (each delay is scaled by a factor in [0.5, 1.5)). Default 0. */
  seed?: number;
  /** Extra headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

export function authHeadersFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.MLFLOW_TRACKING_TOKEN) return { Authorization: `Bearer ${env.MLFLOW_TRACKING_TOKEN}` };
  if (env.MLFLOW_TRACKING_USERNAME) {
    const basic = Buffer.from(`${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD ?? ''}`).toString(
      'base64',
    );
    return { Authorization: `Basic ${basic}` };
  }
  return {};
}

export class MlflowHttp {
  readonly base: string;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests sent, retries included (for measurements). */
  requests = 0;

  constructor(
    uri: string,
    private readonly options: HttpOptions = {},
  ) {
    if (!/^https?:\/\//.test(uri))
      throw new TrackingError(
        `MLflow REST tracking URI must be http(s)://..., got '${uri}'`,
        'INVALID_PARAMETER_VALUE',
      );
    this.base = uri.replace(/\/+$/, '');
    this.random = mulberry32FromState(options.seed ?? 0); // the retry jitter: same seed, same delays
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private backoff(attempt: number, retryAfter: string | null): number {
    const cap = this.options.maxBackoffMs ?? 20_000;
    if (retryAfter && /^\d+$/.test(retryAfter)) return Math.min(Number(retryAfter) * 1000, cap);
    const base = (this.options.backoffMs ?? 500) * 2 ** attempt;
    return Math.min(cap, base * (0.5 + this.random()));
  }

  /** One HTTP exchange with retries; returns the parsed JSON body (or {} for an empty one). */
  async request(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: string | Uint8Array,
    contentType = 'application/json',
  ): Promise<unknown> {
    const maxRetries = this.options.maxRetries ?? 5;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    let lastProblem = '';
    let lastStatus: number | undefined;
    let nextDelay = 0;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) await this.sleep(nextDelay);
      let res: Response;
      try {
        this.requests++;
        res = await fetch(url, {
          method,
          headers: { ...(body !== undefined ? { 'Content-Type': contentType } : {}), ...(this.options.headers ?? {}) },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        lastProblem =
          err.name === 'TimeoutError' || err.name === 'AbortError'
            ? `no answer within ${timeoutMs} ms`
            : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
        lastStatus = undefined;
        nextDelay = this.backoff(attempt, null);
        continue;
      }
      const text = await res.text().catch(() => '');
      if (res.ok) {
        if (text.trim() === '') return {};
        try {
          return JSON.parse(text);
        } catch {
          throw new TrackingError(
            `${method} ${url}: server sent invalid JSON: ${text.slice(0, 200)}`,
            'INTERNAL_ERROR',
            res.status,
          );
        }
      }
      let errorCode = `HTTP_${res.status}`;
      let message = text.slice(0, 500);
      try {
        const parsed = JSON.parse(text) as { error_code?: string; message?: string };
        if (parsed.error_code) errorCode = parsed.error_code;
        if (parsed.message) message = parsed.message;
      } catch {
        // not JSON: keep the raw text
      }
      if (RETRY_STATUS.has(res.status)) {
        lastProblem = `HTTP ${res.status} ${errorCode}: ${message}`;
        lastStatus = res.status;
        nextDelay = this.backoff(attempt, res.headers.get('retry-after'));
        continue;
      }
      throw new TrackingError(
        `${method} ${url} failed: HTTP ${res.status} ${errorCode}: ${message}`,
        errorCode,
        res.status,
      );
    }
    throw new TrackingUnreachableError(
      `${method} ${url}: MLflow server unreachable after ${maxRetries + 1} tries (last: ${lastProblem})`,
      lastStatus,
    );
  }

  /** `GET|POST {base}/api/2.0/mlflow/{endpoint}`; GET bodies become the query string. */
  async call<T>(method: 'GET' | 'POST', endpoint: string, payload: Record<string, unknown> = {}): Promise<T> {
    let url = `${this.base}/api/2.0/mlflow/${endpoint}`;
    if (method === 'GET') {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(payload)) {
        if (v === undefined || v === null) continue;
        if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
        else q.append(k, String(v));
      }
      const qs = q.toString();
      if (qs) url += `?${qs}`;
      return (await this.request('GET', url)) as T;
    }
    return (await this.request('POST', url, JSON.stringify(payload))) as T;
  }
}
