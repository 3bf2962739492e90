import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pythonExecutable } from '@ecode/data';
import { checkSetProblems } from './check-set.js';

function runPython(code: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(pythonExecutable(), ['-c', code], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err.slice(-400)}`))));
    child.stdin.end(input);
  });
}

const norm = (t: string) =>
  t
    .trimEnd()
    .split('\n')
    .map((l) => l.trimEnd());

describe('the check set of realistic programs', () => {
  it('is deterministic, and every program prints the expected output of its large test', async () => {
    const problems = checkSetProblems();
    expect(JSON.stringify(checkSetProblems())).toBe(JSON.stringify(problems));
    expect(problems.length).toBeGreaterThanOrEqual(6);
    const results = await Promise.all(
      problems.flatMap((p) =>
        p.solutions.map(
          async (s) => [`${p.id}/${s.variant}`, norm(await runPython(s.code, p.tests[0].input))] as const,
        ),
      ),
    );
    for (const [label, out] of results) {
      const p = problems.find((q) => label.startsWith(`${q.id}/`))!;
      expect(out, label).toEqual(norm(p.tests[0].output));
    }
    // Three differently written programs per problem: pairs to rank.
    for (const p of problems) expect(new Set(p.solutions.map((s) => s.code)).size).toBe(3);
  }, 120_000);
});
