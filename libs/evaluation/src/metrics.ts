/**
 * The registry of per-program metrics. Each aggregate reported by evaluatePrograms is the mean of
 * a per-program value over the programs where it is defined.
 */
import { allPassed, compiled, passRate } from './correctness.js';
import { sampleBleu } from './bleu/sacrebleu.js';
import { lineBleu } from './bleu/line-bleu.js';
import { beyond, improvement, net, npi, optimized, speedup } from './efficiency/efficiency.js';
import type { MetricId } from '@ecode/config';
import type { JudgedProgram } from './types.js';

/**
 * The metrics computed per program: every metric id of @ecode/config but `codeBleu`, which is
 * computed apart (async, `perProgramCodeBleu`) and passed in as an extra.
 */
export type MetricName = Exclude<MetricId, 'codeBleu'>;

export interface MetricDef {
  name: MetricName;
  label: string;
  /** true when the metric's value depends on the cost measure. */
  usesCost: boolean;
  higherIsBetter: boolean;
  perProgram: (p: JudgedProgram) => number | undefined;
}

export const METRICS: readonly MetricDef[] = [
  { name: 'compileRate', label: 'compile rate', usesCost: false, higherIsBetter: true, perProgram: (p) => compiled(p) },
  {
    name: 'passRate',
    label: 'IO pass rate (fractional)',
    usesCost: false,
    higherIsBetter: true,
    perProgram: (p) => passRate(p),
  },
  {
    name: 'allPassRate',
    label: 'all-pass rate',
    usesCost: false,
    higherIsBetter: true,
    perProgram: (p) => (allPassed(p) ? 1 : 0),
  },
  {
    name: 'bleu',
    label: 'BLEU (sacreBLEU 13a, per sample)',
    usesCost: false,
    higherIsBetter: true,
    perProgram: (p) =>
      p.generated !== undefined && p.reference !== undefined ? sampleBleu(p.generated, p.reference) : undefined,
  },
  {
    name: 'lineBleu',
    label: 'line-BLEU (the original "CodeBLEU")',
    usesCost: false,
    higherIsBetter: true,
    perProgram: (p) =>
      p.generated !== undefined && p.reference !== undefined ? lineBleu(p.reference, p.generated) : undefined,
  },
  {
    name: 'improvement',
    label: 'improvement (IC-EC)/IC, correct only',
    usesCost: true,
    higherIsBetter: true,
    perProgram: improvement,
  },
  {
    name: 'speedup',
    label: 'speedup IC/EC (failed or slower = 1)',
    usesCost: true,
    higherIsBetter: true,
    perProgram: speedup,
  },
  {
    name: 'optRate',
    label: '%Opt (correct, >= 10% faster)',
    usesCost: true,
    higherIsBetter: true,
    perProgram: (p) => optimized(p),
  },
  { name: 'net', label: 'NET EC/reference, correct only', usesCost: true, higherIsBetter: false, perProgram: net },
  { name: 'npi', label: 'NPI (ACEOB), correct only', usesCost: true, higherIsBetter: true, perProgram: npi },
  { name: 'beyond', label: 'Beyond (Mercury; failed = 0)', usesCost: true, higherIsBetter: true, perProgram: beyond },
];

export function metricDef(name: string): MetricDef {
  const d = METRICS.find((m) => m.name === name);
  if (!d) throw new Error(`unknown metric "${name}"; known: ${METRICS.map((m) => m.name).join(', ')}`);
  return d;
}
