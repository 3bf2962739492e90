/**
 * `RestTracker`: the Tracker verbs over MLflow's REST 2.0 API (MLFLOW_TRACKING_URI=http(s)://...).
 *
 * - experiments/get-by-name + create (race-safe), runs/create, update, get, search, log-batch
 *   (split to the server's limits), metrics/get-history; NaN and the infinities sent as strings;
 * - artifacts through the mlflow-artifacts proxy (PUT /api/2.0/mlflow-artifacts/artifacts/...) when
 *   the run's artifact root is `mlflow-artifacts:`; otherwise kept on this machine, said on stderr
 *   and recorded in the `ecode.local_artifacts` tag;
 * - when the server becomes unreachable (after the HTTP layer's retries), every later write goes
 *   to a JSONL spool, said once on stderr; `flushSpool()` replays it in order.
 * All calls of one tracker run one at a time, so the server sees them in the order they were made.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TrackingError } from './errors.js';
import { metricJson, splitLogBatch, type KeyValue } from './log-batch.js';
import { MlflowHttp, TrackingUnreachableError, type HttpOptions } from './rest-http.js';
import { BoundRun } from './run-handle.js';
import { defaultSourceTags } from './source-tags.js';
import { isPlaceholder, newPlaceholder, Spool, type SpoolEntry, type SpoolLine } from './spool.js';
import { MLFLOW_RUN_NAME, TAG_LOCAL_ARTIFACTS } from './tags.js';
import {
  isRunStatus,
  type ArtifactResult,
  type ArtifactSource,
  type Experiment,
  type FlushSpoolResult,
  type Metric,
  type MetricPoint,
  type ParamValue,
  type Run,
  type RunHandle,
  type RunInfo,
  type RunStatus,
  type SearchRunsQuery,
  type StartRunOptions,
  type Tracker,
} from './types.js';
import { paramText, validateExperimentName, validateKey, validateMetric, validateValueLength } from './validation.js';

export interface RestTrackerOptions extends HttpOptions {
  /** `http(s)://host[:port][/prefix]`. */
  uri: string;
  /** JSONL spool for calls made while the server is unreachable. Default `.ecode/mlflow-spool/<host>.jsonl`. */
  spoolPath?: string;
  /** Where artifacts go when the server cannot take them. Default `.ecode/mlflow-local-artifacts`. */
  localArtifactDir?: string;
  /** Messages for people (default: stderr). */
  log?: (line: string) => void;
  now?: () => number;
  sourceTags?: () => Record<string, string>;
  /** Metric points a RunHandle buffers before a log-batch call. Default 100. */
  metricBufferSize?: number;
  /**
   * While spooling, when a run ends, probe the server once (no retries, short timeout) and replay
   * the spool if it answers. Default true.
   */
  autoFlush?: boolean;
}

interface KeyValueJson {
  key: string;
  value: string;
}
interface MetricJson {
  key: string;
  value: number | string;
  timestamp: number | string;
  step?: number | string;
}
interface RunJson {
  info: Record<string, unknown>;
  data?: { metrics?: MetricJson[]; params?: KeyValueJson[]; tags?: KeyValueJson[] };
}
interface ExperimentJson {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number | string;
  last_update_time?: number | string;
  tags?: KeyValueJson[];
}

function num(v: unknown): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

function metricFromJson(m: MetricJson): Metric {
  return { key: m.key, value: num(m.value), timestamp: num(m.timestamp), step: m.step === undefined ? 0 : num(m.step) };
}

function runInfoFromJson(info: Record<string, unknown>): RunInfo {
  const status = info.status;
  return {
    runId: String(info.run_id ?? info.run_uuid),
    runName: String(info.run_name ?? ''),
    experimentId: String(info.experiment_id),
    userId: String(info.user_id ?? ''),
    status: isRunStatus(status) ? status : 'RUNNING',
    startTime: num(info.start_time ?? 0),
    endTime:
      info.end_time === undefined || info.end_time === null || num(info.end_time) === 0 ? null : num(info.end_time),
    artifactUri: String(info.artifact_uri ?? ''),
    lifecycleStage: info.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
  };
}

function runFromJson(run: RunJson): Run {
  const metrics: Record<string, Metric> = {};
  for (const m of run.data?.metrics ?? []) metrics[m.key] = metricFromJson(m);
  const params: Record<string, string> = {};
  for (const p of run.data?.params ?? []) params[p.key] = p.value;
  const tags: Record<string, string> = {};
  for (const t of run.data?.tags ?? []) tags[t.key] = t.value;
  return { info: runInfoFromJson(run.info), data: { metrics, params, tags } };
}

function experimentFromJson(e: ExperimentJson): Experiment {
  const tags: Record<string, string> = {};
  for (const t of e.tags ?? []) tags[t.key] = t.value;
  return {
    experimentId: String(e.experiment_id),
    name: e.name,
    artifactLocation: e.artifact_location ?? '',
    lifecycleStage: e.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    creationTime: e.creation_time === undefined ? undefined : num(e.creation_time),
    lastUpdateTime: e.last_update_time === undefined ? undefined : num(e.last_update_time),
    tags,
  };
}

function toKeyValues(record: Record<string, string>): KeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/** Every file under `dir` as a path relative to it, '/'-joined. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  }
  return out.sort();
}

function safeRelative(p: string, where: string): string {
  const norm = path.posix.normalize(p.replace(/\\/g, '/'));
  if (p === '' || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    throw new TrackingError(
      `${where}: artifact path '${p}' must be relative and stay inside the run's artifacts`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  return norm;
}

export class RestTracker implements Tracker {
  readonly kind = 'rest' as const;
  readonly uri: string;
  readonly http: MlflowHttp;
  readonly spool: Spool;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private readonly contextTags: () => Record<string, string>;
  private readonly localArtifactDir: string;
  private offline = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** Placeholder ids resolved by a replay. */
  private readonly aliases = new Map<string, string>();
  private readonly artifactUris = new Map<string, string>();
  private readonly localArtifactRuns = new Set<string>();

  constructor(private readonly options: RestTrackerOptions) {
    this.http = new MlflowHttp(options.uri, options);
    this.uri = this.http.base;
    const host = new URL(this.uri).host.replace(/[^\w.-]/g, '_');
    this.spool = new Spool(path.resolve(options.spoolPath ?? path.join('.ecode', 'mlflow-spool', `${host}.jsonl`)));
    this.localArtifactDir = path.resolve(options.localArtifactDir ?? path.join('.ecode', 'mlflow-local-artifacts'));
    this.log = options.log ?? ((line) => process.stderr.write(line + '\n'));
    this.now = options.now ?? Date.now;
    this.contextTags = options.sourceTags ?? defaultSourceTags;
  }

  /** True after the server stopped answering; writes go to the spool until `flushSpool()` succeeds. */
  get isSpooling(): boolean {
    return this.offline;
  }

  /** The server's id for an id handed out while offline (itself otherwise). */
  resolveId(id: string): string {
    return this.aliases.get(id) ?? id;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private goOffline(err: Error): void {
    if (this.offline) return;
    this.offline = true;
    this.log(
      `[ecode tracking] MLflow server ${this.uri} is unreachable (${err.message}). ` +
        `Spooling tracking calls to ${this.spool.file}; nothing is lost. Replay them with flushSpool() ` +
        `(ecode tracking flush) once the server is back.`,
    );
  }

  /** Send now, or spool when offline (or when the call names an entity made offline). */
  private async writeOrSpool(entry: SpoolEntry, send: () => Promise<void>): Promise<void> {
    const mentionsPlaceholder =
      ('runId' in entry && isPlaceholder(entry.runId)) ||
      ('body' in entry && (isPlaceholder(entry.body.run_id) || isPlaceholder(entry.body.experiment_id)));
    if (this.offline || mentionsPlaceholder) {
      await this.spool.append(entry, this.now());
      return;
    }
    try {
      await send();
    } catch (e) {
      if (!(e instanceof TrackingUnreachableError)) throw e;
      this.goOffline(e);
      await this.spool.append(entry, this.now());
    }
  }

  // ---- experiments -------------------------------------------------------------------------

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const res = await this.http.call<{ experiment: ExperimentJson }>('GET', 'experiments/get-by-name', {
        experiment_name: name,
      });
      return experimentFromJson(res.experiment);
    } catch (e) {
      if (e instanceof TrackingError && (e.errorCode === 'RESOURCE_DOES_NOT_EXIST' || e.httpStatus === 404))
        return undefined;
      throw e;
    }
  }

  private async getOrCreateOnline(name: string, tags?: Record<string, string>): Promise<string> {
    const check = (exp: Experiment): string => {
      if (exp.lifecycleStage === 'deleted') {
        throw new TrackingError(
          `Experiment '${name}' exists on ${this.uri} but is deleted (id ${exp.experimentId}); restore it or pick another name.`,
          'RESOURCE_ALREADY_EXISTS',
        );
      }
      return exp.experimentId;
    };
    const found = await this.getExperimentByName(name);
    if (found) return check(found);
    try {
      const res = await this.http.call<{ experiment_id: string }>('POST', 'experiments/create', {
        name,
        ...(tags ? { tags: toKeyValues(tags) } : {}),
      });
      return String(res.experiment_id);
    } catch (e) {
      if (
        e instanceof TrackingError &&
        (e.errorCode === 'RESOURCE_ALREADY_EXISTS' || e.errorCode === 'ALREADY_EXISTS')
      ) {
        const again = await this.getExperimentByName(name);
        if (again) return check(again);
      }
      throw e;
    }
  }

  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    validateExperimentName(name);
    return this.serial(async () => {
      if (!this.offline) {
        try {
          return await this.getOrCreateOnline(name, tags);
        } catch (e) {
          if (!(e instanceof TrackingUnreachableError)) throw e;
          this.goOffline(e);
        }
      }
      const placeholder = newPlaceholder();
      await this.spool.append({ op: 'experiment', placeholder, name, tags }, this.now());
      return placeholder;
    });
  }

  // ---- runs --------------------------------------------------------------------------------

  async startRun(options: StartRunOptions): Promise<RunHandle> {
    const tags: Record<string, string> = {
      ...(options.sourceTags === false ? {} : this.contextTags()),
      ...(options.tags ?? {}),
    };
    const tagName = tags[MLFLOW_RUN_NAME];
    if (options.runName && tagName && options.runName !== tagName) {
      throw new TrackingError(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${options.runName}', mlflow.runName='${tagName}').`,
        'INVALID_PARAMETER_VALUE',
      );
    }
    for (const [k, v] of Object.entries(tags)) {
      validateKey('tag', k);
      validateValueLength('tag', k, v);
    }
    const startTime = options.startTime ?? this.now();
    const experimentId = this.resolveId(options.experimentId);
    const body: Record<string, unknown> = {
      experiment_id: experimentId,
      start_time: startTime,
      tags: toKeyValues(tags),
      ...(options.runName || tagName ? { run_name: options.runName || tagName } : {}),
    };
    return this.serial(async () => {
      let info: RunInfo | undefined;
      if (!this.offline && !isPlaceholder(experimentId)) {
        try {
          const res = await this.http.call<{ run: RunJson }>('POST', 'runs/create', body);
          info = runInfoFromJson(res.run.info);
        } catch (e) {
          if (!(e instanceof TrackingUnreachableError)) throw e;
          this.goOffline(e);
        }
      }
      if (!info) {
        const placeholder = newPlaceholder();
        await this.spool.append({ op: 'createRun', placeholder, body }, this.now());
        info = {
          runId: placeholder,
          runName: String(body.run_name ?? ''),
          experimentId,
          userId: tags['mlflow.user'] ?? '',
          status: 'RUNNING',
          startTime,
          endTime: null,
          artifactUri: '',
          lifecycleStage: 'active',
        };
      }
      this.artifactUris.set(info.runId, info.artifactUri);
      return new BoundRun(this, info, { bufferSize: this.options.metricBufferSize ?? 100, now: this.now });
    });
  }

  private async logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] },
  ): Promise<void> {
    const id = this.resolveId(runId);
    for (const part of splitLogBatch({
      metrics: batch.metrics ?? [],
      params: batch.params ?? [],
      tags: batch.tags ?? [],
    })) {
      const body = { run_id: id, metrics: part.metrics.map(metricJson), params: part.params, tags: part.tags };
      await this.writeOrSpool({ op: 'call', endpoint: 'runs/log-batch', body }, async () => {
        await this.http.call('POST', 'runs/log-batch', body);
      });
    }
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    const list = Object.entries(params).map(([key, v]) => {
      validateKey('param', key);
      const value = paramText(key, v);
      validateValueLength('param', key, value);
      return { key, value };
    });
    return this.serial(() => this.logBatch(runId, { params: list }));
  }

  async logMetrics(runId: string, metrics: MetricPoint[]): Promise<void> {
    const t = this.now();
    const full = metrics.map((m) => ({ key: m.key, value: m.value, step: m.step ?? 0, timestamp: m.timestamp ?? t }));
    full.forEach(validateMetric);
    return this.serial(() => this.logBatch(runId, { metrics: full }));
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    for (const [k, v] of Object.entries(tags)) {
      validateKey('tag', k);
      validateValueLength('tag', k, v);
    }
    return this.serial(() => this.logBatch(runId, { tags: toKeyValues(tags) }));
  }

  async endRun(runId: string, status: RunStatus = 'FINISHED', endTime?: number): Promise<void> {
    const body = { run_id: this.resolveId(runId), status, end_time: endTime ?? this.now() };
    await this.serial(() =>
      this.writeOrSpool({ op: 'call', endpoint: 'runs/update', body }, async () => {
        await this.http.call('POST', 'runs/update', body);
      }),
    );
    if (this.offline && this.options.autoFlush !== false && (await this.probe())) {
      const result = await this.flushSpool();
      this.log(
        `[ecode tracking] MLflow server ${this.uri} is back: replayed ${result.replayed} spooled call(s), ${result.remaining} left`,
      );
    }
  }

  /** One quick request (no retries) telling whether the server answers again. */
  private async probe(): Promise<boolean> {
    const quick = new MlflowHttp(this.uri, {
      headers: this.options.headers,
      maxRetries: 0,
      timeoutMs: Math.min(this.options.timeoutMs ?? 30_000, 5000),
    });
    try {
      await quick.call('GET', 'experiments/get-by-name', { experiment_name: 'Default' });
      return true;
    } catch (e) {
      return !(e instanceof TrackingUnreachableError);
    }
  }

  async getRun(runId: string): Promise<Run> {
    const id = this.resolveId(runId);
    if (isPlaceholder(id))
      throw new TrackingError(
        `run ${id} was started while ${this.uri} was unreachable; flushSpool() first`,
        'INVALID_STATE',
      );
    const res = await this.http.call<{ run: RunJson }>('GET', 'runs/get', { run_id: id });
    return runFromJson(res.run);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateKey('metric', key);
    const id = this.resolveId(runId);
    const out: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.http.call<{ metrics?: MetricJson[]; next_page_token?: string }>(
        'GET',
        'metrics/get-history',
        {
          run_id: id,
          metric_key: key,
          page_token: pageToken,
        },
      );
      out.push(...(res.metrics ?? []).map(metricFromJson));
      pageToken = res.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  /** MLflow's search filter for the query (tags joined with AND, status as an attribute). */
  static filterString(query: SearchRunsQuery): string {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(query.tags ?? {})) {
      validateKey('tag', k);
      if (v.includes("'"))
        throw new TrackingError(
          `searchRuns: tag value for '${k}' must not contain a single quote`,
          'INVALID_PARAMETER_VALUE',
        );
      parts.push(`tags.\`${k}\` = '${v}'`);
    }
    if (query.status) parts.push(`attributes.status = '${query.status}'`);
    return parts.join(' and ');
  }

  async searchRuns(query: SearchRunsQuery): Promise<Run[]> {
    const max = query.maxResults ?? 1000;
    const filter = RestTracker.filterString(query);
    const out: Run[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.http.call<{ runs?: RunJson[]; next_page_token?: string }>('POST', 'runs/search', {
        experiment_ids: query.experimentIds.map((id) => this.resolveId(id)),
        filter,
        run_view_type: 'ACTIVE_ONLY',
        max_results: Math.min(1000, max - out.length),
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      out.push(...(res.runs ?? []).map(runFromJson));
      pageToken = res.next_page_token || undefined;
    } while (pageToken && out.length < max);
    return out.slice(0, max);
  }

  // ---- artifacts ---------------------------------------------------------------------------

  private async artifactUriOf(runId: string): Promise<string> {
    const cached = this.artifactUris.get(runId);
    if (cached) return cached;
    const info = (await this.getRun(runId)).info;
    this.artifactUris.set(runId, info.artifactUri);
    return info.artifactUri;
  }

  /** The proxied artifact path of a run's `mlflow-artifacts:` root, or undefined for other roots. */
  static proxiedPath(artifactUri: string): string | undefined {
    if (!artifactUri.startsWith('mlflow-artifacts:')) return undefined;
    let rest = artifactUri.slice('mlflow-artifacts:'.length);
    if (rest.startsWith('//')) {
      const slash = rest.indexOf('/', 2);
      rest = slash < 0 ? '' : rest.slice(slash);
    }
    return rest.replace(/^\/+/, '').replace(/\/+$/, '');
  }

  private async storeLocally(runId: string, rel: string, content: Uint8Array, why: string): Promise<ArtifactResult> {
    const target = path.join(this.localArtifactDir, runId, rel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, content);
    if (!this.localArtifactRuns.has(runId)) {
      this.localArtifactRuns.add(runId);
      const dir = path.join(this.localArtifactDir, runId);
      this.log(`[ecode tracking] artifacts of run ${runId} are kept on this machine at ${dir}: ${why}`);
      await this.logBatch(runId, { tags: [{ key: TAG_LOCAL_ARTIFACTS, value: dir }] });
    }
    return { artifactPath: rel, storedAt: 'local', location: target };
  }

  /** Upload one file's bytes; falls back to local storage when the server does not proxy artifacts. */
  private async uploadOnline(runId: string, rel: string, content: Uint8Array): Promise<ArtifactResult> {
    const uri = await this.artifactUriOf(runId);
    const proxied = RestTracker.proxiedPath(uri);
    if (proxied === undefined) {
      return this.storeLocally(
        runId,
        rel,
        content,
        `the run's artifact root '${uri}' is not served through the mlflow-artifacts proxy`,
      );
    }
    const encoded = [...proxied.split('/'), ...rel.split('/')]
      .filter((s) => s !== '')
      .map(encodeURIComponent)
      .join('/');
    const url = `${this.uri}/api/2.0/mlflow-artifacts/artifacts/${encoded}`;
    try {
      await this.http.request('PUT', url, content, 'application/octet-stream');
    } catch (e) {
      if (
        e instanceof TrackingError &&
        !(e instanceof TrackingUnreachableError) &&
        [404, 501, 405].includes(e.httpStatus ?? 0)
      ) {
        return this.storeLocally(
          runId,
          rel,
          content,
          `the server does not offer the mlflow-artifacts proxy (${e.message})`,
        );
      }
      throw e;
    }
    return { artifactPath: rel, storedAt: 'tracker', location: `${uri.replace(/\/+$/, '')}/${rel}` };
  }

  async logArtifact(runId: string, source: ArtifactSource, artifactDir?: string): Promise<ArtifactResult> {
    const where = `logArtifact(run ${runId})`;
    return this.serial(async () => {
      const id = this.resolveId(runId);
      const files: { rel: string; read: () => Promise<Uint8Array> }[] = [];
      let rootRel: string;
      if (typeof source === 'string') {
        const stat = await fs.stat(source).catch(() => undefined);
        if (!stat) throw new TrackingError(`${where}: '${source}' does not exist`, 'INVALID_PARAMETER_VALUE');
        const name = path.basename(path.resolve(source));
        rootRel = safeRelative(artifactDir ? `${artifactDir}/${name}` : name, where);
        if (stat.isDirectory()) {
          for (const f of await listFiles(source))
            files.push({ rel: `${rootRel}/${f}`, read: () => fs.readFile(path.join(source, f)) });
        } else files.push({ rel: rootRel, read: () => fs.readFile(source) });
      } else {
        rootRel = safeRelative(artifactDir ? `${artifactDir}/${source.name}` : source.name, where);
        const bytes = typeof source.content === 'string' ? Buffer.from(source.content) : source.content;
        files.push({ rel: rootRel, read: async () => bytes });
      }
      let result: ArtifactResult = { artifactPath: rootRel, storedAt: 'tracker', location: '' };
      for (const f of files) {
        const content = await f.read();
        let r: ArtifactResult | undefined;
        if (!this.offline && !isPlaceholder(id)) {
          try {
            r = await this.uploadOnline(id, f.rel, content);
          } catch (e) {
            if (!(e instanceof TrackingUnreachableError)) throw e;
            this.goOffline(e);
          }
        }
        if (!r) {
          const file = await this.spool.saveBlob(f.rel.replace(/\//g, '__'), content);
          await this.spool.append({ op: 'artifact', runId: id, artifactPath: f.rel, file }, this.now());
          r = { artifactPath: f.rel, storedAt: 'local', location: file };
        }
        result = files.length === 1 ? r : { artifactPath: rootRel, storedAt: r.storedAt, location: r.location };
      }
      return result;
    });
  }

  // ---- spool -------------------------------------------------------------------------------

  private substitute(body: Record<string, unknown>): Record<string, unknown> {
    const out = { ...body };
    for (const field of ['run_id', 'experiment_id'] as const) {
      const v = out[field];
      if (isPlaceholder(v)) {
        const real = this.aliases.get(v);
        if (!real)
          throw new TrackingError(`spool refers to ${v}, which no earlier spool entry creates`, 'INVALID_STATE');
        out[field] = real;
      }
    }
    return out;
  }

  /**
   * Replay the spool in order. Stops at the first call the server still cannot take (the rest stays
   * spooled); a call the server rejects (4xx) is reported, kept in `<spool>.rejected.jsonl`, and
   * skipped. When everything went through, later writes go to the server again.
   */
  async flushSpool(): Promise<FlushSpoolResult> {
    return this.serial(async () => {
      const lines = await this.spool.read();
      let replayed = 0;
      const wasOffline = this.offline;
      this.offline = false; // replay talks to the server directly (e.g. the local-artifacts tag)
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        try {
          switch (line.op) {
            case 'alias':
              this.aliases.set(line.placeholder, line.id);
              break;
            case 'experiment':
              this.aliases.set(line.placeholder, await this.getOrCreateOnline(line.name, line.tags));
              break;
            case 'createRun': {
              const res = await this.http.call<{ run: RunJson }>('POST', 'runs/create', this.substitute(line.body));
              const info = runInfoFromJson(res.run.info);
              this.aliases.set(line.placeholder, info.runId);
              this.artifactUris.set(info.runId, info.artifactUri);
              break;
            }
            case 'call':
              await this.http.call('POST', line.endpoint, this.substitute(line.body));
              break;
            case 'artifact': {
              const runId = this.resolveId(line.runId);
              if (isPlaceholder(runId))
                throw new TrackingError(
                  `spool refers to ${runId}, which no earlier spool entry creates`,
                  'INVALID_STATE',
                );
              await this.uploadOnline(runId, line.artifactPath, await fs.readFile(line.file));
              break;
            }
          }
          replayed++;
        } catch (e) {
          if (e instanceof TrackingUnreachableError) {
            const aliases: SpoolLine[] = [...this.aliases].map(([placeholder, id]) => ({
              v: 1,
              at: this.now(),
              op: 'alias',
              placeholder,
              id,
            }));
            const rest = lines.slice(i).filter((l) => l.op !== 'alias');
            await this.spool.rewrite([...aliases, ...rest]);
            this.offline = wasOffline || rest.length > 0;
            return { replayed, remaining: rest.length, spoolPath: this.spool.file };
          }
          const rejected = `${this.spool.file}.rejected.jsonl`;
          await fs.appendFile(rejected, JSON.stringify({ ...line, error: (e as Error).message }) + '\n');
          this.log(
            `[ecode tracking] spooled ${line.op} rejected by ${this.uri}: ${(e as Error).message} (kept in ${rejected})`,
          );
        }
      }
      await this.spool.rewrite([]);
      this.offline = false;
      return { replayed, remaining: 0, spoolPath: this.spool.file };
    });
  }

  runLink(experimentId: string, runId: string): string {
    return `${this.uri}/#/experiments/${this.resolveId(experimentId)}/runs/${this.resolveId(runId)}`;
  }
}
