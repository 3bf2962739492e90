import { peerMetricLabel } from '../efficiency/peers.js';
import { METRICS } from '../metrics.js';

const EXTRA: Record<string, string> = {
  codeBleu: 'CodeBLEU (n-gram, weighted, AST, data-flow)',
};

export function metricLabel(name: string): string {
  return METRICS.find((m) => m.name === name)?.label ?? EXTRA[name] ?? peerMetricLabel(name) ?? name;
}

/** Format a value for tables: rates and BLEU-type numbers keep 2-4 significant decimals. */
export function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  return x.toFixed(3);
}

export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}
