/**
 * `evaluation.largestTests`: a program is judged on every test but timed on the largest ones, so
 * that the host's per-test launch cost on the small tests does not pull speedups towards 1.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@ecode/config';
import type { Problem } from '@ecode/data';
import { describe, expect, it } from 'vitest';
import { hasBwrap } from '../test-host.js';
import { runPaths } from './run-paths.js';
import { evaluateStage, measureName } from './evaluate-stage.js';
import type { GeneratedProgram } from './generate-stage.js';

// The slow solution is slow only on the (short) sample input, which asks for 3 million loop turns;
// the test flagged large asks for 10. Timing every test sees the loop, timing the largest does not.
const SLOW = 'n = int(input())\ns = 0\nfor i in range(n):\n    s += i\nprint(s)\n';
const FAST = 'n = int(input())\nprint(n * (n - 1) // 2)\n';
const problem: Problem = {
  id: 'p/1',
  source: 'test',
  split: 'test',
  title: 'Sum',
  difficulty: '800',
  fields: { titleDifficulty: '', body: '', inputSpec: '', outputSpec: '', samplesNote: '' },
  tests: [
    { input: '3000000\n', output: '4499998500000\n', sample: true },
    { input: '10\n', output: '45\n', large: true },
  ],
  solutions: [
    { role: 'fast', code: FAST },
    { role: 'slow', code: SLOW },
  ],
};
const program: GeneratedProgram = {
  sampleId: 'p/1#1',
  problemId: 'p/1',
  solutionIndex: 1,
  sample: 0,
  code: FAST,
  stopped: true,
  tokens: 10,
};

async function judgeWith(largestTests: number) {
  const config = resolveConfig({ evaluation: { repeats: 1, largestTests, bootstrapSamples: 0 } });
  const dir = mkdtempSync(join(tmpdir(), 'ecode-timed-'));
  const { judged, evaluation } = await evaluateStage(
    {
      config,
      paths: runPaths(dir),
      hash: 'test',
      configDir: dir,
      log: () => undefined,
      signal: new AbortController().signal,
      progress: false,
    },
    [program],
    new Map([[problem.id, problem]]),
  );
  return { judged: judged[0], evaluation, written: readFileSync(runPaths(dir).judged, 'utf8') };
}

describe('measureName', () => {
  it('says which tests the cost covers', () => {
    const unit = (largestTests: number) =>
      measureName(resolveConfig({ evaluation: { repeats: 3, largestTests } })).unit;
    expect(unit(1)).toBe('µs CPU (median of 3) on the largest test');
    expect(unit(2)).toBe('µs CPU (median of 3) on the 2 largest tests');
    expect(unit(0)).toBe('µs CPU (median of 3) over every test');
    expect(resolveConfig({}).evaluation.largestTests).toBe(1);
  });
});

describe.skipIf(!hasBwrap)('evaluateStage: cost on the largest tests', () => {
  it('judges on every test but times only the largest unless largestTests is 0', async () => {
    const large = await judgeWith(1);
    const all = await judgeWith(0);
    for (const r of [large, all]) {
      expect(r.judged.verdicts).toEqual(['pass', 'pass']);
      expect(r.judged.allPass).toBe(true);
    }
    // 3 million Python loop turns cost well over 100 ms of CPU; a program start is ~1-20 ms.
    expect(all.judged.icCost as number).toBeGreaterThan(5 * (large.judged.icCost as number));
    expect(all.judged.icCost as number).toBeGreaterThan(100_000);
    expect(large.judged.cost as number).toBeLessThan(100_000);
    expect(all.evaluation.metrics.speedup.estimate).toBeGreaterThan(large.evaluation.metrics.speedup.estimate);
    expect(JSON.parse(large.written.trim()).icCost).toBe(large.judged.icCost);
  }, 60_000);
});
