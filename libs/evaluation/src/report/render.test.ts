import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePrograms } from '../evaluate.js';
import type { JudgedProgram } from '../types.js';
import { mulberry32 } from '../stats/rng.js';
import { checkHtmlFilesInChromium, findChromium } from './chromium-check.js';
import { buildReportInput } from './from-evaluation.js';
import { renderReport } from './render.js';

function variantPrograms(seed: number, speed: number): JudgedProgram[] {
  const r = mulberry32(seed);
  return Array.from({ length: 24 }, (_, i) => {
    const ok = r() < 0.7;
    return {
      problemId: `p${i}`,
      difficulty: i % 2 ? 'interview' : 'introductory',
      verdicts: ok ? ['pass', 'pass'] : ['pass', 'wrong-answer'],
      icCost: 1000,
      cost: 1000 / (speed * (0.8 + r() * 0.8)),
      generated: 'n = int(input())\nprint(n)\n',
      reference: 'n = int(input())\nprint(n * 2)\n',
    } satisfies JudgedProgram;
  });
}

const measure = { name: 'cpu-time', unit: 'us' };
const curve = (k: number) => Array.from({ length: 20 }, (_, s) => ({ step: s * 10, loss: 5 * Math.exp(-s / k) + 0.5 }));
const input = buildReportInput(
  'Ablation <smoke>',
  [
    {
      name: 'e-code',
      evaluation: evaluatePrograms(variantPrograms(1, 2), { measure, seed: 1, resamples: 200 }),
      trainingCurve: curve(5),
    },
    {
      name: 'no-expert',
      evaluation: evaluatePrograms(variantPrograms(2, 1.1), { measure, seed: 1, resamples: 200 }),
      trainingCurve: curve(8),
    },
  ],
  {
    seed: 1,
    resamples: 200,
    notes: ['config hash abc123'],
    metrics: ['compileRate', 'passRate', 'strictPassRate', 'bleu', 'lineBleu', 'speedup', 'improvement', 'optRate'],
  },
);

const rendered = renderReport(input);

describe('renderReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecode-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes Markdown with the measure, the metric table and the significance table', async () => {
    const { markdown, html } = await rendered;
    expect(markdown).toContain('# Ablation <smoke>');
    expect(markdown).toContain('Cost measure: cpu-time (us)');
    expect(markdown).toContain('| metric | e-code (n=24) | no-expert (n=24) |');
    expect(markdown).toMatch(/\| speedup IC\/EC \(failed or slower = 1\) \| [0-9.]+ \[[0-9.]+, [0-9.]+\] \|/);
    expect(markdown).toContain('## Variant vs variant');
    expect(markdown).toMatch(/\| no-expert \| e-code \|/);
    expect(markdown).toContain('## Difficulty: interview');
    // HTML is self-contained: three inline charts, no scripts, nothing external
    expect(html.match(/<svg/g)?.length).toBe(3);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('<title>Ablation &lt;smoke&gt;</title>');
  });

  it('is deterministic', async () => {
    const a = await rendered;
    const b = await renderReport(input);
    expect(a).toEqual(b);
  });

  const chromium = findChromium();
  it.skipIf(!chromium)(
    'renders in headless Chromium with no console errors and its charts present (and the check does see errors)',
    async () => {
      const { html } = await rendered;
      const file = join(dir, 'report.html');
      writeFileSync(file, html);
      // a control page proves that console errors and exceptions are caught
      const bad = join(dir, 'bad.html');
      writeFileSync(bad, '<!DOCTYPE html><title>bad</title><script>console.error("boom"); undefinedFn();</script>');
      const [page, control] = await checkHtmlFilesInChromium([file, bad]);
      expect(page.consoleErrors).toEqual([]);
      expect(page.title).toBe('Ablation <smoke>');
      expect(page.svgCount).toBe(3);
      expect(page.chartIds).toEqual(['chart-training', 'chart-metrics', 'chart-speedup']);
      expect(control.svgCount).toBe(0);
      expect(control.consoleErrors.length).toBe(2);
      expect(control.consoleErrors[0]).toContain('boom');
      expect(control.consoleErrors[1]).toContain('undefinedFn');
    },
  );
  if (!chromium) {
    it('headless Chromium check skipped: no chromium at /usr/bin/chromium (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {
      expect(findChromium()).toBeUndefined();
    });
  }
});

describe('a report with a held-out-families split, eval loss and all-zero metrics', () => {
  const failing = (seed: number): JudgedProgram[] =>
    variantPrograms(seed, 1).map((p) => ({ ...p, verdicts: ['wrong-answer'], cost: undefined }));
  const withEval = (k: number) => curve(k).map((p, i) => (i % 5 === 4 ? { ...p, evalLoss: p.loss + 0.3 } : p));
  const ev = (programs: JudgedProgram[]) => evaluatePrograms(programs, { measure, seed: 1, resamples: 100 });
  const twoSplits = buildReportInput(
    'Two splits',
    [
      {
        name: 'e-code',
        evaluation: ev(variantPrograms(1, 2)),
        heldOutEvaluation: ev(failing(3)),
        trainingCurve: withEval(5),
      },
      {
        name: 'no-expert',
        evaluation: ev(variantPrograms(2, 1.1)),
        heldOutEvaluation: ev(failing(4)),
        trainingCurve: withEval(8),
      },
    ],
    {
      seed: 1,
      resamples: 100,
      heldOutLabel: 'held-out families (list-pop0-vs-deque)',
      metrics: ['compileRate', 'passRate', 'strictPassRate', 'speedup'],
    },
  );

  it('shows both splits side by side, each with its tables and comparisons', async () => {
    const { markdown } = await renderReport(twoSplits);
    const headings = markdown.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.slice(0, 5)).toEqual([
      '## In-family vs held-out families (list-pop0-vs-deque) (side by side)',
      '## Metrics: in-family test problems',
      '## Metrics: held-out families (list-pop0-vs-deque)',
      '## Variant vs variant: in-family test problems (paired bootstrap on common problems)',
      '## Variant vs variant: held-out families (list-pop0-vs-deque) (paired bootstrap on common problems)',
    ]);
    expect(markdown).toContain(
      '| variant | all-pass rate: in-family | all-pass rate: held-out | IO pass rate (fractional): in-family |',
    );
    // held-out programs all fail: pass rates 0, speedup 1 (failed = 1)
    expect(markdown).toMatch(/\| e-code \| 0\.\d+ \[0\.\d+, 0\.\d+\] \| 0\.000 \[0\.000, 0\.000\] \|/);
  });

  it('draws training and validation loss, skips all-zero panels and names them', async () => {
    const { html } = await renderReport(twoSplits);
    expect(html).toContain('Training and validation loss');
    expect(html).toContain('Validation loss');
    expect(html).toMatch(
      /Metrics: held-out families \(list-pop0-vs-deque\), with 95% intervals; 0 for every variant \(no panel\): [^<]*all-pass rate/,
    );
    expect(html).not.toContain('0.000000');
    expect(html.match(/<svg/g)?.length).toBe(4);
  });
});

describe('a report with three named test splits (the idiom corpus)', () => {
  const ev = (programs: JudgedProgram[]) => evaluatePrograms(programs, { measure, seed: 1, resamples: 100 });
  const input = buildReportInput(
    'Corpus',
    [
      {
        name: 'e-code',
        evaluation: ev(variantPrograms(1, 2)),
        splitEvaluations: {
          'unseen-combination': ev(variantPrograms(3, 1.5)),
          'unseen-idiom': ev(variantPrograms(5, 1.2)),
        },
      },
      {
        name: 'no-expert',
        evaluation: ev(variantPrograms(2, 1.1)),
        splitEvaluations: {
          'unseen-combination': ev(variantPrograms(4, 1.1)),
          'unseen-idiom': ev(variantPrograms(6, 1)),
        },
      },
    ],
    {
      seed: 1,
      resamples: 100,
      mainSplitLabel: 'in-distribution',
      splitLabels: { 'unseen-combination': 'unseen combinations', 'unseen-idiom': 'unseen idioms (a, b)' },
      metrics: ['compileRate', 'strictPassRate', 'speedup'],
    },
  );

  it('shows all three side by side, each with its metrics, comparisons and chart', async () => {
    expect(input.splits?.map((s) => s.key)).toEqual(['unseen-combination', 'unseen-idiom']);
    expect(input.splits?.[1].comparisons?.length).toBeGreaterThan(0);
    const { markdown, html } = await renderReport(input);
    const headings = markdown.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.slice(0, 7)).toEqual([
      '## Test splits side by side: in-distribution; unseen combinations; unseen idioms (a, b)',
      '## Metrics: in-distribution test problems',
      '## Metrics: unseen combinations',
      '## Metrics: unseen idioms (a, b)',
      '## Variant vs variant: in-distribution test problems (paired bootstrap on common problems)',
      '## Variant vs variant: unseen combinations (paired bootstrap on common problems)',
      '## Variant vs variant: unseen idioms (a, b) (paired bootstrap on common problems)',
    ]);
    expect(markdown).toContain(
      '| variant | all-pass rate: in-distribution | all-pass rate: unseen-combination | all-pass rate: unseen-idiom |',
    );
    const row = markdown.split('\n').find((l) => l.startsWith('| e-code | '))!;
    expect(row.split(' | ')).toHaveLength(10); // name + 3 metrics x 3 splits
    expect(html).toContain('Metrics: unseen idioms (a, b), with 95% intervals');
  });
});

describe('chart data', () => {
  it('thins long training curves to at most 400 points, keeping the last', async () => {
    const { thin } = await import('./charts.js');
    const pts = Array.from({ length: 1001 }, (_, i) => i);
    const t = thin(pts);
    expect(t.length).toBeLessThanOrEqual(401);
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBe(1000);
    expect(thin([1, 2, 3])).toEqual([1, 2, 3]);
  });
});
