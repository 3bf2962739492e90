import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RestTracker, type RestTrackerOptions } from './rest-tracker.js';
import { TAG_CONFIG_HASH, TAG_LOCAL_ARTIFACTS } from './tags.js';
import { StubMlflowServer, type StubOptions } from './testing/stub-mlflow-server.js';

let tmp: string;
let server: StubMlflowServer;
let logs: string[];
const sleeps: number[] = [];

async function setup(stub: StubOptions = {}, opts: Partial<RestTrackerOptions> = {}): Promise<RestTracker> {
  server = await new StubMlflowServer(stub).start();
  logs = [];
  sleeps.length = 0;
  return new RestTracker({
    uri: server.uri,
    spoolPath: path.join(tmp, 'spool.jsonl'),
    localArtifactDir: path.join(tmp, 'local-artifacts'),
    log: (l) => logs.push(l),
    sourceTags: () => ({ 'mlflow.user': 'tester' }),
    maxRetries: 3,
    backoffMs: 1,
    timeoutMs: 2000,
    seed: 7,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...opts,
  });
}

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ecode-rest-'));
});
afterEach(async () => {
  await server?.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

function batches(): Record<string, unknown>[] {
  return server.requests.filter((r) => r.path.endsWith('runs/log-batch')).map((r) => r.body as Record<string, unknown>);
}

describe('RestTracker against a stub MLflow server', () => {
  it('creates experiments once, runs, logs, ends and reads back', async () => {
    const t = await setup();
    const exp = await t.getOrCreateExperiment('ablation');
    expect(await t.getOrCreateExperiment('ablation')).toBe(exp);
    const run = await t.startRun({ experimentId: exp, runName: 'e-code', tags: { [TAG_CONFIG_HASH]: 'H1' } });
    await run.logParams({ lr: 0.001, layers: 2 });
    await run.logMetrics([
      { key: 'loss', value: 2, step: 0, timestamp: 1 },
      { key: 'loss', value: 1, step: 1, timestamp: 2 },
      { key: 'nan', value: NaN, step: 0, timestamp: 1 },
      { key: 'inf', value: -Infinity, step: 0, timestamp: 1 },
    ]);
    await run.end('FINISHED');
    const got = await t.getRun(run.runId);
    expect(got.info).toMatchObject({ runName: 'e-code', status: 'FINISHED', experimentId: exp, userId: 'tester' });
    expect(got.data.params).toEqual({ lr: '0.001', layers: '2' });
    expect(got.data.metrics.loss.value).toBe(1);
    expect(got.data.metrics.nan.value).toBeNaN();
    expect(got.data.metrics.inf.value).toBe(-Infinity);
    expect(got.data.tags['ecode.config_hash']).toBe('H1');
    // NaN and -Infinity travelled as strings, as protobuf JSON requires
    const sent = batches().flatMap((b) => b.metrics as { key: string; value: unknown }[]);
    expect(sent.find((m) => m.key === 'nan')!.value).toBe('NaN');
    expect(sent.find((m) => m.key === 'inf')!.value).toBe('-Infinity');
    expect(server.requests.filter((r) => r.path.includes('experiments/create'))).toHaveLength(1);
    expect(t.runLink(exp, run.runId)).toBe(`${server.uri}/#/experiments/${exp}/runs/${run.runId}`);
  });

  it('splits log-batch within the server limits (1000 metrics, 100 params, 1000 entities)', async () => {
    const t = await setup();
    const exp = await t.getOrCreateExperiment('big');
    const run = await t.startRun({ experimentId: exp });
    const params: Record<string, string> = {};
    for (let i = 0; i < 250; i++) params[`p${i}`] = String(i);
    await run.logParams(params);
    await run.logMetrics(
      Array.from({ length: 2500 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), step: i, timestamp: 5 })),
    );
    const sizes = batches().map((b) => [(b.params as unknown[]).length, (b.metrics as unknown[]).length]);
    expect(sizes).toEqual([
      [100, 0],
      [100, 0],
      [50, 0],
      [0, 1000],
      [0, 1000],
      [0, 500],
    ]);
    expect((await t.getMetricHistory(run.runId, 'loss')).length).toBe(2500);
    expect(Object.keys((await t.getRun(run.runId)).data.params)).toHaveLength(250);
  });

  it('retries 429 and 5xx with backoff, honouring Retry-After', async () => {
    const t = await setup();
    server.inject(
      { status: 429, match: 'get-by-name', retryAfter: '2' },
      { status: 500, match: 'get-by-name' },
      { status: 503, match: 'get-by-name' },
    );
    await t.getOrCreateExperiment('retry');
    expect(server.requests.filter((r) => r.path.includes('get-by-name'))).toHaveLength(4);
    expect(sleeps[0]).toBe(2000);
    expect(sleeps.slice(1).every((ms) => ms > 0 && ms < 10)).toBe(true);
  });

  it('retries a request that times out', async () => {
    const t = await setup({}, { timeoutMs: 150 });
    server.inject({ status: 200, match: 'experiments/create', delayMs: 400 });
    const id = await t.getOrCreateExperiment('slow');
    expect(id).toMatch(/^\d+$/);
  });

  it('reports a 4xx as an error naming the code, without retrying', async () => {
    const t = await setup();
    const run = await t.startRun({ experimentId: await t.getOrCreateExperiment('e') });
    await run.logParams({ lr: '0.1' });
    await expect(run.logParams({ lr: '0.2' })).rejects.toThrow(/INVALID_PARAMETER_VALUE: Changing param values/);
    expect(batches()).toHaveLength(2);
  });

  it('searchRuns finds the FINISHED run with a config hash (filter and pagination)', async () => {
    const t = await setup({ pageSize: 1 });
    const exp = await t.getOrCreateExperiment('sweep');
    const done = await t.startRun({ experimentId: exp, tags: { [TAG_CONFIG_HASH]: 'H' }, startTime: 10 });
    await done.end('FINISHED');
    const failed = await t.startRun({ experimentId: exp, tags: { [TAG_CONFIG_HASH]: 'H' }, startTime: 20 });
    await failed.end('FAILED');
    const found = await t.searchRuns({ experimentIds: [exp], tags: { [TAG_CONFIG_HASH]: 'H' }, status: 'FINISHED' });
    expect(found.map((r) => r.info.runId)).toEqual([done.runId]);
    const all = await t.searchRuns({ experimentIds: [exp] });
    expect(all.map((r) => r.info.runId)).toEqual([failed.runId, done.runId]);
    const search = server.requests.find((r) => r.path.endsWith('runs/search'))!.body as { filter: string };
    expect(search.filter).toBe("tags.`ecode.config_hash` = 'H' and attributes.status = 'FINISHED'");
  });

  it('uploads artifacts through the mlflow-artifacts proxy', async () => {
    const t = await setup();
    const run = await t.startRun({ experimentId: await t.getOrCreateExperiment('a') });
    const dir = path.join(tmp, 'gen');
    await fs.mkdir(path.join(dir, 'sub'), { recursive: true });
    await fs.writeFile(path.join(dir, 'x.txt'), 'x');
    await fs.writeFile(path.join(dir, 'sub', 'y.txt'), 'y');
    const r1 = await run.logArtifact({ name: 'config.yaml', content: 'seed: 1\n' });
    await run.logArtifact(dir, 'outputs');
    expect(r1.storedAt).toBe('tracker');
    const base = `${run.experimentId}/${run.runId}/artifacts`;
    expect(server.artifacts.get(`${base}/config.yaml`)!.toString()).toBe('seed: 1\n');
    expect(server.artifacts.get(`${base}/outputs/gen/x.txt`)!.toString()).toBe('x');
    expect(server.artifacts.get(`${base}/outputs/gen/sub/y.txt`)!.toString()).toBe('y');
  });

  it('keeps artifacts locally, says so and tags the run, when the server does not proxy them', async () => {
    const t = await setup({ serveArtifacts: false });
    const run = await t.startRun({ experimentId: await t.getOrCreateExperiment('a') });
    const r = await run.logArtifact({ name: 'report.md', content: '# r' });
    expect(r.storedAt).toBe('local');
    expect(await fs.readFile(r.location, 'utf8')).toBe('# r');
    expect(logs.join('\n')).toMatch(/kept on this machine/);
    expect((await t.getRun(run.runId)).data.tags[TAG_LOCAL_ARTIFACTS]).toBe(
      path.join(tmp, 'local-artifacts', run.runId),
    );
  });

  it('spools everything when the server goes away mid-run, and flushSpool replays it', async () => {
    const t = await setup({}, { autoFlush: false });
    const exp = await t.getOrCreateExperiment('flaky');
    const run = await t.startRun({ experimentId: exp, runName: 'r' });
    await run.logMetrics([{ key: 'loss', value: 3, step: 0, timestamp: 1 }]);
    await server.stop();
    await run.logMetrics([{ key: 'loss', value: 2, step: 1, timestamp: 2 }]);
    await run.logParams({ lr: '0.1' });
    await run.logArtifact({ name: 'gen.jsonl', content: '{"a":1}\n' });
    const run2 = await t.startRun({ experimentId: exp, runName: 'offline-run' });
    await run2.logMetric('loss', 9, 0);
    await run2.end('FINISHED');
    await run.end('FAILED');
    expect(t.isSpooling).toBe(true);
    expect(logs.filter((l) => l.includes('unreachable'))).toHaveLength(1);
    expect(logs[0]).toContain(path.join(tmp, 'spool.jsonl'));
    const spooled = (await fs.readFile(path.join(tmp, 'spool.jsonl'), 'utf8')).trim().split('\n');
    expect(spooled).toHaveLength(7);

    // still down: nothing replayed, nothing lost
    expect((await t.flushSpool()).remaining).toBe(7);
    await server.restart();
    const result = await t.flushSpool();
    expect(result).toMatchObject({ replayed: 7, remaining: 0 });
    expect(t.isSpooling).toBe(false);
    await expect(fs.stat(path.join(tmp, 'spool.jsonl'))).rejects.toThrow();

    const got = await t.getRun(run.runId);
    expect(got.info.status).toBe('FAILED');
    expect(got.data.params).toEqual({ lr: '0.1' });
    expect((await t.getMetricHistory(run.runId, 'loss')).map((m) => m.value)).toEqual([3, 2]);
    expect(server.artifacts.get(`${exp}/${run.runId}/artifacts/gen.jsonl`)!.toString()).toBe('{"a":1}\n');
    const realRun2 = t.resolveId(run2.runId);
    expect(realRun2).not.toBe(run2.runId);
    const got2 = await t.getRun(run2.runId);
    expect(got2.info).toMatchObject({ runName: 'offline-run', status: 'FINISHED', runId: realRun2 });
    expect(got2.data.metrics.loss.value).toBe(9);
    // back online: new calls go straight to the server
    await run.setTags({ after: 'yes' });
    expect((await t.getRun(run.runId)).data.tags.after).toBe('yes');
  });

  it('replays a spool from another process, experiment creation included', async () => {
    const t = await setup({}, { autoFlush: false });
    await server.stop();
    const exp = await t.getOrCreateExperiment('made-offline');
    expect(exp).toMatch(/^offline-/);
    const run = await t.startRun({ experimentId: exp, tags: { [TAG_CONFIG_HASH]: 'Z' } });
    await run.logParams({ a: 1 });
    await run.end();
    await server.restart();
    const later = new RestTracker({
      uri: server.uri,
      spoolPath: path.join(tmp, 'spool.jsonl'),
      log: () => {},
      maxRetries: 0,
    });
    expect(await later.flushSpool()).toMatchObject({ replayed: 4, remaining: 0 });
    const realExp = (await later.getExperimentByName('made-offline'))!.experimentId;
    const runs = await later.searchRuns({
      experimentIds: [realExp],
      tags: { [TAG_CONFIG_HASH]: 'Z' },
      status: 'FINISHED',
    });
    expect(runs).toHaveLength(1);
    expect(runs[0].data.params).toEqual({ a: '1' });
  });
});

describe('RestTracker races', () => {
  it('two trackers creating one experiment at once end up with the same id', async () => {
    const a = await setup();
    const b = new RestTracker({ uri: server.uri, spoolPath: path.join(tmp, 's2.jsonl'), log: () => {}, maxRetries: 0 });
    const [x, y] = await Promise.all([a.getOrCreateExperiment('race'), b.getOrCreateExperiment('race')]);
    expect(x).toBe(y);
    expect([...server.experiments.values()].filter((e) => e.name === 'race')).toHaveLength(1);
  });
});

describe('RestTracker auto flush', () => {
  it('replays the spool by itself when a run ends and the server answers again', async () => {
    const t = await setup();
    const run = await t.startRun({ experimentId: await t.getOrCreateExperiment('auto') });
    await server.stop();
    await run.logMetrics([{ key: 'loss', value: 1, step: 0, timestamp: 1 }]);
    expect(t.isSpooling).toBe(true);
    await server.restart();
    await run.end('FINISHED');
    expect(t.isSpooling).toBe(false);
    expect(logs.some((l) => /is back: replayed 2/.test(l))).toBe(true);
    const got = await t.getRun(run.runId);
    expect(got.info.status).toBe('FINISHED');
    expect(got.data.metrics.loss.value).toBe(1);
  });
});

describe('RestTracker validation', () => {
  it('rejects bad keys before sending anything (as a rejected promise)', async () => {
    const t = await setup();
    const run = await t.startRun({ experimentId: await t.getOrCreateExperiment('v') });
    const before = server.requests.length;
    await expect(run.logParams({ 'bad*key': 1 })).rejects.toThrow(/Invalid parameter name/);
    await expect(run.logMetrics([{ key: '../up', value: 1 }])).rejects.toThrow(/would resolve to/);
    await expect(t.startRun({ experimentId: '1', runName: 'a', tags: { 'mlflow.runName': 'b' } })).rejects.toThrow(
      /different values/,
    );
    expect(server.requests.length).toBe(before);
  });
});
