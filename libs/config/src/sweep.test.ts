import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFile } from './check-file.js';
import { canonicalHash, loadConfig } from './load-config.js';
import { ConfigError, formatProblems } from './problems.js';
import { loadSweep } from './sweep.js';
import { FIXTURES } from './test-helpers.js';

const opts = { cwd: FIXTURES };

describe('loadSweep', () => {
  it('expands variants (file and inline) x seeds, in file order, with overrides and seeds applied', () => {
    const s = loadSweep('sweep/sweep.yaml', opts);
    expect(s.name).toBe('mini');
    expect(s.variants).toEqual(['e-code', 'relu', 'heads-4']);
    expect(s.seeds).toEqual([1, 2]);
    expect(s.runs.map((r) => r.name)).toEqual([
      'e-code-s1',
      'e-code-s2',
      'relu-s1',
      'relu-s2',
      'heads-4-s1',
      'heads-4-s2',
    ]);
    const [e1, , r1, , h1, h2] = s.runs;
    expect(e1.config.model.enlargeActivation).toBe('none');
    expect(r1.config.model.enlargeActivation).toBe('relu');
    expect(e1.config.model.crossAttentionHeads).toBe(8);
    expect(h1.config.model.crossAttentionHeads).toBe(4);
    expect(h2.config.experiment.seed).toBe(2);
    expect(s.runs.every((r) => r.config.training.maxSteps === 5)).toBe(true); // overrides win over base
    expect(s.runs.every((r) => r.config.model.codeDecoder.hidden === 64)).toBe(true);
    expect(h1.config.experiment.name).toBe('mini-heads-4-s1');
    expect(h1.config.experiment.tags).toEqual(['sweep=mini', 'variant=heads-4']);
  });

  it('every run has a distinct hash, equal to the canonical hash of its config', () => {
    const s = loadSweep('sweep/sweep.yaml', opts);
    expect(new Set(s.runs.map((r) => r.hash)).size).toBe(6);
    for (const r of s.runs) expect(r.hash).toBe(canonicalHash(r.config));
  });

  it('a run hashes the same as the equivalent standalone config (layout independence)', () => {
    const s = loadSweep('sweep/sweep.yaml', opts);
    const standalone = loadConfig('sweep/base.yaml', opts);
    standalone.experiment.seed = 2;
    standalone.training.maxSteps = 5;
    standalone.model.enlargeActivation = 'relu';
    expect(s.runs.find((r) => r.name === 'relu-s2')!.hash).toBe(canonicalHash(standalone));
  });

  it('is deterministic', () => {
    const a = loadSweep('sweep/sweep.yaml', opts);
    const b = loadSweep('sweep/sweep.yaml', opts);
    expect(b.runs.map((r) => r.hash)).toEqual(a.runs.map((r) => r.hash));
  });
});

describe('sweep errors (exact text)', () => {
  it('sweep-level problems, all at once', () => {
    expect(() => loadSweep('sweep/bad-sweep.yaml', opts)).toThrow(ConfigError);
    expect(formatProblems(checkFile('sweep/bad-sweep.yaml', opts).problems)).toBe(
      [
        'sweep/bad-sweep.yaml:1:7: name: found "bad sweep", expected a string matching ^[A-Za-z0-9][A-Za-z0-9_.-]*$',
        'sweep/bad-sweep.yaml:9:8: seeds: found a list [1,1], expected a list of at least 1 item without repeats, each an integer >= 0 (items 0 and 1 are equal)',
      ].join('\n'),
    );
  });

  it('run-level problems point into the sweep file or the variant file; duplicate runs are errors', () => {
    const check = checkFile('sweep/bad-variants.yaml', opts);
    expect(check.kind).toBe('sweep');
    expect(formatProblems(check.problems)).toBe(
      [
        'sweep/bad-variants.yaml:5:35: model.crossAttentionHeads: found 7, expected a divisor of model.codeDecoder.hidden (64)',
        'sweep/bad-variants.yaml:6:12: cannot read sweep/nope.yaml: no such file',
        'sweep/bad-variants.yaml:8:3: variants.plain: run plain-s1 resolves to the same config as run same-s1 (hash bb57a2a3d692), expected every run to differ',
      ].join('\n'),
    );
  });

  it('a sweep file is told from a config by its variants key', () => {
    expect(checkFile('sweep/sweep.yaml', opts).kind).toBe('sweep');
    expect(checkFile('sweep/base.yaml', opts).kind).toBe('config');
  });
});

describe('sweep file shape', () => {
  it('empty variants, missing keys and wrong types are reported together', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-sweep-'));
    try {
      writeFileSync(join(dir, 's.yaml'), 'name: s\nvariants: {}\nseeds: one\nextra: 1\n');
      expect(formatProblems(checkFile('s.yaml', { cwd: dir }).problems)).toBe(
        [
          's.yaml:1:1: base: missing required key, expected a non-empty string',
          's.yaml:2:11: variants: found an empty mapping, expected a mapping of at least 1 entry',
          's.yaml:3:8: seeds: found "one", expected a list of at least 1 item without repeats, each an integer >= 0',
          's.yaml:4:1: extra: unknown key "extra"; allowed keys: name, description, base, seeds, variants, overrides, grid, sample, queue',
        ].join('\n'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sweep queue (retries of ecode sweep --queue)', () => {
  const write = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ecode-sweep-queue-'));
    writeFileSync(join(dir, 'base.yaml'), 'experiment: { name: b }\n');
    writeFileSync(join(dir, 's.yaml'), `name: s\nbase: base.yaml\nvariants: { a: {} }\nseeds: [1]\n${text}`);
    return dir;
  };

  it('defaults: 3 attempts, exponential backoff from 30 s', () => {
    const dir = write('');
    try {
      expect(loadSweep('s.yaml', { cwd: dir }).queue).toEqual({
        attempts: 3,
        backoff: { type: 'exponential', delaySeconds: 30 },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads attempts and backoff; a partial backoff keeps the other default', () => {
    const dir = write('queue: { attempts: 5, backoff: { type: fixed } }\n');
    try {
      expect(loadSweep('s.yaml', { cwd: dir }).queue).toEqual({
        attempts: 5,
        backoff: { type: 'fixed', delaySeconds: 30 },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wrong values are located errors', () => {
    const dir = write('queue:\n  attempts: 0\n  backoff: { type: linear, delaySeconds: -1 }\n  retries: 2\n');
    try {
      expect(formatProblems(checkFile('s.yaml', { cwd: dir }).problems)).toBe(
        [
          's.yaml:6:13: queue.attempts: found 0, expected an integer in [1, 100]',
          's.yaml:7:20: queue.backoff.type: found "linear", expected one of: exponential, fixed',
          's.yaml:7:42: queue.backoff.delaySeconds: found -1, expected a number >= 0',
          's.yaml:8:3: queue.retries: unknown key "retries"; allowed keys: attempts, backoff',
        ].join('\n'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
