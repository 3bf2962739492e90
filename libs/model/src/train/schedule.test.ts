import { describe, expect, it } from 'vitest';
import { makeSchedule } from './schedule.js';

describe('makeSchedule', () => {
  it('constant returns lr at every step', () => {
    const s = makeSchedule({ kind: 'constant', lr: 2e-5 });
    expect([s(0), s(10), s(1e6)]).toEqual([2e-5, 2e-5, 2e-5]);
  });

  it('linear warms up from 0 and decays to finalLr like HF get_linear_schedule_with_warmup', () => {
    const s = makeSchedule({ kind: 'linear', lr: 1, warmupSteps: 4, totalSteps: 12 });
    expect([0, 1, 2, 3, 4].map(s)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(s(8)).toBeCloseTo(0.5, 12);
    expect([12, 20].map(s)).toEqual([0, 0]);
    const noWarm = makeSchedule({ kind: 'linear', lr: 2, warmupSteps: 0, totalSteps: 4, finalLr: 1 });
    expect([0, 1, 2, 4].map(noWarm)).toEqual([2, 1.75, 1.5, 1]);
  });

  it('rejects bad settings with the field name', () => {
    expect(() => makeSchedule({ kind: 'linear', lr: 1, warmupSteps: 5, totalSteps: 3 })).toThrow(/totalSteps/);
    expect(() => makeSchedule({ kind: 'constant', lr: -1 })).toThrow(/lr/);
    expect(() => makeSchedule({ kind: 'cosine', lr: 1 } as never)).toThrow(/unknown kind 'cosine'/);
  });
});
