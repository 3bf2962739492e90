import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { configShowCommand } from './config-show.js';
import { evaluateCommand, runCommand } from './run.js';
import { sweepCommand } from './sweep.js';
import { captureIo } from './test-io.js';
import { validateCommand } from './validate.js';

const CONFIGS = fileURLToPath(new URL('../../../configs/', import.meta.url));
const TINY = `${CONFIGS}presets/tiny.yaml`;

async function show(...args: string[]) {
  const c = captureIo();
  const code = await runCli([configShowCommand], ['config', 'show', ...args, '--resolved', '--json'], c.io);
  return {
    code,
    err: c.err(),
    json:
      code === 0
        ? (JSON.parse(c.out()) as {
            hash: string;
            overrides: string[];
            config: { training: { optimizer: { lr: number } }; model: { crossAttentionHeads: number } };
          })
        : undefined,
  };
}

describe('command-line overrides', () => {
  it('config show --resolved prints the result; its hash equals the same value written in YAML', async () => {
    const given = await show(TINY, 'training.optimizer.lr=5e-4', 'model.crossAttentionHeads=2');
    expect(given.code).toBe(0);
    expect(given.json?.config.training.optimizer.lr).toBe(0.0005);
    expect(given.json?.config.model.crossAttentionHeads).toBe(2);
    expect(given.json?.overrides).toEqual(['training.optimizer.lr=5e-4', 'model.crossAttentionHeads=2']);
    const dir = mkdtempSync(join(tmpdir(), 'ecode-ovr-'));
    try {
      const file = join(dir, 'c.yaml');
      writeFileSync(
        file,
        `extends: ${TINY}\ntraining: { optimizer: { lr: 0.0005 } }\nmodel: { crossAttentionHeads: 2 }\n`,
      );
      expect((await show(file)).json?.hash).toBe(given.json?.hash);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await show(TINY)).json?.hash).toBe('a625c9e2ad9849c877fa097ac553e39a54532c16311b35ab004d2699ba15dd03');
  });

  it('an unknown key is refused by run (before any work), naming the argument', async () => {
    const c = captureIo();
    const code = await runCli([runCommand], ['run', TINY, 'training.maxSteps=3', 'training.optimizer.lrr=1e-3'], c.io);
    expect(code).toBe(1);
    expect(c.err()).toContain('argument 4: training.optimizer.lrr: unknown key "lrr" (did you mean "lr"?)');
    const e = captureIo();
    expect(await runCli([evaluateCommand], ['evaluate', TINY, 'evaluation.repeats=zero'], e.io)).toBe(1);
    expect(e.err()).toContain('argument 3: evaluation.repeats: found "zero", expected an integer');
  });

  it('a malformed override or a file after the overrides is a usage error', async () => {
    const c = captureIo();
    expect(await runCli([runCommand], ['run', TINY, '~a.b=1'], c.io)).toBe(2);
    expect(c.err()).toContain('argument 3: "~a.b=1": ~key deletes a key and takes no value');
    const v = captureIo();
    expect(await runCli([validateCommand], ['validate', TINY, 'a.b=1', TINY], v.io)).toBe(2);
    expect(v.err()).toContain('files come before the overrides');
  });

  it('validate applies the overrides to every file', async () => {
    const c = captureIo();
    expect(
      await runCli([validateCommand], ['validate', TINY, `${CONFIGS}presets/cpu.yaml`, 'training.maxSteps=0'], c.io),
    ).toBe(1);
    expect(c.err().trim().split('\n')).toEqual([
      'argument 4: training.maxSteps: found 0, expected an integer >= 1',
      'argument 4: training.maxSteps: found 0, expected an integer >= 1',
    ]);
  });

  it('sweep --grid and overrides: --dry-run lists every run of the grid with its hash', async () => {
    const c = captureIo();
    const args = [
      'sweep',
      `${CONFIGS}sweeps/smoke.yaml`,
      '--grid',
      'training.optimizer.lr=1e-3,5e-4',
      'training.maxSteps=10',
      '--dry-run',
    ];
    expect(await runCli([sweepCommand], args, c.io)).toBe(0);
    const lines = c.out().trim().split('\n');
    expect(lines[0]).toMatch(/^sweep smoke: 10 runs = 5 variants x 2 points x 1 seeds/);
    expect(lines).toContain('overrides: training.maxSteps=10');
    const runs = lines.filter((l) => / [0-9a-f]{64}$/.test(l));
    expect(runs).toHaveLength(10);
    expect(runs[0]).toMatch(/^e-code-lr=0\.001-s666 +e-code +666 +[0-9a-f]{64}$/);
    expect(new Set(runs.map((l) => l.slice(-64))).size).toBe(10);
    const bad = captureIo();
    expect(
      await runCli([sweepCommand], ['sweep', `${CONFIGS}sweeps/smoke.yaml`, '--grid', 'lr', '--dry-run'], bad.io),
    ).toBe(2);
    expect(bad.err()).toContain('--grid "lr": expected key.path=value1,value2,...');
  });
});
