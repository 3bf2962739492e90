/** `RunHandle`: a tracker's verbs bound to one run, with a metric buffer for per-step logging. */
import type {
  ArtifactResult,
  ArtifactSource,
  MetricPoint,
  ParamValue,
  RunHandle,
  RunInfo,
  RunStatus,
  Tracker,
} from './types.js';

export class BoundRun implements RunHandle {
  private buffer: MetricPoint[] = [];
  private ended = false;
  constructor(
    private readonly tracker: Tracker,
    readonly info: RunInfo,
    private readonly options: { bufferSize?: number; now?: () => number } = {},
  ) {}
  get runId(): string {
    return this.info.runId;
  }
  get experimentId(): string {
    return this.info.experimentId;
  }
  logParams(params: Record<string, ParamValue>): Promise<void> {
    return this.tracker.logParams(this.runId, params);
  }
  logMetrics(metrics: MetricPoint[]): Promise<void> {
    return this.tracker.logMetrics(this.runId, metrics);
  }
  async logMetric(key: string, value: number, step = 0): Promise<void> {
    this.buffer.push({ key, value, step, timestamp: (this.options.now ?? Date.now)() });
    if (this.buffer.length >= (this.options.bufferSize ?? 100)) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const points = this.buffer;
    this.buffer = [];
    await this.tracker.logMetrics(this.runId, points);
  }
  setTags(tags: Record<string, string>): Promise<void> {
    return this.tracker.setTags(this.runId, tags);
  }
  logArtifact(source: ArtifactSource, artifactDir?: string): Promise<ArtifactResult> {
    return this.tracker.logArtifact(this.runId, source, artifactDir);
  }
  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    if (this.ended) return;
    await this.flush();
    await this.tracker.endRun(this.runId, status);
    this.ended = true;
  }
}
