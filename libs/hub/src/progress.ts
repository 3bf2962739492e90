/** One progress line for a download: size, rate and ETA (rewritten in place on a TTY). */

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export class DownloadProgress {
  private last = 0;
  private readonly started = Date.now();

  constructor(
    private readonly out: ProgressStream,
    private readonly label: string,
    private readonly total: number,
    private readonly startAt: number,
    private readonly intervalMs = 2000,
  ) {}

  line(done: number, now = Date.now()): string {
    const secs = Math.max((now - this.started) / 1000, 1e-3);
    const rate = (done - this.startAt) / secs;
    const eta = rate > 0 ? (this.total - done) / rate : Infinity;
    const pct = this.total > 0 ? ((100 * done) / this.total).toFixed(1) : '?';
    return `downloading ${this.label}: ${formatBytes(done)} / ${formatBytes(this.total)} (${pct}%), ${formatBytes(Math.round(rate))}/s, ETA ${formatSeconds(eta)}`;
  }

  update(done: number): void {
    const now = Date.now();
    if (now - this.last < (this.out.isTTY ? 200 : this.intervalMs)) return;
    this.last = now;
    this.out.write(this.out.isTTY ? `\r${this.line(done, now)}\x1b[K` : `${this.line(done, now)}\n`);
  }

  finish(done: number): void {
    this.out.write(`${this.out.isTTY ? '\r' : ''}${this.line(done)}${this.out.isTTY ? '\x1b[K' : ''}\n`);
  }
}
