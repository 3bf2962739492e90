/**
 * A stub MLflow tracking server on 127.0.0.1 (node:http) for tests: the REST 2.0 endpoints the
 * client uses, answering with the published request/response shapes and error codes
 * (research/ecosystem.md §A1, mlflow/protos/service.proto), the log-batch limits, param
 * immutability, NaN as "NaN", the mlflow-artifacts PUT proxy, and fault injection (429/5xx,
 * slow answers, shutdown and restart on the same port). It is test support, not an MLflow server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface StubMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}
interface StubRun {
  info: {
    run_id: string;
    run_uuid: string;
    run_name: string;
    experiment_id: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: string;
  };
  metrics: StubMetric[];
  params: Map<string, string>;
  tags: Map<string, string>;
}
interface StubExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
  tags: Map<string, string>;
}

export interface Fault {
  status: number;
  /** Endpoint substring the fault applies to (any when absent). */
  match?: string;
  retryAfter?: string;
  /** Wait this long before answering (to trip client timeouts). */
  delayMs?: number;
}

export interface StubOptions {
  /** Artifact root given to new runs. Default `mlflow-artifacts:` (artifacts proxied). */
  artifactRoot?: string;
  /** Whether the mlflow-artifacts proxy endpoint exists. Default true. */
  serveArtifacts?: boolean;
  /** Page size of metrics/get-history and runs/search (to exercise pagination). Default 1000. */
  pageSize?: number;
}

const KEY = /^[/\w.\- ]*$/u;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'INVALID_PARAMETER_VALUE', message);
}

function metricValue(v: unknown, key: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw invalid(`Got invalid value ${JSON.stringify(v)} for metric '${key}'`);
}

function valueJson(v: number): number | string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v;
}

function checkKey(kind: string, key: unknown): string {
  if (typeof key !== 'string' || !KEY.test(key) || key.length > 250)
    throw invalid(`Invalid ${kind} name: '${String(key)}'`);
  return key;
}

export class StubMlflowServer {
  readonly experiments = new Map<string, StubExperiment>();
  readonly runs = new Map<string, StubRun>();
  readonly artifacts = new Map<string, Buffer>();
  /** Every request seen: method, path (with query) and parsed JSON body. */
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  private faults: Fault[] = [];
  private server?: http.Server;
  private nextId = 1;
  port = 0;

  constructor(private readonly options: StubOptions = {}) {
    const now = Date.now();
    this.experiments.set('0', {
      experiment_id: '0',
      name: 'Default',
      artifact_location: 'mlflow-artifacts:/0',
      lifecycle_stage: 'active',
      creation_time: now,
      last_update_time: now,
      tags: new Map(),
    });
  }

  get uri(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answer the next matching requests with these faults, in order. */
  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stop listening and drop open connections (a server going away mid-run). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Listen again on the same port, keeping the stored state. */
  async restart(): Promise<void> {
    await this.start(this.port);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://stub');
    let body: unknown = undefined;
    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    if (isJson && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
    const fi = this.faults.findIndex((f) => !f.match || url.pathname.includes(f.match));
    if (fi >= 0) {
      const fault = this.faults.splice(fi, 1)[0];
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      const code =
        fault.status === 429
          ? 'REQUEST_LIMIT_EXCEEDED'
          : fault.status === 503
            ? 'TEMPORARILY_UNAVAILABLE'
            : 'INTERNAL_ERROR';
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (fault.retryAfter) headers['Retry-After'] = fault.retryAfter;
      if (!res.destroyed) {
        res.writeHead(fault.status, headers);
        res.end(JSON.stringify({ error_code: code, message: `injected ${fault.status}` }));
      }
      return;
    }
    try {
      const out = this.route(req.method ?? 'GET', url, body, raw, isJson);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(out));
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 'INTERNAL_ERROR', (e as Error).message);
      res.writeHead(err.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error_code: err.code, message: err.message }));
    }
  }

  private runJson(run: StubRun): unknown {
    const latest = new Map<string, StubMetric>();
    for (const m of run.metrics) {
      const cur = latest.get(m.key);
      if (!cur || m.step > cur.step || (m.step === cur.step && m.timestamp >= cur.timestamp)) latest.set(m.key, m);
    }
    return {
      info: run.info,
      data: {
        metrics: [...latest.values()].map((m) => ({ ...m, value: valueJson(m.value) })),
        params: [...run.params].map(([key, value]) => ({ key, value })),
        tags: [...run.tags].map(([key, value]) => ({ key, value })),
      },
      inputs: {},
    };
  }

  private getRun(id: unknown): StubRun {
    const run = this.runs.get(String(id));
    if (!run) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${String(id)}' not found`);
    return run;
  }

  private route(method: string, url: URL, body: unknown, raw: Buffer, isJson: boolean): unknown {
    const p = url.pathname;
    const b = (body ?? {}) as Record<string, unknown>;
    if (p.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) {
      if (this.options.serveArtifacts === false) {
        throw new ApiError(404, 'ENDPOINT_NOT_FOUND', 'mlflow-artifacts is not served');
      }
      if (method !== 'PUT') throw new ApiError(405, 'BAD_REQUEST', 'method not allowed');
      this.artifacts.set(decodeURIComponent(p.slice('/api/2.0/mlflow-artifacts/artifacts/'.length)), raw);
      return {};
    }
    if (method === 'POST' && !isJson) throw new ApiError(400, 'BAD_REQUEST', 'Content-Type must be application/json');
    const endpoint = `${method} ${p.replace('/api/2.0/mlflow/', '')}`;
    switch (endpoint) {
      case 'GET experiments/get-by-name': {
        const name = url.searchParams.get('experiment_name');
        const exps = [...this.experiments.values()].filter((e) => e.name === name);
        const exp = exps.find((e) => e.lifecycle_stage === 'active') ?? exps[0];
        if (!exp) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`);
        return { experiment: { ...exp, tags: [...exp.tags].map(([key, value]) => ({ key, value })) } };
      }
      case 'POST experiments/create': {
        const name = b.name;
        if (typeof name !== 'string' || name === '') throw invalid(`Invalid experiment name: '${String(name)}'`);
        if ([...this.experiments.values()].some((e) => e.name === name)) {
          throw new ApiError(400, 'RESOURCE_ALREADY_EXISTS', `Experiment '${name}' already exists.`);
        }
        const id = String(100 + this.nextId++);
        const now = Date.now();
        const tags = new Map(((b.tags as { key: string; value: string }[]) ?? []).map((t) => [t.key, t.value]));
        this.experiments.set(id, {
          experiment_id: id,
          name,
          artifact_location: `mlflow-artifacts:/${id}`,
          lifecycle_stage: 'active',
          creation_time: now,
          last_update_time: now,
          tags,
        });
        return { experiment_id: id };
      }
      case 'POST runs/create': {
        const expId = String(b.experiment_id ?? '0');
        if (!this.experiments.has(expId)) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `No experiment ${expId}`);
        const tags = new Map(
          ((b.tags as { key: string; value: string }[]) ?? []).map((t) => [checkKey('tag', t.key), t.value]),
        );
        const tagName = tags.get('mlflow.runName');
        if (b.run_name && tagName && b.run_name !== tagName) throw invalid('run_name and mlflow.runName differ');
        const runName = String(b.run_name ?? tagName ?? `stub-run-${this.nextId}`);
        tags.set('mlflow.runName', runName);
        const runId = (this.nextId++).toString(16).padStart(32, '0');
        const root = this.options.artifactRoot ?? 'mlflow-artifacts:';
        const run: StubRun = {
          info: {
            run_id: runId,
            run_uuid: runId,
            run_name: runName,
            experiment_id: expId,
            user_id: tags.get('mlflow.user') ?? '',
            status: 'RUNNING',
            start_time: Number(b.start_time ?? Date.now()),
            artifact_uri: `${root}/${expId}/${runId}/artifacts`,
            lifecycle_stage: 'active',
          },
          metrics: [],
          params: new Map(),
          tags,
        };
        this.runs.set(runId, run);
        return { run: this.runJson(run) };
      }
      case 'POST runs/update': {
        const run = this.getRun(b.run_id);
        if (b.status !== undefined) {
          if (!['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(String(b.status)))
            throw invalid(`bad status ${String(b.status)}`);
          run.info.status = String(b.status);
        }
        if (b.end_time !== undefined) run.info.end_time = Number(b.end_time);
        return { run_info: run.info };
      }
      case 'GET runs/get':
        return { run: this.runJson(this.getRun(url.searchParams.get('run_id'))) };
      case 'POST runs/log-batch': {
        if (raw.length > 1_000_000)
          throw invalid(`Batched logging API requests must be at most 1000000 bytes, got ${raw.length}`);
        const run = this.getRun(b.run_id);
        const metrics = (b.metrics as Record<string, unknown>[]) ?? [];
        const params = (b.params as { key: string; value: string }[]) ?? [];
        const tags = (b.tags as { key: string; value: string }[]) ?? [];
        if (metrics.length > 1000)
          throw invalid(`A batch logging request can contain at most 1000 metrics. Got ${metrics.length} metrics.`);
        if (params.length > 100)
          throw invalid(`A batch logging request can contain at most 100 params. Got ${params.length} params.`);
        if (tags.length > 100)
          throw invalid(`A batch logging request can contain at most 100 tags. Got ${tags.length} tags.`);
        if (metrics.length + params.length + tags.length > 1000)
          throw invalid('A batch logging request can contain at most 1000 metrics, params, and tags.');
        const seen = new Set<string>();
        for (const pa of params) {
          if (seen.has(pa.key)) throw invalid(`Duplicate parameter keys have been submitted: ['${pa.key}'].`);
          seen.add(pa.key);
          checkKey('param', pa.key);
          if (String(pa.value).length > 6000) throw invalid(`Param value of '${pa.key}' exceeded length limit of 6000`);
          const cur = run.params.get(pa.key);
          if (cur !== undefined && cur !== pa.value)
            throw invalid(`Changing param values is not allowed. Param with key='${pa.key}'`);
        }
        const parsed = metrics.map((m) => ({
          key: checkKey('metric', m.key),
          value: metricValue(m.value, String(m.key)),
          timestamp: Number(m.timestamp),
          step: Number(m.step ?? 0),
        }));
        for (const pa of params) run.params.set(pa.key, pa.value);
        run.metrics.push(...parsed);
        for (const t of tags) {
          run.tags.set(checkKey('tag', t.key), t.value);
          if (t.key === 'mlflow.runName') run.info.run_name = t.value;
        }
        return {};
      }
      case 'GET metrics/get-history': {
        const run = this.getRun(url.searchParams.get('run_id'));
        const key = url.searchParams.get('metric_key');
        const all = run.metrics.filter((m) => m.key === key);
        const size = this.options.pageSize ?? 1000;
        const start = Number(url.searchParams.get('page_token') ?? 0);
        const page = all.slice(start, start + size);
        return {
          metrics: page.map((m) => ({ ...m, value: valueJson(m.value) })),
          ...(start + size < all.length ? { next_page_token: String(start + size) } : {}),
        };
      }
      case 'POST runs/search': {
        const ids = ((b.experiment_ids as string[]) ?? []).map(String);
        const clauses = typeof b.filter === 'string' && b.filter.trim() !== '' ? b.filter.split(/\s+and\s+/i) : [];
        const tests = clauses.map((c) => {
          const m =
            /^(tags|params|attributes|attribute|run)\.(?:`([^`]+)`|"([^"]+)"|([\w.]+))\s*(=|!=)\s*'([^']*)'$/.exec(
              c.trim(),
            );
          if (!m) throw invalid(`Invalid filter clause '${c}'`);
          const [, kind, k1, k2, k3, op, value] = m;
          const key = k1 ?? k2 ?? k3;
          return (r: StubRun) => {
            let actual: string | undefined;
            if (kind === 'tags') actual = r.tags.get(key);
            else if (kind === 'params') actual = r.params.get(key);
            else actual = (r.info as unknown as Record<string, string | undefined>)[key];
            return op === '=' ? actual === value : actual !== value;
          };
        });
        const runs = [...this.runs.values()]
          .filter(
            (r) =>
              ids.includes(r.info.experiment_id) && r.info.lifecycle_stage === 'active' && tests.every((t) => t(r)),
          )
          .sort((x, y) => y.info.start_time - x.info.start_time || (x.info.run_id < y.info.run_id ? -1 : 1));
        const max = Math.min(Number(b.max_results ?? 1000), this.options.pageSize ?? 1000);
        const start = Number(b.page_token ?? 0);
        return {
          runs: runs.slice(start, start + max).map((r) => this.runJson(r)),
          ...(start + max < runs.length ? { next_page_token: String(start + max) } : {}),
        };
      }
      default:
        throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No endpoint ${endpoint}`);
    }
  }
}
