import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli.js';
import { configShowCommand } from './config-show.js';
import { captureIo } from './test-io.js';

const CONFIGS = fileURLToPath(new URL('../../../configs/', import.meta.url));

describe('ecode config show', () => {
  it('shows the merged files without defaults, then the resolved config with its hash', async () => {
    const plain = captureIo();
    expect(
      await runCli([configShowCommand], ['config', 'show', `${CONFIGS}presets/tiny.yaml`, '--json'], plain.io),
    ).toBe(0);
    const p = JSON.parse(plain.out()) as {
      files: string[];
      hash: string;
      config: Record<string, Record<string, unknown>>;
    };
    // paths are shown relative to the working directory when under it: resolve them back
    expect(p.files.map((f) => resolve(f).slice(CONFIGS.length))).toEqual(['base.yaml', 'presets/tiny.yaml']);
    expect(p.config.model.crossAttentionHeads).toBe(4);
    expect(p.config.generation).toEqual({ maxNewTokens: 48 }); // only what the files say

    const full = captureIo();
    expect(
      await runCli(
        [configShowCommand],
        ['config', 'show', `${CONFIGS}presets/tiny.yaml`, '--resolved', '--json'],
        full.io,
      ),
    ).toBe(0);
    const r = JSON.parse(full.out()) as { hash: string; config: Record<string, Record<string, unknown>> };
    expect(r.hash).toBe(p.hash);
    expect(r.config.generation).toMatchObject({
      strategy: 'sample',
      temperature: 0.25,
      topK: 3,
      topP: 0.7,
      maxNewTokens: 48,
    });
  });

  it('prints YAML with a header naming the files and the hash', async () => {
    const c = captureIo();
    expect(await runCli([configShowCommand], ['config', 'show', `${CONFIGS}variants/relu.yaml`], c.io)).toBe(0);
    const lines = c.out().split('\n');
    expect(lines[0].startsWith('# ')).toBe(true);
    expect(resolve(lines[0].slice(2))).toBe(`${CONFIGS}variants/relu.yaml`);
    expect(lines[1]).toMatch(/^# hash: [0-9a-f]{64}$/);
    expect(lines.slice(3).join('\n')).toBe('model:\n  variant: e-code\n  enlargeActivation: relu\n');
  });

  it('refuses a sweep file and points at ecode sweep', async () => {
    const c = captureIo();
    expect(await runCli([configShowCommand], ['config', 'show', `${CONFIGS}sweeps/smoke.yaml`], c.io)).toBe(1);
    expect(c.err()).toContain('is a sweep file');
  });
});
