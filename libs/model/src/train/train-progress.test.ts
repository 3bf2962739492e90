import { describe, expect, it } from 'vitest';
import { ProgressLine, formatDuration, formatProgress } from './train-progress.js';

const info = { step: 5, totalSteps: 120, epoch: 1, loss: 2.34567, lr: 2e-5, tokensPerSecond: 812.4, etaSeconds: 3725 };

describe('progress line', () => {
  it('formats step, loss, lr, tokens/s and ETA', () => {
    expect(formatProgress(info)).toBe('step   5/120 | epoch 1 | loss 2.3457 | lr 2.00e-5 | 812 tok/s | ETA 1h02m');
    expect(formatProgress({ ...info, evalLoss: 1.5 })).toMatch(/\| eval 1\.5000$/);
    expect([formatDuration(59.6), formatDuration(61), formatDuration(Infinity)]).toEqual(['1m00s', '1m01s', '?']);
  });

  it('rewrites one line on a TTY and keeps eval lines', () => {
    const out: string[] = [];
    const p = new ProgressLine({ write: (s: string) => out.push(s), isTTY: true });
    p.update(info);
    p.update({ ...info, step: 6 });
    p.update({ ...info, step: 7, evalLoss: 1.2 }, true);
    p.finish();
    expect(out[0].startsWith('\r\x1b[2Kstep   5/120')).toBe(true);
    expect(out[1].startsWith('\r\x1b[2Kstep   6/120')).toBe(true);
    expect(out.slice(3)).toEqual(['\n']); // the eval line ends with a newline; finish adds nothing more
  });

  it('prints plain lines at most every interval otherwise', () => {
    const out: string[] = [];
    let now = 0;
    const p = new ProgressLine({ write: (s: string) => out.push(s) }, 1000, () => now);
    for (let step = 1; step <= 120; step++) {
      now = step * 100;
      p.update({ ...info, step });
    }
    // step 1, then every 10 steps (1 s), and the last step
    expect(out.length).toBe(13);
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
  });
});
