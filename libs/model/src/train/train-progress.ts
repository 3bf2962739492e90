/**
 * The training progress line: step, loss, learning rate, tokens/s and ETA. On a TTY it rewrites
 * one line in place; otherwise it prints a plain line at most every `intervalMs` (and always for
 * the first and last step and for evaluations).
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

export interface ProgressInfo {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  lr: number;
  tokensPerSecond: number;
  etaSeconds: number;
  evalLoss?: number;
}

export function formatProgress(p: ProgressInfo): string {
  const width = String(p.totalSteps).length;
  const parts = [
    `step ${String(p.step).padStart(width)}/${p.totalSteps}`,
    `epoch ${p.epoch}`,
    `loss ${p.loss.toFixed(4)}`,
    `lr ${p.lr.toExponential(2)}`,
    `${p.tokensPerSecond.toFixed(0)} tok/s`,
    `ETA ${formatDuration(p.etaSeconds)}`,
  ];
  if (p.evalLoss !== undefined) parts.push(`eval ${p.evalLoss.toFixed(4)}`);
  return parts.join(' | ');
}

export class ProgressLine {
  private lastPrint = -Infinity;
  private open = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  update(p: ProgressInfo, force = false): void {
    const line = formatProgress(p);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${line}`);
      this.open = true;
      if (force && p.evalLoss !== undefined) this.finish();
      return;
    }
    const t = this.now();
    if (force || p.step === 1 || p.step === p.totalSteps || t - this.lastPrint >= this.intervalMs) {
      this.stream.write(line + '\n');
      this.lastPrint = t;
    }
  }

  /** Ends an in-place line (TTY) so later output starts on a fresh line. */
  finish(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }
}
