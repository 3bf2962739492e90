/**
 * Tracking throughput: the MLflow file store (write-through and buffered metric logging, getRun,
 * searchRuns over many runs) and the REST client against the stub server on 127.0.0.1 (log-batch
 * splitting, spooling while the server is down, replay). Prints JSON.
 * Usage: npx tsx tools/bench/tracking/tracking-throughput.ts [points=5000] [runs=50]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileStoreTracker, RestTracker, StubMlflowServer } from '@ecode/tracking';

const points = Number(process.argv[2] ?? 5000);
const runsN = Number(process.argv[3] ?? 50);
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ecode-bench-tracking-'));
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
const result: Record<string, unknown> = { points, runs: runsN, node: process.version, cpus: os.cpus().length };

try {
  // file store
  for (const buffer of [1, 100]) {
    const fsTracker = new FileStoreTracker({
      root: path.join(tmp, `mlruns-${buffer}`),
      metricBufferSize: buffer,
      sourceTags: () => ({}),
    });
    const exp = await fsTracker.getOrCreateExperiment('bench');
    const run = await fsTracker.startRun({ experimentId: exp });
    let t0 = performance.now();
    for (let i = 0; i < points; i++) await run.logMetric('loss', 1 / (i + 1), i);
    await run.end();
    const logMs = ms(t0);
    t0 = performance.now();
    const history = await fsTracker.getMetricHistory(run.runId, 'loss');
    result[`file_buffer${buffer}`] = {
      log_ms: logMs,
      points_per_s: Math.round((points / logMs) * 1000),
      history_read_ms: ms(t0),
      history_len: history.length,
    };
  }
  const store = new FileStoreTracker({ root: path.join(tmp, 'mlruns-search'), sourceTags: () => ({}) });
  const exp = await store.getOrCreateExperiment('bench');
  let t0 = performance.now();
  for (let r = 0; r < runsN; r++) {
    const run = await store.startRun({ experimentId: exp, tags: { 'ecode.config_hash': `h${r}` } });
    await run.logParams(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, String(i)])));
    await run.logMetrics(Array.from({ length: 20 }, (_, i) => ({ key: `m${i}`, value: i, step: 0 })));
    await run.end();
  }
  const createMs = ms(t0);
  t0 = performance.now();
  const found = await store.searchRuns({
    experimentIds: [exp],
    tags: { 'ecode.config_hash': `h${runsN - 1}` },
    status: 'FINISHED',
  });
  result.file_search = { create_runs_ms: createMs, search_ms: ms(t0), found: found.length };

  // REST against the stub
  const server = await new StubMlflowServer().start();
  const rest = new RestTracker({
    uri: server.uri,
    spoolPath: path.join(tmp, 'spool.jsonl'),
    log: () => {},
    maxRetries: 1,
    backoffMs: 5,
    sourceTags: () => ({}),
  });
  const rexp = await rest.getOrCreateExperiment('bench');
  const rrun = await rest.startRun({ experimentId: rexp });
  const before = rest.http.requests;
  t0 = performance.now();
  for (let i = 0; i < points; i++) await rrun.logMetric('loss', i % 7 === 0 ? NaN : 1 / (i + 1), i);
  await rrun.flush();
  const restMs = ms(t0);
  result.rest_buffered = {
    log_ms: restMs,
    points_per_s: Math.round((points / restMs) * 1000),
    requests: rest.http.requests - before,
  };
  t0 = performance.now();
  await rrun.logMetrics(Array.from({ length: points }, (_, i) => ({ key: 'bulk', value: i, step: i })));
  result.rest_one_call = { log_ms: ms(t0), log_batch_requests: Math.ceil(points / 1000) };
  await server.stop();
  t0 = performance.now();
  for (let i = 0; i < 1000; i++) await rrun.logMetric('offline', i, i);
  await rrun.end();
  const spoolMs = ms(t0);
  await server.restart();
  t0 = performance.now();
  const flushed = await rest.flushSpool();
  result.rest_spool = { spool_ms_incl_first_failure: spoolMs, flush_ms: ms(t0), ...flushed, spoolPath: undefined };
  await server.stop();
} finally {
  await fs.rm(tmp, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
