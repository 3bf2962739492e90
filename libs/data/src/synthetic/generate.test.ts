import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATEMENT_FIELD_ORDER } from '../problem.js';
import { serializeProblem } from '../store/serialize.js';
import type { Family } from './family.js';
import { FAMILIES } from './families/index.js';
import { generateSynthetic, makeInstance, writeSynthetic } from './generate.js';
import { lines } from './text.js';
import { VerifierPool } from './verifier.js';

describe('VerifierPool', () => {
  it('passes a correct program and names what is wrong with the others', async () => {
    const pool = new VerifierPool(2);
    try {
      const tests = [{ input: '2 3\n', output: '5\n' }];
      const run = (code: string, cpuLimit?: number) => pool.run({ code, tests, cpuLimit }).then((r) => r[0]);
      const [ok, wrong, syntax, crash, exit0, slow, bulk] = await Promise.all([
        run('a, b = map(int, input().split())\nprint(a + b)'),
        run('print(6)'),
        run('print(('),
        run('raise ValueError("boom")'),
        run('import sys\nprint(5)\nsys.exit(0)'),
        run('while True:\n    pass', 0.3),
        run('import sys\nprint(sum(map(int, sys.stdin.buffer.read().split())))'),
      ]);
      expect(ok).toMatchObject({ ok: true, reason: '' });
      expect(ok.cpu).toHaveLength(1);
      expect(wrong).toMatchObject({ ok: false, reason: 'wrong answer' });
      expect(syntax.reason).toMatch(/^syntax error/);
      expect(crash.reason).toBe('runtime error: ValueError: boom');
      expect(exit0.ok).toBe(true);
      expect(slow).toMatchObject({ ok: false, reason: 'timeout' });
      expect(bulk.ok).toBe(true);
    } finally {
      pool.close();
    }
  });
});

describe('generateSynthetic', () => {
  it('has at least 12 families, each with several slow variants', () => {
    expect(FAMILIES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(FAMILIES.map((f) => f.name)).size).toBe(FAMILIES.length);
  });

  it('is deterministic: same N and seed give the same bytes, another seed differs', async () => {
    // The 14 families of generator version 1 (the default is now the corpus, src/corpus).
    const familyList = FAMILIES;
    const a = await generateSynthetic({ problems: 28, seed: 11, verify: false, familyList });
    const b = await generateSynthetic({ problems: 28, seed: 11, verify: false, familyList });
    const c = await generateSynthetic({ problems: 28, seed: 12, verify: false, familyList });
    const text = (ps: typeof a.problems) => ps.map(serializeProblem).join('\n');
    expect(text(a.problems)).toBe(text(b.problems));
    expect(text(c.problems)).not.toBe(text(a.problems));
    expect(Object.keys(a.stats.byFamily).sort()).toEqual(FAMILIES.map((f) => f.name).sort());
    for (const p of a.problems) {
      for (const f of STATEMENT_FIELD_ORDER) expect(p.fields[f].length, `${p.id} ${f}`).toBeGreaterThan(0);
      expect(p.fields.titleDifficulty).toMatch(/^Title:.+\nDifficulty:\d+$/);
      expect(p.fields.samplesNote).toMatch(/^I\/O test:Sample 1\nInput\n/);
      expect(p.solutions.filter((s) => s.role === 'fast')).toHaveLength(1);
      const slow = p.solutions.filter((s) => s.role === 'slow');
      expect(slow.length).toBeGreaterThanOrEqual(2);
      expect(new Set(slow.map((s) => s.code)).size).toBe(slow.length);
      for (const s of p.solutions) expect(s.code.split('\n').length).toBeLessThanOrEqual(26);
      expect(p.tests.filter((t) => t.sample).length).toBeGreaterThanOrEqual(1);
      expect(p.tests.at(-1)!.large).toBe(true);
    }
    // Identifiers and wording vary within a family.
    const pairs = a.problems.filter((p) => p.family === 'list-vs-set-membership');
    expect(pairs[0].solutions[0].code).not.toBe(pairs[1].solutions[0].code);
  });

  it("every family's solutions pass its samples and medium test under python3", async () => {
    const pool = new VerifierPool(2);
    try {
      // Six instances per family (identifier choices vary between them), samples and medium test.
      const checks = FAMILIES.flatMap((family) =>
        [0, 1, 2, 3, 4, 5].flatMap((k) => {
          const inst = makeInstance(9, k, [family]).instance;
          const tests = [...inst.samples, inst.medium];
          return [inst.fast, ...inst.slow].map(
            async (s) =>
              [
                `${family.name}#${k}/${s.variant}`,
                (await pool.run({ code: s.code, tests })).map((r) => r.reason).filter(Boolean),
              ] as const,
          );
        }),
      );
      const failures = (await Promise.all(checks)).filter(([, reasons]) => reasons.length > 0);
      expect(failures).toEqual([]);
    } finally {
      pool.close();
    }
  });

  it('verifies with python3 (large tests included) and writes a manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecode-synth-'));
    const out = join(dir, 'synth.jsonl');
    const families = ['list-vs-set-membership', 'naive-recursion-vs-dp', 'resumming-vs-prefix-sums'];
    const { manifest, stats } = await writeSynthetic(out, { problems: 3, seed: 3, concurrency: 2, families });
    expect(stats.droppedSolutions).toEqual({});
    expect(stats.droppedProblems).toEqual({});
    expect(manifest.problems).toBe(3);
    expect(Object.keys(manifest.byFamily).sort()).toEqual([...families].sort());
    expect(manifest.provenance).toMatchObject({ tool: 'ecode data synth', generator: 'synthetic', seed: 3 });
    // Verification keeps everything here, so the file equals the unverified generation byte for byte.
    const unverified = await generateSynthetic({ problems: 3, seed: 3, verify: false, families });
    expect((await readFile(out, 'utf8')).trimEnd()).toBe(unverified.problems.map(serializeProblem).join('\n'));
  });

  it('drops solutions that fail and problems without a passing fast solution, counting reasons', async () => {
    const broken: Family = {
      name: 'toy-double',
      idea: 'test family',
      make(rng) {
        const x = rng.int(1, 9);
        const c = { input: lines(x), output: lines(2 * x) };
        const fastWrong = x % 3 === 0;
        return {
          title: 'Double',
          difficulty: '800',
          body: 'Print 2x.',
          inputSpec: 'x',
          outputSpec: '2x',
          note: '',
          samples: [c],
          medium: c,
          large: c,
          fast: { variant: 'mul', code: fastWrong ? 'print(0)' : 'print(2 * int(input()))' },
          slow: [
            { variant: 'add', code: 'x = int(input())\nprint(x + x)' },
            { variant: 'wrong', code: 'print(int(input()) * 3)' },
            { variant: 'crash', code: 'import os\nos._exit(3)' },
          ],
        };
      },
    };
    const { problems, stats } = await generateSynthetic({ problems: 6, seed: 1, familyList: [broken], concurrency: 2 });
    expect(problems).toHaveLength(6);
    for (const p of problems) expect(p.solutions.map((s) => s.variant)).toEqual(['mul', 'add']);
    expect(stats.droppedProblems['fast solution failed']).toBeGreaterThanOrEqual(1);
    expect(Object.keys(stats.droppedSolutions)).toContain('toy-double/wrong: wrong answer');
    // A solution that kills its worker fails alone; the pool restarts the worker.
    expect(Object.keys(stats.droppedSolutions).some((k) => k.startsWith('toy-double/crash: verifier crashed'))).toBe(
      true,
    );
    expect(problems.map((p) => p.id)).toEqual([...problems.map((p) => p.id)].sort());
  });
});
