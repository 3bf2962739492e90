/**
 * `FileStoreTracker`: writes and reads MLflow's local file store (`mlruns/`), the format of
 * mlflow/store/tracking/file_store.py, so `mlflow ui --backend-store-uri ./mlruns` shows the runs.
 *
 *   mlruns/.trash/  mlruns/0/meta.yaml (Default)
 *   mlruns/<exp>/meta.yaml, tags/<key>
 *   mlruns/<exp>/<run>/meta.yaml, metrics/<key> ("<ms> <value> <step>" lines), params/<key>,
 *                      tags/<key> (raw values, no newline), artifacts/
 *
 * Safe for several processes on one store: experiment creation is serialised by a lock file,
 * run folders have unique ids, metric lines are appended in single writes, and meta.yaml, params
 * and tags are replaced atomically (temporary file + rename).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TrackingError } from './errors.js';
import { appendToUri, fileUriToPath, pathToFileUri } from './file-uri.js';
import { withFileLock } from './file-lock.js';
import { newExperimentId, newRunId } from './ids.js';
import { dumpFlatYaml, parseFlatYaml, type FlatYaml } from './pyyaml.js';
import { parsePythonFloat, pythonFloatRepr } from './python-float.js';
import { BoundRun } from './run-handle.js';
import { defaultSourceTags } from './source-tags.js';
import { MLFLOW_RUN_NAME, MLFLOW_USER } from './tags.js';
import {
  RUN_STATUS_CODES,
  runStatusFromCode,
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
import {
  paramText,
  validateExperimentId,
  validateExperimentName,
  validateKey,
  validateMetric,
  validateRunId,
  validateValueLength,
} from './validation.js';

export interface FileStoreOptions {
  /** Store root: a path or `file:` URI. Default `./mlruns`. */
  root?: string;
  /** Clock in Unix ms (tests pass a fixed one). */
  now?: () => number;
  newRunId?: () => string;
  newExperimentId?: () => string;
  /** Context tags added to each run unless StartRunOptions.sourceTags is false. */
  sourceTags?: () => Record<string, string>;
  /** Metric points buffered by a RunHandle before a write. Default 1 (write through). */
  metricBufferSize?: number;
}

const TRASH = '.trash';
const MODELS = 'models';
const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces']);
const DEFAULT_EXPERIMENT_ID = '0';
const DEFAULT_EXPERIMENT_NAME = 'Default';
const EXPERIMENT_LOCK = '.ecode-experiments.lock';

function tmpName(dir: string): string {
  return path.join(dir, `.ecode-tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

async function writeAtomic(target: string, content: string | Uint8Array, tmpDir = path.dirname(target)): Promise<void> {
  const tmp = tmpName(tmpDir);
  await fs.writeFile(tmp, content);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(tmp, target);
}

/** Files under `dir` (recursively) as '/'-joined relative paths: MLflow's os.walk over tags/params/metrics. */
async function walkKeys(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, prefix: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const entry of entries) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(d, entry.name), rel);
      else if (entry.isFile()) out.push(rel);
    }
  }
  await walk(dir, '');
  return out.sort();
}

function experimentFromMeta(meta: FlatYaml, tags: Record<string, string>, where: string): Experiment {
  const id = meta.experiment_id;
  if (id === undefined || id === null || typeof meta.name !== 'string') {
    throw new TrackingError(`${where}: experiment meta.yaml lacks experiment_id or name`, 'INVALID_STATE');
  }
  return {
    experimentId: String(id),
    name: meta.name,
    artifactLocation: String(meta.artifact_location ?? ''),
    lifecycleStage: meta.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    creationTime: typeof meta.creation_time === 'number' ? meta.creation_time : undefined,
    lastUpdateTime: typeof meta.last_update_time === 'number' ? meta.last_update_time : undefined,
    tags,
  };
}

function runInfoFromMeta(meta: FlatYaml, where: string): RunInfo {
  const runId = meta.run_id ?? meta.run_uuid;
  if (typeof runId !== 'string' || meta.experiment_id === undefined || meta.experiment_id === null) {
    throw new TrackingError(`${where}: run meta.yaml lacks run_id or experiment_id`, 'INVALID_STATE');
  }
  const status = typeof meta.status === 'number' ? runStatusFromCode(meta.status) : 'RUNNING';
  return {
    runId,
    runName: typeof meta.run_name === 'string' ? meta.run_name : '',
    experimentId: String(meta.experiment_id),
    userId: typeof meta.user_id === 'string' ? meta.user_id : String(meta.user_id ?? ''),
    status,
    startTime: typeof meta.start_time === 'number' ? meta.start_time : 0,
    endTime: typeof meta.end_time === 'number' ? meta.end_time : null,
    artifactUri: typeof meta.artifact_uri === 'string' ? meta.artifact_uri : '',
    lifecycleStage: meta.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
  };
}

/** MLflow's `_make_persisted_run_info_dict`. `deletedTime` is written only when given (as MLflow). */
function runMeta(info: RunInfo, deletedTime?: number | null): FlatYaml {
  const meta: FlatYaml = {
    artifact_uri: info.artifactUri,
    end_time: info.endTime,
    entry_point_name: '',
    experiment_id: info.experimentId,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
    run_name: info.runName,
    run_uuid: info.runId,
    source_name: '',
    source_type: 4,
    source_version: '',
    start_time: info.startTime,
    status: RUN_STATUS_CODES[info.status],
    tags: [],
    user_id: info.userId,
  };
  if (deletedTime !== undefined) meta.deleted_time = deletedTime;
  return meta;
}

function parseMetricLine(key: string, line: string, where: string): Metric {
  const parts = line.trim().split(' ');
  if (parts.length !== 2 && parts.length !== 3) {
    throw new TrackingError(
      `Metric '${key}' is malformed; persisted metric data contained ${parts.length} fields. Expected 2 or 3 fields. (${where})`,
      'INTERNAL_ERROR',
    );
  }
  return {
    key,
    timestamp: Number.parseInt(parts[0], 10),
    value: parsePythonFloat(parts[1]),
    step: parts.length === 3 ? Number.parseInt(parts[2], 10) : 0,
  };
}

/** MLflow's latest metric: max by (step, timestamp, value). */
function latest(a: Metric, b: Metric): Metric {
  if (a.step !== b.step) return a.step > b.step ? a : b;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp ? a : b;
  return b.value > a.value ? b : a;
}

function safeArtifactPath(p: string, where: string): string {
  const norm = path.posix.normalize(p.replace(/\\/g, '/'));
  if (p === '' || norm.startsWith('..') || norm.startsWith('/') || norm === '.') {
    throw new TrackingError(
      `${where}: artifact path '${p}' must be relative and stay inside the run's artifacts`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  return norm;
}

export class FileStoreTracker implements Tracker {
  readonly kind = 'file' as const;
  readonly root: string;
  readonly uri: string;
  private readonly now: () => number;
  private readonly makeRunId: () => string;
  private readonly makeExperimentId: () => string;
  private readonly contextTags: () => Record<string, string>;
  private readonly runDirs = new Map<string, string>();
  private readonly activeChecked = new Map<string, number>();
  private initialised = false;

  constructor(private readonly options: FileStoreOptions = {}) {
    this.root = fileUriToPath(options.root ?? './mlruns');
    this.uri = pathToFileUri(this.root);
    this.now = options.now ?? Date.now;
    this.makeRunId = options.newRunId ?? newRunId;
    this.makeExperimentId = options.newExperimentId ?? newExperimentId;
    this.contextTags = options.sourceTags ?? defaultSourceTags;
  }

  /** Create the root, `.trash` and the Default experiment `0` as MLflow's FileStore does. */
  async init(): Promise<void> {
    if (this.initialised) return;
    await fs.mkdir(path.dirname(this.root), { recursive: true });
    let created = false;
    try {
      await fs.mkdir(this.root);
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const stat = await fs.stat(this.root);
      if (!stat.isDirectory()) throw new TrackingError(`'${this.root}' is not a directory.`, 'INVALID_STATE');
    }
    if (created) await this.writeExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME);
    await fs.mkdir(path.join(this.root, TRASH), { recursive: true });
    this.initialised = true;
  }

  private async writeExperiment(id: string, name: string, tags?: Record<string, string>): Promise<void> {
    const dir = path.join(this.root, id);
    await fs.mkdir(dir);
    const t = this.now();
    const meta: FlatYaml = {
      artifact_location: appendToUri(this.uri, id),
      creation_time: t,
      experiment_id: id,
      last_update_time: t,
      lifecycle_stage: 'active',
      name,
    };
    await writeAtomic(path.join(dir, 'meta.yaml'), dumpFlatYaml(meta));
    for (const [key, value] of Object.entries(tags ?? {})) {
      validateKey('tag', key);
      validateValueLength('tag', key, value);
      await writeAtomic(path.join(dir, 'tags', key), value, dir);
    }
  }

  private async readExperimentDir(dir: string): Promise<Experiment> {
    const metaPath = path.join(dir, 'meta.yaml');
    const meta = parseFlatYaml(await fs.readFile(metaPath, 'utf8'), metaPath);
    const tags: Record<string, string> = {};
    for (const key of await walkKeys(path.join(dir, 'tags')))
      tags[key] = await fs.readFile(path.join(dir, 'tags', key), 'utf8');
    return experimentFromMeta(meta, tags, metaPath);
  }

  /** Every readable experiment; `deleted` ones come from `.trash`. Malformed folders are skipped. */
  async listExperiments(includeDeleted = false): Promise<Experiment[]> {
    await this.init();
    const out: Experiment[] = [];
    const parents: string[] = [this.root];
    if (includeDeleted) parents.push(path.join(this.root, TRASH));
    for (const parent of parents) {
      let entries;
      try {
        entries = await fs.readdir(parent, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory() || e.name === TRASH || (parent === this.root && e.name === MODELS)) continue;
        try {
          const exp = await this.readExperimentDir(path.join(parent, e.name));
          if (exp.experimentId === e.name) out.push(exp);
        } catch {
          // half-written or foreign folder: MLflow skips these with a warning too
        }
      }
    }
    return out;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    validateExperimentId(experimentId);
    await this.init();
    for (const parent of [this.root, path.join(this.root, TRASH)]) {
      const dir = path.join(parent, experimentId);
      if (existsSync(path.join(dir, 'meta.yaml'))) return this.readExperimentDir(dir);
    }
    throw new TrackingError(
      `Could not find experiment with ID ${experimentId} in ${this.root}`,
      'RESOURCE_DOES_NOT_EXIST',
    );
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return (await this.listExperiments(false)).find((e) => e.name === name);
  }

  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    validateExperimentName(name);
    await this.init();
    const found = await this.getExperimentByName(name);
    if (found) return found.experimentId;
    return withFileLock(path.join(this.root, EXPERIMENT_LOCK), async () => {
      const all = await this.listExperiments(true);
      const existing = all.find((e) => e.name === name);
      if (existing?.lifecycleStage === 'deleted') {
        throw new TrackingError(
          `Experiment '${name}' already exists in deleted state (${path.join(this.root, TRASH, existing.experimentId)}). ` +
            'Restore it, or permanently delete it from the .trash folder, to use this name again.',
          'RESOURCE_ALREADY_EXISTS',
        );
      }
      if (existing) return existing.experimentId;
      let id = this.makeExperimentId();
      for (
        let tries = 1;
        existsSync(path.join(this.root, id)) || existsSync(path.join(this.root, TRASH, id));
        tries++
      ) {
        if (tries >= 100)
          throw new TrackingError(
            `no free experiment id in ${this.root} after 100 tries (last '${id}')`,
            'INTERNAL_ERROR',
          );
        id = this.makeExperimentId();
      }
      validateExperimentId(id);
      await this.writeExperiment(id, name, tags);
      return id;
    });
  }

  async startRun(options: StartRunOptions): Promise<RunHandle> {
    const experiment = await this.getExperiment(options.experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw new TrackingError(
        `Could not create run under non-active experiment with ID ${options.experimentId}.`,
        'INVALID_STATE',
      );
    }
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
    const runId = this.makeRunId();
    validateRunId(runId);
    const runName = options.runName || tagName || `run-${runId.slice(0, 8)}`;
    tags[MLFLOW_RUN_NAME] = runName;
    for (const [k, v] of Object.entries(tags)) {
      validateKey('tag', k);
      validateValueLength('tag', k, v);
    }
    const info: RunInfo = {
      runId,
      runName,
      experimentId: experiment.experimentId,
      userId: tags[MLFLOW_USER] ?? 'unknown',
      status: 'RUNNING',
      startTime: options.startTime ?? this.now(),
      endTime: null,
      artifactUri: appendToUri(experiment.artifactLocation, runId, 'artifacts'),
      lifecycleStage: 'active',
    };
    const expDir = path.join(this.root, experiment.experimentId);
    const runDir = path.join(expDir, runId);
    await fs.mkdir(runDir);
    // MLflow writes meta.yaml with deleted_time: null, then rewrites it without that key when it sets
    // the mlflow.runName tag inside create_run; the file a finished create_run leaves is this one.
    await writeAtomic(path.join(runDir, 'meta.yaml'), dumpFlatYaml(runMeta(info)));
    for (const sub of ['metrics', 'params', 'artifacts']) await fs.mkdir(path.join(runDir, sub));
    this.runDirs.set(runId, runDir);
    for (const [k, v] of Object.entries(tags)) await writeAtomic(path.join(runDir, 'tags', k), v, runDir);
    return new BoundRun(this, info, { bufferSize: this.options.metricBufferSize ?? 1, now: this.now });
  }

  /** The folder of a run, searched in every experiment (active and deleted) as MLflow does. */
  async runDir(runId: string): Promise<string> {
    validateRunId(runId);
    const cached = this.runDirs.get(runId);
    if (cached && existsSync(cached)) return cached;
    await this.init();
    for (const parent of [this.root, path.join(this.root, TRASH)]) {
      let entries;
      try {
        entries = await fs.readdir(parent, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory() || e.name === TRASH) continue;
        const candidate = path.join(parent, e.name, runId);
        if (existsSync(path.join(candidate, 'meta.yaml'))) {
          this.runDirs.set(runId, candidate);
          return candidate;
        }
      }
    }
    throw new TrackingError(`Run '${runId}' not found in ${this.root}`, 'RESOURCE_DOES_NOT_EXIST');
  }

  private async readRunInfo(runDir: string): Promise<RunInfo> {
    const metaPath = path.join(runDir, 'meta.yaml');
    const info = runInfoFromMeta(parseFlatYaml(await fs.readFile(metaPath, 'utf8'), metaPath), metaPath);
    const expFolder = path.basename(path.dirname(runDir));
    if (info.experimentId !== expFolder) {
      throw new TrackingError(
        `Run '${info.runId}' metadata is in invalid state (${metaPath} names experiment ${info.experimentId}).`,
        'INVALID_STATE',
      );
    }
    return info;
  }

  /** The run's folder after checking it is active (re-checked at most once a second per run). */
  private async activeRunDir(runId: string): Promise<string> {
    const dir = await this.runDir(runId);
    const checked = this.activeChecked.get(runId);
    if (checked !== undefined && Date.now() - checked < 1000) return dir;
    const info = await this.readRunInfo(dir);
    if (info.lifecycleStage !== 'active') {
      throw new TrackingError(`The run ${runId} must be in 'active' lifecycle_stage.`, 'INVALID_PARAMETER_VALUE');
    }
    this.activeChecked.set(runId, Date.now());
    return dir;
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    const entries = Object.entries(params).map(([k, v]) => {
      validateKey('param', k);
      const text = paramText(k, v);
      validateValueLength('param', k, text);
      return [k, text] as const;
    });
    if (entries.length === 0) return;
    const dir = await this.activeRunDir(runId);
    for (const [key, value] of entries) {
      const p = path.join(dir, 'params', key);
      let current: string | undefined;
      try {
        current = await fs.readFile(p, 'utf8');
      } catch {
        current = undefined;
      }
      if (current !== undefined) {
        if (current !== value) {
          throw new TrackingError(
            `Changing param values is not allowed. Param with key='${key}' was already logged with value='${current}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
            'INVALID_PARAMETER_VALUE',
          );
        }
        continue;
      }
      await writeAtomic(p, value, dir);
    }
  }

  async logMetrics(runId: string, metrics: MetricPoint[]): Promise<void> {
    if (metrics.length === 0) return;
    const t = this.now();
    const full: Metric[] = metrics.map((m) => ({
      key: m.key,
      value: m.value,
      step: m.step ?? 0,
      timestamp: m.timestamp ?? t,
    }));
    full.forEach(validateMetric);
    const dir = await this.activeRunDir(runId);
    const byKey = new Map<string, string>();
    for (const m of full)
      byKey.set(m.key, (byKey.get(m.key) ?? '') + `${m.timestamp} ${pythonFloatRepr(m.value)} ${m.step}\n`);
    for (const [key, lines] of byKey) {
      const p = path.join(dir, 'metrics', key);
      if (key.includes('/')) await fs.mkdir(path.dirname(p), { recursive: true });
      await fs.appendFile(p, lines);
    }
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    const entries = Object.entries(tags);
    for (const [k, v] of entries) {
      validateKey('tag', k);
      if (typeof v !== 'string')
        throw new TrackingError(`tag '${k}' must be a string, got ${typeof v}`, 'INVALID_PARAMETER_VALUE');
      validateValueLength('tag', k, v);
    }
    if (entries.length === 0) return;
    const dir = await this.activeRunDir(runId);
    for (const [k, v] of entries) {
      await writeAtomic(path.join(dir, 'tags', k), v, dir);
      if (k === MLFLOW_RUN_NAME) {
        const info = await this.readRunInfo(dir);
        await this.rewriteRunMeta(dir, { ...info, runName: v });
      }
    }
  }

  private async rewriteRunMeta(dir: string, info: RunInfo): Promise<void> {
    await writeAtomic(path.join(dir, 'meta.yaml'), dumpFlatYaml(runMeta(info)));
  }

  async logArtifact(runId: string, source: ArtifactSource, artifactDir?: string): Promise<ArtifactResult> {
    const dir = await this.activeRunDir(runId);
    const info = await this.readRunInfo(dir);
    const root = info.artifactUri.startsWith('file:') ? fileUriToPath(info.artifactUri) : path.join(dir, 'artifacts');
    const where = `logArtifact(run ${runId})`;
    const name = typeof source === 'string' ? path.basename(path.resolve(source)) : source.name;
    const rel = safeArtifactPath(artifactDir ? `${artifactDir}/${name}` : name, where);
    const target = path.join(root, rel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (typeof source === 'string') {
      const stat = await fs.stat(source).catch(() => undefined);
      if (!stat) throw new TrackingError(`${where}: '${source}' does not exist`, 'INVALID_PARAMETER_VALUE');
      if (stat.isDirectory()) await fs.cp(source, target, { recursive: true });
      else await fs.copyFile(source, target);
    } else {
      await fs.writeFile(target, source.content);
    }
    return { artifactPath: rel, storedAt: 'tracker', location: target };
  }

  async endRun(runId: string, status: RunStatus = 'FINISHED', endTime?: number): Promise<void> {
    const dir = await this.activeRunDir(runId);
    const info = await this.readRunInfo(dir);
    await this.rewriteRunMeta(dir, { ...info, status, endTime: endTime ?? this.now() });
  }

  private async readTags(dir: string): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    for (const key of await walkKeys(path.join(dir, 'tags')))
      tags[key] = await fs.readFile(path.join(dir, 'tags', key), 'utf8');
    return tags;
  }

  /** Read a run; `keep` can reject it from its info and tags before params and metrics are read. */
  private async readRun(
    dir: string,
    keep?: (info: RunInfo, tags: Record<string, string>) => boolean,
  ): Promise<Run | undefined> {
    const info = await this.readRunInfo(dir);
    const tags = await this.readTags(dir);
    if (keep && !keep(info, tags)) return undefined;
    const metrics: Record<string, Metric> = {};
    for (const key of await walkKeys(path.join(dir, 'metrics'))) {
      const history = await this.readMetricFile(dir, key);
      if (history.length > 0) metrics[key] = history.reduce(latest);
    }
    const params: Record<string, string> = {};
    for (const key of await walkKeys(path.join(dir, 'params'))) {
      params[key] = await fs.readFile(path.join(dir, 'params', key), 'utf8');
    }
    if (!info.runName && tags[MLFLOW_RUN_NAME]) info.runName = tags[MLFLOW_RUN_NAME];
    return { info, data: { metrics, params, tags } };
  }

  private async readMetricFile(dir: string, key: string): Promise<Metric[]> {
    const p = path.join(dir, 'metrics', key);
    let text: string;
    try {
      text = await fs.readFile(p, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => parseMetricLine(key, l, p));
  }

  async getRun(runId: string): Promise<Run> {
    return (await this.readRun(await this.runDir(runId)))!;
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateKey('metric', key);
    return this.readMetricFile(await this.runDir(runId), key);
  }

  async searchRuns(query: SearchRunsQuery): Promise<Run[]> {
    await this.init();
    const runs: Run[] = [];
    for (const experimentId of query.experimentIds) {
      validateExperimentId(experimentId);
      const expDir = path.join(this.root, experimentId);
      let entries;
      try {
        entries = await fs.readdir(expDir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory() || RESERVED_EXPERIMENT_FOLDERS.has(e.name)) continue;
        const keep = (info: RunInfo, tags: Record<string, string>): boolean =>
          info.lifecycleStage === 'active' &&
          (!query.status || info.status === query.status) &&
          (!query.tags || Object.entries(query.tags).every(([k, v]) => tags[k] === v));
        let run: Run | undefined;
        try {
          run = await this.readRun(path.join(expDir, e.name), keep);
        } catch {
          continue; // a run being created by another process, or not a run folder
        }
        if (!run) continue;
        runs.push(run);
      }
    }
    runs.sort((a, b) => b.info.startTime - a.info.startTime || (a.info.runId < b.info.runId ? -1 : 1));
    return runs.slice(0, query.maxResults ?? 1000);
  }

  async flushSpool(): Promise<FlushSpoolResult> {
    return { replayed: 0, remaining: 0, spoolPath: '' };
  }

  runLink(experimentId: string, runId: string): string {
    return path.join(this.root, experimentId, runId);
  }
}
