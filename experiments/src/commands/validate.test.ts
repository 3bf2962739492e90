import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli.js';
import { validateCommand } from './validate.js';
import { captureIo } from './test-io.js';

const CONFIGS = fileURLToPath(new URL('../../../configs/', import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ecode-validate-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('ecode validate', () => {
  it('every file under configs/ is valid (sweeps included), via a ** glob', async () => {
    const c = captureIo();
    expect(await runCli([validateCommand], ['validate', `${CONFIGS}**/*.yaml`, '--json'], c.io)).toBe(0);
    const r = JSON.parse(c.out()) as {
      ok: boolean;
      files: { path: string; kind: string; ok: boolean; runs?: number }[];
    };
    expect(r.ok).toBe(true);
    const names = r.files.map((f) => f.path.slice(CONFIGS.length));
    expect(names).toEqual([
      'base.yaml',
      'presets/corpus.yaml',
      'presets/cpu.yaml',
      'presets/paper.yaml',
      'presets/tiny.yaml',
      'sweeps/ablation.yaml',
      'sweeps/demo.yaml',
      'sweeps/families.yaml',
      'sweeps/smoke.yaml',
      'timedb/corpus-encoder-only.yaml',
      'timedb/corpus.yaml',
      'timedb/small-all-views.yaml',
      'timedb/small.yaml',
      'timedb/tiny.yaml',
      'variants/e-code.yaml',
      'variants/gpt-neo.yaml',
      'variants/heads-8.yaml',
      'variants/no-expert.yaml',
      'variants/relu.yaml',
    ]);
    expect(r.files.filter((f) => f.kind === 'sweep').map((f) => f.runs)).toEqual([15, 5, 15, 5]);
    expect(r.files.filter((f) => f.kind === 'time-predictor')).toHaveLength(5);
  });

  it('a bad file exits 1 and prints every problem located', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'training:\n  epochs: many\n  batchsize: 2\ngeneration: { strategy: beam }\n');
    const c = captureIo();
    expect(await runCli([validateCommand], ['validate', bad], c.io)).toBe(1);
    expect(c.err()).toBe(
      [
        `${bad}:2:11: training.epochs: found "many", expected an integer >= 1`,
        `${bad}:3:3: training.batchsize: unknown key "batchsize" (did you mean "batchSize"?); allowed keys: optimizer, epochs, maxSteps, batchSize, gradientAccumulation, dataParallel, maxGradNorm, schedule, evalEvery, checkpointEvery, earlyStopping`,
        `${bad}:4:25: generation.strategy: found "beam", expected one of: greedy, sample`,
        '',
      ].join('\n'),
    );
    expect(c.out()).toBe(`FAIL  ${bad} (config, 3 problems)\n1 of 1 files invalid (3 problems)\n`);
  });

  it('a syntax error exits 1 with its position; a pattern matching nothing exits 1', async () => {
    const dir = tempDir();
    const bad = join(dir, 'syntax.yaml');
    writeFileSync(bad, 'a: [1, 2\n');
    const c = captureIo();
    expect(await runCli([validateCommand], ['validate', bad], c.io)).toBe(1);
    expect(c.err()).toMatch(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:2:1: YAML syntax error: `));
    const d = captureIo();
    expect(await runCli([validateCommand], ['validate', `${dir}/*.json`], d.io)).toBe(1);
    expect(d.err()).toBe(`no file matches ${dir}/*.json\n`);
  });

  it('no arguments is a usage error', async () => {
    expect(await runCli([validateCommand], ['validate'], captureIo().io)).toBe(2);
  });
});
