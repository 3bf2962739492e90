import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { hasBwrap } from '../test-host.js';
import { sandboxRunCommand } from './sandbox.js';
import { captureIo } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ecode-sandbox-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasBwrap)('ecode sandbox run', () => {
  it('judges a program on an APPS tests dictionary and prints JSON', async () => {
    writeFileSync(join(dir, 'add.py'), 'a, b = map(int, input().split())\nprint(a + b)\n');
    writeFileSync(join(dir, 'tests.json'), JSON.stringify({ inputs: ['1 2\n', '2 2\n'], outputs: ['3\n', '5\n'] }));
    const c = captureIo();
    const rc = await runCli(
      [sandboxRunCommand],
      ['sandbox', 'run', join(dir, 'add.py'), '--tests', join(dir, 'tests.json'), '--json', '--cpu-seconds', '2'],
      c.io,
    );
    expect(rc).toBe(1); // not every test passes
    const r = JSON.parse(c.out()) as { passRate: number; compiled: number; results: { verdict: string }[] };
    expect(r.results.map((x) => x.verdict)).toEqual(['pass', 'wrong-answer']);
    expect([r.passRate, r.compiled]).toEqual([0.5, 1]);
  });

  it('rejects a bad command line', async () => {
    const c = captureIo();
    expect(await runCli([sandboxRunCommand], ['sandbox', 'run', 'x.py'], c.io)).toBe(2);
    expect(c.err()).toContain('--tests <tests.json> is required');
  });
});
