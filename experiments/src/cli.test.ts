import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runCli, UsageError, type Command } from './cli.js';

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  return { io: { stdout: out, stderr: err }, text: () => ({ o, e }) };
}

const echo: Command = {
  name: 'data echo',
  summary: 'echo the arguments',
  usage: '<word...> [--upper]',
  options: { upper: { type: 'boolean' } },
  minArgs: 1,
  async run(ctx) {
    if (ctx.positionals[0] === 'bad') throw new UsageError('bad word');
    if (ctx.positionals[0] === 'boom') throw new Error('boom');
    const s = ctx.positionals.join(' ');
    ctx.stdout.write((ctx.values.upper ? s.toUpperCase() : s) + '\n');
    return 0;
  },
};

describe('runCli', () => {
  it('dispatches multi-word commands and parses options', async () => {
    const c = capture();
    expect(await runCli([echo], ['data', 'echo', 'hi', '--upper'], c.io)).toBe(0);
    expect(c.text().o).toBe('HI\n');
  });
  it('exit 2 on unknown commands, options and wrong argument counts', async () => {
    expect(await runCli([echo], ['nope'], capture().io)).toBe(2);
    expect(await runCli([echo], ['data', 'echo', 'x', '--nope'], capture().io)).toBe(2);
    expect(await runCli([echo], ['data', 'echo'], capture().io)).toBe(2);
    expect(await runCli([echo], ['data', 'echo', 'bad'], capture().io)).toBe(2);
  });
  it('exit 1 when the command fails', async () => {
    const c = capture();
    expect(await runCli([echo], ['data', 'echo', 'boom'], c.io)).toBe(1);
    expect(c.text().e).toContain('boom');
  });
  it('--help on every command', async () => {
    const c = capture();
    expect(await runCli([echo], ['data', 'echo', '--help'], c.io)).toBe(0);
    expect(c.text().o).toBe('Usage: ecode data echo <word...> [--upper]\n');
  });
});

describe('ecode --version', () => {
  it('prints the version and the native kernels line (off with ECODE_NATIVE=0)', async () => {
    const { versionText } = await import('./version.js');
    const text = versionText();
    expect(text).toMatch(/^ecode \d+\.\d+\.\d+ \(node v\d+/);
    expect(text).toMatch(/\nnative kernels: (available \(OpenBLAS [\d.]+, \w+ kernels\)|not available \(.+\))/);
    const saved = process.env.ECODE_NATIVE;
    process.env.ECODE_NATIVE = '0';
    try {
      expect(versionText()).toContain('native kernels: off (disabled by ECODE_NATIVE=0)');
    } finally {
      if (saved === undefined) delete process.env.ECODE_NATIVE;
      else process.env.ECODE_NATIVE = saved;
    }
  });
});
