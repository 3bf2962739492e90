import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { captureIo } from './test-io.js';
import { tokenizerEncodeCommand, tokenizerTrainCommand } from './tokenizer.js';

const commands = [tokenizerTrainCommand, tokenizerEncodeCommand];
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('ecode tokenizer', () => {
  it('trains a BPE on the code of train-split problems and encodes with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-tokcli-'));
    dirs.push(dir);
    const problem = (split: string, code: string) =>
      JSON.stringify({ split, fields: { body: 'Sum the numbers.' }, solutions: [{ code, role: 'slow' }] });
    const data = join(dir, 'd.jsonl');
    writeFileSync(
      data,
      [problem('train', 'print(sum(map(int, input().split())))\n'.repeat(20)), problem('test', 'zzzz')].join('\n'),
    );
    const train = captureIo();
    const out = join(dir, 'tok');
    expect(await runCli(commands, ['tokenizer', 'train', data, '--out', out, '--vocab-size', '300'], train.io)).toBe(0);
    const summary = JSON.parse(train.out());
    expect(summary).toMatchObject({ kind: 'bpe', texts: 1 });
    // 3 specials + 256 bytes + the merges the one repeated line supports (training stops there).
    expect(summary.vocabSize).toBeGreaterThan(265);
    expect(summary.vocabSize).toBeLessThanOrEqual(300);
    const enc = captureIo();
    expect(await runCli(commands, ['tokenizer', 'encode', out, 'print(sum(x))', '--special'], enc.io)).toBe(0);
    const r = JSON.parse(enc.out());
    expect(r.ids[0]).toBe(1);
    expect(r.ids[r.ids.length - 1]).toBe(2);
    expect(r.tokens.slice(1, 3)).toEqual(['print', '(']);
  });

  it('rejects an unknown kind with exit code 2', async () => {
    const io = captureIo();
    expect(await runCli(commands, ['tokenizer', 'train', 'x.txt', '--out', 'o', '--kind', 'unigram'], io.io)).toBe(2);
    expect(io.err()).toMatch(/--kind must be bpe or wordpiece/);
  });
});
