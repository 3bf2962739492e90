import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTimeDb, type TimeRow } from '@ecode/time-predictor';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { captureIo } from './test-io.js';
import { predictTimeCommand, timedbBuildCommand, timedbImportCommand, timedbTrainCommand } from './timedb.js';

const commands = [timedbBuildCommand, timedbImportCommand, timedbTrainCommand, predictTimeCommand];
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function rows(): TimeRow[] {
  const out: TimeRow[] = [];
  for (let k = 0; k < 12; k++) {
    const split = k < 8 ? 'train' : k < 9 ? 'valid' : 'test';
    const pairs: [string, number, 'fast' | 'slow'][] = [
      ['s = set(a)\nprint(x in s)\n', 3000, 'fast'],
      ['for i in a:\n    for j in a:\n        t += i\n', 20000, 'slow'],
    ];
    pairs.forEach(([code, t, role], i) =>
      out.push({
        id: `p${k}#${i}`,
        problemId: `p${k}`,
        split,
        role,
        views: { ori: code, uni: code, looprec: code, randdel: code },
        timeUs: t,
        spread: { n: 1, min: t, max: t, cv: 0, iqr: 0 },
        tests: 1,
        passed: true,
        key: `k${k}${i}`,
      }),
    );
  }
  return out;
}

describe('ecode timedb / predict-time', () => {
  it('imports the original CSV files and says what is wrong with the options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-timedb-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'train.csv'), 'Prompt_input,Time\n"a = 1\nprint(a)\n",900\nprint(2),700\n');
    writeFileSync(join(dir, 'test.csv'), 'Prompt_input,Time\nprint(3),650\n');
    const ok = captureIo();
    const args = ['timedb', 'import', '--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv')];
    expect(await runCli(commands, [...args, '--out', join(dir, 'db'), '--valid', '0'], ok.io)).toBe(0);
    expect(ok.out()).toContain('3 rows, by split {"train":2,"test":1}');
    const db = JSON.parse(readFileSync(join(dir, 'db', 'manifest.json'), 'utf8'));
    expect(db.csv).toContain('csv/uni-train.csv');
    const bad = captureIo();
    expect(await runCli(commands, [...args, '--out', join(dir, 'db2'), '--view', 'raw'], bad.io)).toBe(2);
    expect(bad.err()).toContain('--view: must be one of ori, uni, looprec, randdel, found "raw"');
  });

  it('trains from a config, logs to an MLflow file store, and predicts a file with the typical error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-timedb-'));
    dirs.push(dir);
    const db = join(dir, 'db');
    await writeTimeDb(db, rows(), {
      source: {},
      measurement: { costMeasure: 'cpu-time', repeats: 1, largestTests: 1, concurrency: 1, deleteFraction: 0.2 },
      seed: 1,
      skipped: {},
    });
    const config = join(dir, 'c.yaml');
    writeFileSync(
      config,
      [
        'experiment: { name: cli, seed: 1 }',
        `data: { timedb: ${JSON.stringify(db)} }`,
        'model: { hidden: 16, layers: 1, heads: 2, intermediate: 32, maxTokens: 32, vocabSize: 300, dropout: 0 }',
        'training: { lr: 0.01, epochs: 3, batchSize: 8, warmupRatio: 0, backend: wasm }',
        `tracking: { uri: ${JSON.stringify('file:' + join(dir, 'mlruns'))}, experimentName: tp }`,
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const train = captureIo();
    expect(await runCli(commands, ['timedb', 'train', config, '--out', out], train.io)).toBe(0);
    expect(train.out()).toContain('## View `ori` (test split)');
    expect(train.err()).toMatch(/tracking: .*mlruns/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.typicalError.n).toBe(6);

    const prog = join(dir, 'p.py');
    writeFileSync(prog, 'for i in a:\n    for j in a\n'); // does not compile: still predicted
    const pred = captureIo();
    expect(await runCli(commands, ['predict-time', prog, '--model', join(out, 'model'), '--json'], pred.io)).toBe(0);
    const r = JSON.parse(pred.out());
    expect(r.timeUs).toBeGreaterThan(0);
    expect(r.typicalError.factor).toBeCloseTo(metrics.typicalError.factor, 12);
  });

  it('names the wrong config path and exits 2; requires --dataset and --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-timedb-'));
    dirs.push(dir);
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'model: { heads: 0 }\n');
    const bad = captureIo();
    expect(await runCli(commands, ['timedb', 'train', config], bad.io)).toBe(2);
    expect(bad.err()).toContain('/model/heads: must be >= 1, found 0');
    const build = captureIo();
    expect(await runCli(commands, ['timedb', 'build', '--out', dir], build.io)).toBe(2);
    expect(build.err()).toContain('--dataset <file.jsonl> is required');
  });
});
