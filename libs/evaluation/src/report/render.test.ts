import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePrograms } from '../evaluate.js';
import type { JudgedProgram } from '../types.js';
import { mulberry32 } from '@ecode/config';
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
    metrics: ['compileRate', 'passRate', 'allPassRate', 'bleu', 'lineBleu', 'speedup', 'improvement', 'optRate'],
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
    // HTML is self-contained: four inline charts (headline first), no scripts, nothing external
    expect(html.match(/<svg/g)?.length).toBe(4);
    expect(html.indexOf('<figure id="chart-headline">')).toBe(html.indexOf('<body>') + '<body>\n'.length);
    // no label is cut off with an ellipsis
    expect(html).not.toContain('…');
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
      expect(page.svgCount).toBe(4);
      expect(page.chartIds).toEqual(['chart-headline', 'chart-training', 'chart-metrics', 'chart-speedup']);
      expect(page.firstElementId).toBe('chart-headline');
      expect(page.cutTexts).toEqual([]); // no chart title or label cut off
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
      primaryLabel: 'in-family test problems',
      heldOutLabel: 'held-out families (list-pop0-vs-deque)',
      metrics: ['compileRate', 'passRate', 'allPassRate', 'speedup'],
    },
  );

  it('states a split where every variant has the same values in one line, without tables or panels', async () => {
    const { markdown, html } = await renderReport(twoSplits);
    const headings = markdown.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.slice(0, 2)).toEqual([
      '## Metrics: in-family test problems',
      '## Variant vs variant: in-family test problems (paired bootstrap on common problems)',
    ]);
    expect(headings.join('\n')).not.toContain('held-out');
    // held-out programs all fail: pass rates 0, speedup 1 (failed = 1) for both variants
    expect(markdown).toContain(
      '**Same for every variant.** held-out families (list-pop0-vs-deque): compile rate 1.000, IO pass rate (fractional) 0.000, all-pass rate 0.000 and speedup IC/EC (failed or slower = 1) 1.000 for every variant (every metric: no table or chart for this split).',
    );
    expect(html).not.toContain('chart-metrics-held-out');
  });

  it('draws training and validation loss; a metric the same for every variant gets no panel', async () => {
    const { html } = await renderReport(twoSplits);
    expect(html).toContain('Training and validation loss');
    expect(html).toContain('Validation loss');
    expect(html).not.toContain('0.000000');
    expect(html.match(/<svg/g)?.length).toBe(4); // headline, loss, in-family metrics, speedups
  });

  it('compares both splits side by side when variants differ on both, with generic split ids', async () => {
    const half = (seed: number): JudgedProgram[] =>
      variantPrograms(seed, 1.5).map((p, i) => (i % 2 ? { ...p, verdicts: ['wrong-answer'], cost: undefined } : p));
    const input = buildReportInput(
      'Three splits',
      [
        {
          name: 'a',
          evaluation: ev(variantPrograms(1, 2)),
          splitEvaluations: { 'unseen-idioms': ev(half(3)), 'unseen-combos': ev(failing(5)) },
        },
        {
          name: 'b',
          evaluation: ev(variantPrograms(2, 1.1)),
          splitEvaluations: { 'unseen-idioms': ev(half(4)), 'unseen-combos': ev(failing(6)) },
        },
      ],
      {
        seed: 1,
        resamples: 100,
        primaryId: 'in-distribution',
        primaryLabel: 'in-distribution problems',
        splits: [
          { id: 'unseen-combos', label: 'unseen combinations' },
          { id: 'unseen-idioms', label: 'unseen idioms' },
        ],
        metrics: ['allPassRate', 'speedup'],
      },
    );
    expect(input.splits?.map((s) => s.id)).toEqual(['unseen-combos', 'unseen-idioms']);
    const { markdown, html } = await renderReport(input);
    expect(markdown).toContain('## in-distribution problems vs unseen idioms (side by side)');
    expect(markdown).toContain('| variant | all-pass rate: in-distribution | all-pass rate: unseen-idioms |');
    expect(markdown).toContain('## Metrics: unseen idioms');
    expect(markdown).toContain(
      'unseen combinations: all-pass rate 0.000 and speedup IC/EC (failed or slower = 1) 1.000 for every variant',
    );
    expect(html).toContain('id="chart-metrics-unseen-idioms"');
  });

  it('draws a grid as parallel coordinates of the swept keys against the metric', async () => {
    const input = buildReportInput(
      'Grid',
      [
        { name: 'e-code-lr=0.001', evaluation: ev(variantPrograms(1, 2)) },
        { name: 'e-code-lr=5e-4', evaluation: ev(variantPrograms(2, 1.1)) },
      ],
      {
        seed: 1,
        resamples: 100,
        grid: {
          keys: ['training.optimizer.lr'],
          points: {
            'e-code-lr=0.001': { 'training.optimizer.lr': 0.001 },
            'e-code-lr=5e-4': { 'training.optimizer.lr': 5e-4 },
          },
        },
      },
    );
    const { html } = await renderReport(input);
    const grid = html.slice(html.indexOf('<figure id="chart-grid">'));
    expect(grid).toContain('Grid: swept keys against all-pass rate');
    expect(grid).toContain('training.optimizer.lr');
    expect(grid).toContain('5.00e-4');
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
