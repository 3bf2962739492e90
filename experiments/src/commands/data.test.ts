import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { dataImportGecCommand, dataSynthCommand } from './data.js';
import { captureIo } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ecode-data-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const commands = [dataImportGecCommand, dataSynthCommand];

describe('ecode data', () => {
  it('synth writes N problems and a manifest, the same bytes for the same seed', async () => {
    const run = async (out: string) => {
      const c = captureIo();
      const code = await runCli(
        commands,
        ['data', 'synth', '--problems', '3', '--seed', '5', '--no-verify', '--out', out],
        c.io,
      );
      expect(code, c.err()).toBe(0);
      expect(c.out()).toMatch(/wrote .*: 3 problems/);
      return readFileSync(out, 'utf8');
    };
    const a = await run(join(dir, 'a.jsonl'));
    expect(a).toBe(await run(join(dir, 'b.jsonl')));
    expect(JSON.parse(readFileSync(join(dir, 'a.jsonl.manifest.json'), 'utf8')).provenance.seed).toBe(5);
  });

  it('lists the families, and the idioms and contexts of the corpus', async () => {
    const c = captureIo();
    expect(await runCli(commands, ['data', 'synth', '--list-families'], c.io)).toBe(0);
    expect(c.out().trim().split('\n').length).toBeGreaterThanOrEqual(12);
    const i = captureIo();
    expect(await runCli(commands, ['data', 'synth', '--list-idioms'], i.io)).toBe(0);
    const lines = i.out().trim().split('\n');
    expect(lines.indexOf('contexts (layout, reading, structure):')).toBeGreaterThan(40);
    expect(lines).toContain('  warehouse        lines, input, top');
  });

  it('reports usage errors and a folder that is not GEC', async () => {
    const c = captureIo();
    expect(await runCli(commands, ['data', 'synth', '--problems', 'x'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--problems must be an integer/);
    const d = captureIo();
    expect(await runCli(commands, ['data', 'import-gec', dir], d.io)).toBe(2);
    expect(d.err()).toMatch(/--out <file.jsonl> is required/);
    const e = captureIo();
    expect(await runCli(commands, ['data', 'import-gec', dir, '--out', join(dir, 'g.jsonl')], e.io)).toBe(1);
    expect(e.err()).toMatch(/no problem folders under train\/ or test\//);
  });
});
