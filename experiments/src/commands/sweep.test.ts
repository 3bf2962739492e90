import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { canonicalHash, resolveConfig } from '@ecode/config';
import { runCli } from '../cli.js';
import { sweepCommand } from './sweep.js';
import { captureIo } from './test-io.js';

const CONFIGS = fileURLToPath(new URL('../../../configs/', import.meta.url));

interface DryRun {
  name: string;
  variants: string[];
  seeds: number[];
  runs: {
    name: string;
    variant: string;
    seed: number;
    hash: string;
    config: Record<string, Record<string, unknown>>;
  }[];
}

describe('ecode sweep --dry-run', () => {
  it('ablation: 15 runs (5 variants x 3 seeds on the corpus preset) with distinct hashes', async () => {
    const c = captureIo();
    expect(await runCli([sweepCommand], ['sweep', `${CONFIGS}sweeps/ablation.yaml`, '--dry-run', '--json'], c.io)).toBe(
      0,
    );
    const s = JSON.parse(c.out()) as DryRun;
    expect(s.variants).toEqual(['e-code', 'gpt-neo', 'relu', 'heads-8', 'no-expert']);
    expect(s.seeds).toEqual([666, 1, 2]);
    expect(s.runs).toHaveLength(15);
    expect(new Set(s.runs.map((r) => r.hash)).size).toBe(15);
    const byName = Object.fromEntries(s.runs.map((r) => [r.name, r.config]));
    expect(byName['heads-8-s2'].model.crossAttentionHeads).toBe(8);
    expect(byName['e-code-s1'].model.crossAttentionHeads).toBe(4);
    expect(byName['relu-s2'].model.enlargeActivation).toBe('relu');
    expect(byName['no-expert-s1'].model.variant).toBe('no-expert');
    expect(byName['gpt-neo-s1'].model.variant).toBe('gpt-neo');
    expect(byName['e-code-s2'].tokenizer.code).toMatchObject({ identifiers: 'abstract', target: 'edit' });
    expect(byName['e-code-s2'].data.synthetic).toMatchObject({ problems: 600, generator: 'corpus' });
    expect(byName['e-code-s1'].model.codeDecoder).toMatchObject({
      hidden: 128,
      layers: 2,
      heads: 4,
      intermediate: 512,
      window: 128,
    });
    // The hash is the canonical hash of the printed config: a runner can recompute it.
    for (const r of s.runs) expect(canonicalHash(resolveConfig(r.config))).toBe(r.hash);
  });

  it('prints a table: one line per run with its full hash', async () => {
    const c = captureIo();
    expect(await runCli([sweepCommand], ['sweep', `${CONFIGS}sweeps/smoke.yaml`, '--dry-run'], c.io)).toBe(0);
    const lines = c.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^sweep smoke: 5 runs = 5 variants x 1 seeds \(base .*presets\/tiny\.yaml\)$/);
    expect(lines[1]).toBe('RUN             VARIANT      SEED  HASH');
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'e-code-s666 e-code 666',
      'no-expert-s666 no-expert 666',
      'relu-s666 relu 666',
      'heads-8-s666 heads-8 666',
      'gpt-neo-s666 gpt-neo 666',
    ]);
    expect(lines.slice(2).every((l) => /[0-9a-f]{64}$/.test(l))).toBe(true);
  });

  it('a config file that is not a sweep is an error', async () => {
    const c = captureIo();
    expect(await runCli([sweepCommand], ['sweep', `${CONFIGS}presets/tiny.yaml`, '--dry-run'], c.io)).toBe(1);
    expect(c.err()).toContain('unknown key "experiment"');
  });
});
