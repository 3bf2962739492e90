/**
 * The shapes shared by both stores: MLflow's entities (Experiment, RunInfo, RunData, Metric) with
 * JavaScript field names, and the `Tracker` verbs the experiments runner uses.
 */

/** MLflow's RunStatus. The file store keeps the integer, REST uses the name. */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export const RUN_STATUS_CODES: Record<RunStatus, number> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};
export function runStatusFromCode(code: number): RunStatus {
  const found = (Object.keys(RUN_STATUS_CODES) as RunStatus[]).find((k) => RUN_STATUS_CODES[k] === code);
  if (!found) throw new Error(`unknown MLflow run status code ${code} (known: 1..5)`);
  return found;
}
export function isRunStatus(s: unknown): s is RunStatus {
  return typeof s === 'string' && s in RUN_STATUS_CODES;
}

export type LifecycleStage = 'active' | 'deleted';

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime?: number;
  lastUpdateTime?: number;
  tags: Record<string, string>;
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

/** One logged metric point. `timestamp` is Unix milliseconds; `step` defaults to 0. */
export interface MetricPoint {
  key: string;
  value: number;
  step?: number;
  timestamp?: number;
}
export interface Metric {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export interface Run {
  info: RunInfo;
  data: {
    /** The latest value of each metric (max by step, then timestamp, then value, as MLflow). */
    metrics: Record<string, Metric>;
    params: Record<string, string>;
    tags: Record<string, string>;
  };
}

/** Param values are stored as text; numbers and booleans are written with `String(v)`. */
export type ParamValue = string | number | boolean;

export interface StartRunOptions {
  experimentId: string;
  runName?: string;
  tags?: Record<string, string>;
  /** Unix ms; defaults to the tracker's clock. */
  startTime?: number;
  /**
   * Add mlflow.user, mlflow.source.name, mlflow.source.type and mlflow.source.git.commit (when
   * known), as MLflow's Python client does. Default true; explicit `tags` win.
   */
  sourceTags?: boolean;
}

export interface SearchRunsQuery {
  experimentIds: string[];
  /** Every tag must equal the given value. */
  tags?: Record<string, string>;
  status?: RunStatus;
  /** Default 1000. */
  maxResults?: number;
}

/** What `logArtifact` accepts: a local file or folder, or named in-memory content. */
export type ArtifactSource = string | { name: string; content: string | Uint8Array };

export interface ArtifactResult {
  /** Artifact path inside the run's artifact root. */
  artifactPath: string;
  /** Where the bytes went: `tracker` (the run's artifact store) or `local` (the tracker could not take them). */
  storedAt: 'tracker' | 'local';
  /** The local path when `storedAt` is `local`, or the file store path. */
  location: string;
}

export interface FlushSpoolResult {
  replayed: number;
  remaining: number;
  spoolPath: string;
}

/** Which store a tracker writes to. */
export type TrackerKind = 'file' | 'rest';

/**
 * Small verbs over a tracking store. Both `FileStoreTracker` and `RestTracker` implement it; the
 * experiments runner only uses this.
 */
export interface Tracker {
  readonly kind: TrackerKind;
  /** The tracking URI it writes to (`file:///abs/mlruns` or `http(s)://...`). */
  readonly uri: string;
  getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string>;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  startRun(options: StartRunOptions): Promise<RunHandle>;
  logParams(runId: string, params: Record<string, ParamValue>): Promise<void>;
  logMetrics(runId: string, metrics: MetricPoint[]): Promise<void>;
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  logArtifact(runId: string, source: ArtifactSource, artifactDir?: string): Promise<ArtifactResult>;
  endRun(runId: string, status?: RunStatus, endTime?: number): Promise<void>;
  getRun(runId: string): Promise<Run>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  searchRuns(query: SearchRunsQuery): Promise<Run[]>;
  /** Replay calls spooled while the server was unreachable (REST); a no-op for the file store. */
  flushSpool(): Promise<FlushSpoolResult>;
  /** A link or path a person can open to see the run. */
  runLink(experimentId: string, runId: string): string;
}

/** A started run: the tracker's verbs bound to one run id, plus a metric buffer. */
export interface RunHandle {
  readonly runId: string;
  readonly experimentId: string;
  readonly info: RunInfo;
  logParams(params: Record<string, ParamValue>): Promise<void>;
  /** Log now (batched into as few requests as the limits allow). */
  logMetrics(metrics: MetricPoint[]): Promise<void>;
  /** Buffer one point; sent when the buffer is full, on `flush()` and on `end()`. */
  logMetric(key: string, value: number, step?: number): Promise<void>;
  flush(): Promise<void>;
  setTags(tags: Record<string, string>): Promise<void>;
  logArtifact(source: ArtifactSource, artifactDir?: string): Promise<ArtifactResult>;
  /** Flush buffered metrics and set the final status (default FINISHED). */
  end(status?: RunStatus): Promise<void>;
}
