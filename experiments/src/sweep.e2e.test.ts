/**
 * End to end through the real `ecode` command: a two-run sweep at a micro size (real synthetic
 * data, real training, generation, sandboxed judging, MLflow file store), interrupted with SIGINT
 * mid-training, resumed, and run a third time (everything skipped).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pickCorpusProblem } from '@ecode/data';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(HERE, '../bin/ecode.js');
const CONFIGS = resolve(HERE, '../../configs');

function ecode(args: string[], cwd: string, onLine?: (line: string, kill: () => void) => void) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const take = (buf: Buffer) => {
    const text = buf.toString();
    out += text;
    for (const line of text.split('\n')) if (line) onLine?.(line, () => child.kill('SIGINT'));
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise<{ code: number; out: string }>((res) =>
    child.on('close', (code) => res({ code: code ?? -1, out })),
  );
}

/** MLflow run statuses in the file store, by `ecode.config_hash` tag. */
function mlflowRuns(cwd: string): Array<{ hash: string; status: number; kernels?: string }> {
  const root = join(cwd, 'mlruns');
  const runs: Array<{ hash: string; status: number; kernels?: string }> = [];
  for (const exp of readdirSync(root)) {
    const expDir = join(root, exp);
    if (!existsSync(join(expDir, 'meta.yaml'))) continue;
    for (const run of readdirSync(expDir)) {
      const meta = join(expDir, run, 'meta.yaml');
      if (!existsSync(meta)) continue;
      const status = Number(/^status: (\d+)$/m.exec(readFileSync(meta, 'utf8'))?.[1]);
      const hash = readFileSync(join(expDir, run, 'tags', 'ecode.config_hash'), 'utf8');
      const kernelsTag = join(expDir, run, 'tags', 'ecode.kernels');
      runs.push({ hash, status, kernels: existsSync(kernelsTag) ? readFileSync(kernelsTag, 'utf8') : undefined });
    }
  }
  return runs;
}

describe('ecode sweep end to end', () => {
  it('interrupts, resumes only the missing work, skips finished runs, and reports', { timeout: 900_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ecode-e2e-'));
    // The idiom corpus of seed 7: enough problems that both further test splits (unseen
    // combinations, unseen idioms) have one.
    let problems = 8;
    const kinds = (n: number) => new Set(Array.from({ length: n }, (_, i) => pickCorpusProblem(7, i).testSplit));
    while (kinds(problems).size < 3) problems++;
    writeFileSync(
      join(cwd, 'micro.yaml'),
      [
        `extends: ${join(CONFIGS, 'presets/tiny.yaml')}`,
        `data: { synthetic: { problems: ${problems} } }`,
        'training: { maxSteps: 6, evalEvery: 3, checkpointEvery: 2 }',
        'generation: { maxNewTokens: 12 }',
        'evaluation: { maxProblems: 1, repeats: 1 }', // bootstrapSamples: on the command line
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(cwd, 'sweep.yaml'),
      [
        'name: e2e',
        'base: micro.yaml',
        'variants:',
        '  e-code: { model: { variant: e-code } }',
        `  gpt-neo: ${join(CONFIGS, 'variants/gpt-neo.yaml')}`,
        'seeds: [7]',
        '',
      ].join('\n'),
    );

    // 1. Interrupt the sweep once the first run has written a training checkpoint.
    let sent = false;
    let stop: (() => void) | undefined;
    const poll = setInterval(() => {
      const runs = existsSync(join(cwd, 'runs')) ? readdirSync(join(cwd, 'runs')) : [];
      if (!sent && stop && runs.some((h) => existsSync(join(cwd, 'runs', h, 'checkpoints', 'latest')))) {
        sent = true;
        stop();
      }
    }, 100);
    // A command-line override, as a researcher would give it: part of every run's hash.
    const sweep = ['sweep', 'sweep.yaml', 'evaluation.bootstrapSamples=50'];
    const first = await ecode(sweep, cwd, (_line, kill) => {
      stop = kill;
    });
    clearInterval(poll);
    expect(sent).toBe(true);
    expect(first.code).toBe(130);
    expect(first.out).toContain('KILLED');
    expect(mlflowRuns(cwd).map((r) => r.status)).toEqual([5]); // KILLED

    // 2. Run again: the killed run resumes from its checkpoint, the other runs afresh.
    const second = await ecode(sweep, cwd);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toMatch(/resum/i);
    expect(second.out).toContain('2 finished, 0 skipped, 0 failed');
    const finished = mlflowRuns(cwd).filter((r) => r.status === 3);
    expect(new Set(finished.map((r) => r.hash)).size).toBe(2);
    // Each run is tagged with the kernels that trained it (native OpenBLAS or the portable ones).
    for (const r of finished)
      expect(r.kernels).toMatch(/^(native \(OpenBLAS \w+, \d+ threads?\)|wasm XNNPACK \+ JS|\w+ backend kernels)/);
    expect(existsSync(join(cwd, 'reports/e2e/report.html'))).toBe(true);
    const report = readFileSync(join(cwd, 'reports/e2e/report.md'), 'utf8');
    expect(report).toContain('gpt-neo');
    // The three test splits, each with its table or, when every variant has the same values there,
    // one line; the sweep file named relative to the working directory.
    expect(report).toContain('## Metrics: in-distribution test problems');
    expect(report).not.toMatch(/: in-family\b/); // the corpus's main split is in-distribution in every table
    for (const label of [
      'unseen combinations (trained idioms in contexts they were not trained in)',
      'unseen idioms (held out of training by each seed)',
    ]) {
      const escaped = label.replace(/[()]/g, '\\$&');
      expect(report).toMatch(new RegExp(`## Metrics: ${escaped}|${escaped}: .* for every variant`));
    }
    expect(report).toContain('- sweep file: sweep.yaml');
    // MLflow: metrics of both splits, the effective batch as params.
    const runDirs = readdirSync(join(cwd, 'runs'));
    for (const split of ['unseen-combination', 'unseen-idiom'])
      expect(runDirs.every((h) => existsSync(join(cwd, 'runs', h, `evaluation-${split}.json`)))).toBe(true);
    const expDir = readdirSync(join(cwd, 'mlruns')).find((e) => /^[1-9]/.test(e)) as string;
    const finishedRun = readdirSync(join(cwd, 'mlruns', expDir)).find((r) =>
      /status: 3/.test(readFileSync(join(cwd, 'mlruns', expDir, r, 'meta.yaml'), 'utf8')),
    ) as string;
    const runDir = join(cwd, 'mlruns', expDir, finishedRun);
    expect(readFileSync(join(runDir, 'params', 'derived.samples_per_step'), 'utf8')).toBe('2');
    // the override is in the resolved config and recorded in MLflow as given
    expect(readFileSync(join(runDir, 'params', 'evaluation.bootstrapSamples'), 'utf8')).toBe('50');
    expect(readFileSync(join(runDir, 'tags', 'ecode.overrides'), 'utf8')).toBe('evaluation.bootstrapSamples=50');
    // One metric id from the config to MLflow, evaluation.json and the report.
    const id = 'allPassRate';
    for (const split of ['test', 'unseen-idiom', 'unseen-combination'])
      expect(existsSync(join(runDir, 'metrics', split, id))).toBe(true);
    for (const h of runDirs) {
      const run = join(cwd, 'runs', h);
      expect(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')).evaluation.metrics).toContain(id);
      expect(JSON.parse(readFileSync(join(run, 'evaluation.json'), 'utf8')).metrics[id].n).toBeGreaterThan(0);
    }
    expect(report).toContain(`\`${id}\` all-pass rate`);

    // 3. Nothing left to do.
    const third = await ecode(sweep, cwd);
    expect(third.code, third.out).toBe(0);
    expect(third.out).toContain('0 finished, 2 skipped');
    expect(mlflowRuns(cwd)).toHaveLength(3);
  });
});
