/**
 * Split metrics, params and tags into `runs/log-batch` requests within MLflow's server limits:
 * at most 1000 metrics, 100 params, 100 tags and 1000 entities in all per request, a JSON body
 * under 1 MB, and param keys unique within one request. Order within each kind is kept.
 */
import {
  MAX_BATCH_LOG_REQUEST_SIZE,
  MAX_ENTITIES_PER_BATCH,
  MAX_METRICS_PER_BATCH,
  MAX_PARAMS_TAGS_PER_BATCH,
} from './validation.js';
import type { Metric } from './types.js';

export interface KeyValue {
  key: string;
  value: string;
}

export interface LogBatch {
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

export interface BatchLimits {
  maxMetrics: number;
  maxParams: number;
  maxTags: number;
  maxEntities: number;
  maxBytes: number;
}

export const MLFLOW_BATCH_LIMITS: BatchLimits = {
  maxMetrics: MAX_METRICS_PER_BATCH,
  maxParams: MAX_PARAMS_TAGS_PER_BATCH,
  maxTags: MAX_PARAMS_TAGS_PER_BATCH,
  maxEntities: MAX_ENTITIES_PER_BATCH,
  maxBytes: MAX_BATCH_LOG_REQUEST_SIZE,
};

/** A metric value as JSON: finite numbers as numbers, NaN and the infinities as protobuf's strings. */
export function metricValueJson(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** The wire form of one metric. */
export function metricJson(m: Metric): { key: string; value: number | string; timestamp: number; step: number } {
  return { key: m.key, value: metricValueJson(m.value), timestamp: m.timestamp, step: m.step };
}

function entityBytes(e: unknown): number {
  return Buffer.byteLength(JSON.stringify(e)) + 1;
}

/**
 * Params go first (a run's params are usually logged once, at the start), then tags, then metrics.
 * A param key repeated in the input starts a new batch so that keys stay unique per request.
 */
export function splitLogBatch(input: LogBatch, limits: BatchLimits = MLFLOW_BATCH_LIMITS): LogBatch[] {
  const out: LogBatch[] = [];
  const overhead = 120; // {"run_id":"<up to 256>","metrics":[],"params":[],"tags":[]} minus the id
  let cur: LogBatch = { metrics: [], params: [], tags: [] };
  let bytes = overhead;
  let paramKeys = new Set<string>();
  const total = () => cur.metrics.length + cur.params.length + cur.tags.length;
  const flush = () => {
    if (total() > 0) out.push(cur);
    cur = { metrics: [], params: [], tags: [] };
    bytes = overhead;
    paramKeys = new Set();
  };
  const fits = (size: number) => total() + 1 <= limits.maxEntities && bytes + size <= limits.maxBytes;
  for (const p of input.params) {
    const size = entityBytes(p);
    if (cur.params.length >= limits.maxParams || !fits(size) || paramKeys.has(p.key)) flush();
    cur.params.push(p);
    paramKeys.add(p.key);
    bytes += size;
  }
  for (const t of input.tags) {
    const size = entityBytes(t);
    if (cur.tags.length >= limits.maxTags || !fits(size)) flush();
    cur.tags.push(t);
    bytes += size;
  }
  for (const m of input.metrics) {
    const size = entityBytes(metricJson(m));
    if (cur.metrics.length >= limits.maxMetrics || !fits(size)) flush();
    cur.metrics.push(m);
    bytes += size;
  }
  flush();
  return out;
}
