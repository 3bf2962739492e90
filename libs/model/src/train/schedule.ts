/**
 * Learning-rate schedules, as pure functions of the optimizer step (0-based: the rate used by the
 * first update is `lr(0)`). The original E-code uses a constant rate; the HF prompt baselines use
 * a linear warm-up then a linear decay to zero.
 */

export type ScheduleOptions =
  | { kind: 'constant'; lr: number }
  | {
      kind: 'linear';
      lr: number;
      /** Steps of linear warm-up from 0 to `lr` (0: none); same formula as HF `get_linear_schedule_with_warmup`. */
      warmupSteps: number;
      /** Step at which the rate reaches `finalLr` after a linear decay. */
      totalSteps: number;
      /** Rate at and after `totalSteps` (default 0). */
      finalLr?: number;
    };

export type LearningRateSchedule = (step: number) => number;

export function makeSchedule(options: ScheduleOptions): LearningRateSchedule {
  if (!(options.lr >= 0) || !Number.isFinite(options.lr))
    throw new Error(`schedule: lr must be a finite number >= 0, got ${options.lr}`);
  if (options.kind === 'constant') {
    const lr = options.lr;
    return () => lr;
  }
  if (options.kind === 'linear') {
    const { lr, warmupSteps, totalSteps } = options;
    const finalLr = options.finalLr ?? 0;
    if (!Number.isInteger(warmupSteps) || warmupSteps < 0)
      throw new Error(`schedule 'linear': warmupSteps must be an integer >= 0, got ${warmupSteps}`);
    if (!Number.isInteger(totalSteps) || totalSteps < warmupSteps) {
      throw new Error(
        `schedule 'linear': totalSteps must be an integer >= warmupSteps (${warmupSteps}), got ${totalSteps}`,
      );
    }
    return (step: number) => {
      // Hugging Face's get_linear_schedule_with_warmup: the first update uses rate 0.
      if (step < warmupSteps) return (lr * step) / warmupSteps;
      if (step >= totalSteps) return finalLr;
      const span = totalSteps - warmupSteps;
      const progress = span === 0 ? 1 : (step - warmupSteps) / span;
      return lr + (finalLr - lr) * progress;
    };
  }
  throw new Error(`schedule: unknown kind '${(options as { kind: string }).kind}' (allowed: constant, linear)`);
}
