/**
 * Reports over runs of different origins: runs of two different sweep files (one a grid), named
 * by hash, folder and MLflow run id, with a baseline; the refusal to pair runs whose test problems
 * differ; `--experiment` with an MLflow filter. The run folders hold real resolved configs (from
 * the sweep files) and judged programs written here, so no model is trained.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalHash, loadSweep, resolveConfig, type SweepRun } from '@ecode/config';
import { createTracker, TAG_CONFIG_HASH, TAG_VARIANT } from '@ecode/tracking';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli.js';
import { reportCommand } from '../commands/report.js';
import { captureIo } from '../commands/test-io.js';
import { evaluatePrograms } from '@ecode/evaluation';
import { measureName } from './evaluate-stage.js';
import { writeRunsReport } from './report.js';
import { evaluationMetrics } from './run-experiment.js';
import type { JudgedRecord } from './evaluate-stage.js';

const CONFIGS = fileURLToPath(new URL('../../../configs/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ecode-report-runs-'));
const runsDir = join(dir, 'runs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = join(dir, 'base.yaml');
writeFileSync(
  base,
  `extends: ${join(CONFIGS, 'presets/tiny.yaml')}\nevaluation: { bootstrapSamples: 100, metrics: [allPassRate, passRate, speedup] }\n`,
);
writeFileSync(
  join(dir, 'yesterday.yaml'),
  `name: yesterday\nbase: base.yaml\nvariants:\n  e-code: { model: { variant: e-code } }\nseeds: [1, 2]\n`,
);
writeFileSync(
  join(dir, 'today.yaml'),
  `name: today\nbase: base.yaml\nvariants:\n  relu: ${join(CONFIGS, 'variants/relu.yaml')}\ngrid:\n  training.optimizer.lr: [1.0e-3, 5.0e-4]\nseeds: [1, 2]\n`,
);
const yesterday = loadSweep(join(dir, 'yesterday.yaml'));
const today = loadSweep(join(dir, 'today.yaml'));

/** A run folder with judged programs: `good` of every 4 problems solved, 2x faster. */
function writeRun(run: SweepRun, good: number, problems = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']): string {
  const root = join(runsDir, run.hash);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'config.json'), JSON.stringify(run.config, null, 2));
  writeFileSync(
    join(root, 'status.json'),
    JSON.stringify({
      hash: run.hash,
      name: run.name,
      variant: run.variant,
      seed: run.seed,
      state: 'FINISHED',
      stagesDone: [],
    }),
  );
  const judged: JudgedRecord[] = problems.flatMap((problemId, i) => {
    const ok = i % 4 < good;
    const record = (split?: 'held-out'): JudgedRecord => ({
      problemId: split ? `h-${problemId}` : problemId,
      sampleId: 0,
      verdicts: split ? ['wrong-answer'] : ok ? ['pass', 'pass'] : ['pass', 'wrong-answer'],
      cost: ok && !split ? 500 + 10 * i + run.seed : undefined,
      icCost: 1000,
      reference: `print(${problemId})`,
      generated: `print(${problemId})`,
      solutionIndex: 0,
      sample: 0,
      passRate: ok ? 1 : 0.5,
      compiled: 1,
      allPass: ok,
      details: [],
      ...(split ? { testSplit: split } : {}),
    });
    return [record(), record('held-out')];
  });
  writeFileSync(join(root, 'judged.jsonl'), judged.map((j) => JSON.stringify(j)).join('\n') + '\n');
  writeFileSync(
    join(root, 'train-metrics.jsonl'),
    [1, 2, 3].map((step) => JSON.stringify({ step, loss: 3 - step * (good / 4), lr: 1e-3 })).join('\n') + '\n',
  );
  return root;
}

for (const r of yesterday.runs) writeRun(r, 2);
today.runs.forEach((r) => writeRun(r, r.point[0].value === 1e-3 ? 3 : 1));

describe('ecode report --runs', () => {
  it('compares runs of two different sweeps (one a grid), pooling seeds, against a baseline', async () => {
    const [y1, y2] = yesterday.runs;
    const refs = [
      y1.hash.slice(0, 10), // a hash prefix
      join(runsDir, y2.hash), // a run folder
      ...today.runs.map((r) => r.hash),
    ];
    const report = await writeRunsReport(refs, { runsDir, outDir: join(dir, 'out'), baseline: y1.hash });
    expect(report.variants).toBe(3); // e-code (2 seeds) + relu at two learning rates (2 seeds each)
    expect(report.runs).toBe(6);
    const md = readFileSync(report.markdownPath, 'utf8');
    // the baseline comes first; the relu variants are told apart by their run names
    expect(md).toMatch(/\| metric \| e-code \(n=16\) \| relu-lr=0\.001 \(n=16\) \| relu-lr=5e-4 \(n=16\) \|/);
    expect(md).toMatch(/\| all-pass rate \| relu-lr=0\.001 \| e-code \| 0\.750 \| 0\.500 \| 0\.250 \[/);
    // the held-out split is the same for every variant: one line, no table
    expect(md).toContain(
      'held-out families (list-pop0-vs-deque, all-windows-vs-two-pointers): all-pass rate 0.000, IO pass rate (fractional) 0.000 and speedup IC/EC (failed or slower = 1) 1.000 for every variant',
    );
    expect(md).not.toContain('## Metrics: held-out');
    const html = readFileSync(report.htmlPath, 'utf8');
    expect(html.indexOf('<figure id="chart-headline">')).toBeLessThan(html.indexOf('<table'));
  });

  it('names runs by MLflow run id too, and refuses to pair runs whose test problems differ', async () => {
    const tracker = createTracker(`file:${join(dir, 'mlruns')}`);
    const exp = await tracker.getOrCreateExperiment('ecode');
    const [y1] = yesterday.runs;
    const mlRun = await tracker.startRun({
      experimentId: exp,
      runName: 'yesterday-e-code-s1',
      tags: { [TAG_CONFIG_HASH]: y1.hash, [TAG_VARIANT]: 'e-code' },
    });
    await mlRun.end('FINISHED');
    // another data set: same problem ids, other problems (their references differ)
    const other = {
      ...today.runs[0],
      hash: 'f'.repeat(64),
      config: { ...today.runs[0].config, training: { ...today.runs[0].config.training, maxSteps: 21 } },
    } as SweepRun;
    const root = writeRun(other, 2, ['p0', 'p1', 'p2', 'q3', 'q4', 'q5', 'q6', 'q7']);
    const c = captureIo();
    const code = await runCli(
      [reportCommand],
      [
        'report',
        '--runs',
        mlRun.runId,
        root,
        '--baseline',
        mlRun.runId,
        '--runs-dir',
        runsDir,
        '--tracking-uri',
        `file:${join(dir, 'mlruns')}`,
        '--out',
        join(dir, 'bad'),
      ],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.err()).toContain(
      'report: cannot pair variant relu with the baseline e-code: their in-family test problems differ',
    );
    expect(c.err()).toContain('relu: 8 problems, e-code: 8, 3 the same');
    expect(c.err()).toContain('only in relu: q3, q4, q5, ...');
    const bad = captureIo();
    expect(
      await runCli(
        [reportCommand],
        ['report', '--runs', 'nosuchrun', '--runs-dir', runsDir, '--tracking-uri', `file:${join(dir, 'mlruns')}`],
        bad.io,
      ),
    ).toBe(1);
    expect(bad.err()).toContain('--runs nosuchrun: not a run folder, a config hash (or prefix) in');
    rmSync(root, { recursive: true, force: true });
  });

  it('a run written before the metric ids were unified reports beside a new one, under the same ids', async () => {
    // As the runner wrote it then: config.json with kebab-case metric ids, evaluation.json with the
    // all-pass rate as strictPassRate (judged.jsonl records were the same then).
    const [y1] = yesterday.runs;
    const old = join(dir, 'old-runs', y1.hash);
    mkdirSync(join(dir, 'old-runs'), { recursive: true });
    cpSync(join(runsDir, y1.hash), old, { recursive: true });
    const config = JSON.parse(readFileSync(join(old, 'config.json'), 'utf8')) as { evaluation: { metrics: string[] } };
    expect(config.evaluation.metrics).toEqual(['allPassRate', 'passRate', 'speedup']);
    config.evaluation.metrics = ['pass-all', 'pass-rate', 'speedup'];
    writeFileSync(join(old, 'config.json'), JSON.stringify(config, null, 2));
    writeFileSync(
      join(old, 'evaluation.json'),
      JSON.stringify({ metrics: { strictPassRate: { estimate: 0.5, lower: 0.25, upper: 0.75, n: 8 } } }),
    );
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      // The old spelling keeps the run's hash: resuming it or naming it by hash finds the same folder.
      expect(canonicalHash(resolveConfig(config, 'old'))).toBe(y1.hash);
      const report = await writeRunsReport([old, today.runs[0].hash], { runsDir, outDir: join(dir, 'old-new') });
      expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(
        `${join(old, 'config.json')}:1:1: evaluation.metrics[0]: "pass-all" is the old name of the metric id "allPassRate", read as "allPassRate" (write "allPassRate")`,
      );
      const md = readFileSync(report.markdownPath, 'utf8');
      // The old run (e-code, listed first: its config's metric list orders the tables) beside the new.
      expect(md).toContain('| all-pass rate | 0.500 [0.125, 0.875] | 0.750 [0.500, 1.000] |');
      expect(md).toContain('| all-pass rate | relu | e-code | 0.750 | 0.500 | 0.250 [');
      expect(md).toContain('Metric ids (as in configs, evaluation.json and MLflow): `allPassRate` all-pass rate;');
      expect(md).not.toMatch(/strictPassRate|pass-all/);
    } finally {
      warn.mockRestore();
    }
  });

  it('one metric id, the same string in the config, evaluation.json, MLflow and the report', async () => {
    const id = 'allPassRate';
    const [y1] = yesterday.runs;
    expect(y1.config.evaluation.metrics).toContain(id); // base.yaml names it
    // evaluation.json: what the evaluate stage writes for the run's judged programs.
    const judged = readFileSync(join(runsDir, y1.hash, 'judged.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JudgedRecord)
      .filter((j) => !j.testSplit);
    const evaluation = evaluatePrograms(judged, { measure: measureName(y1.config), seed: 1, resamples: 20 });
    expect(JSON.parse(JSON.stringify(evaluation)).metrics[id].estimate).toBe(0.5);
    // MLflow: the names the runner logs, written by the file store.
    const tracker = createTracker(`file:${join(dir, 'mlruns-id')}`);
    const run = await tracker.startRun({ experimentId: await tracker.getOrCreateExperiment('ids') });
    await run.logMetrics(Object.entries(evaluationMetrics(evaluation)).map(([key, value]) => ({ key, value })));
    await run.end('FINISHED');
    expect((await tracker.getRun(run.runId)).data.metrics[`test/${id}`].value).toBe(0.5);
    // The report: --metric takes the id and the page lists it beside its label.
    const report = await writeRunsReport([y1.hash], { runsDir, outDir: join(dir, 'ids'), metric: id });
    const md = readFileSync(report.markdownPath, 'utf8');
    expect(md).toContain(`\`${id}\` all-pass rate`);
    expect(md).toContain('Headline (the HTML report draws it): all-pass rate and speedup');
  });

  it('--experiment with an MLflow filter reports the matching runs only', async () => {
    const uri = `file:${join(dir, 'mlruns-exp')}`;
    const tracker = createTracker(uri);
    const exp = await tracker.getOrCreateExperiment('mixed');
    for (const r of [...yesterday.runs, ...today.runs]) {
      const run = await tracker.startRun({
        experimentId: exp,
        runName: r.name,
        tags: { [TAG_CONFIG_HASH]: r.hash, [TAG_VARIANT]: r.variant },
      });
      await run.logParams({
        'model.variant': r.config.model.variant,
        'training.optimizer.lr': r.config.training.optimizer.lr,
      });
      await run.end('FINISHED');
    }
    const c = captureIo();
    const args = [
      'report',
      '--experiment',
      'mixed',
      '--filter',
      `params.model.variant = "e-code" OR tags.x = 'y'`,
      '--tracking-uri',
      uri,
      '--runs-dir',
      runsDir,
    ];
    expect(await runCli([reportCommand], args, c.io)).toBe(2);
    expect(c.err()).toContain('OR is not supported');
    const ok = captureIo();
    args[4] = `params.training.optimizer.lr = '0.001' AND attributes.run_name LIKE 'relu-%'`;
    expect(await runCli([reportCommand], [...args, '--out', join(dir, 'exp')], ok.io), ok.err()).toBe(0);
    expect(ok.out()).toContain('1 variants from 2 runs');
    const md = readFileSync(resolve(dir, 'exp/report.md'), 'utf8');
    expect(md).toContain('filter: params.training.optimizer.lr');
    expect(md).toContain('relu-lr=0.001-s1');
    expect(md).not.toContain('yesterday');
  });
});
