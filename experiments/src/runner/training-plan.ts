/**
 * What a run's training section means for its training set, said before training starts: how
 * many samples one optimizer step takes, how many steps make an epoch, which limit (epochs or
 * maxSteps) ends training and when. Settings that are legal but almost surely not what the user
 * meant get a warning that names the keys (for instance a preset that leaves
 * `gradientAccumulation` at the paper's 32 on a few hundred samples: every step is then more
 * than an epoch).
 */
import type { TrainingConfig } from '@ecode/config';

export interface TrainingPlan {
  /** Samples per optimizer step: batchSize x gradientAccumulation (shards split a micro-batch). */
  samplesPerStep: number;
  /** Micro-batches per epoch (the last one may be short). */
  microBatchesPerEpoch: number;
  /** Optimizer steps per epoch (fractional when an epoch is not a whole number of steps). */
  stepsPerEpoch: number;
  /** Steps training will take, and which limit stops it. */
  steps: number;
  stoppedBy: 'epochs' | 'maxSteps';
  /** Epochs those steps cover. */
  epochs: number;
  warnings: string[];
}

/** Mirrors the training loop's arithmetic (libs/model train: epochs x batches, then maxSteps). */
export function planTraining(t: TrainingConfig, trainSamples: number): TrainingPlan {
  const samplesPerStep = t.batchSize * t.gradientAccumulation;
  const microBatchesPerEpoch = Math.max(1, Math.ceil(trainSamples / t.batchSize));
  const stepsPerEpoch = microBatchesPerEpoch / t.gradientAccumulation;
  const byEpochs = Math.ceil((t.epochs * microBatchesPerEpoch) / t.gradientAccumulation);
  const stoppedBy = t.maxSteps !== undefined && t.maxSteps < byEpochs ? 'maxSteps' : 'epochs';
  const steps = stoppedBy === 'maxSteps' ? (t.maxSteps as number) : byEpochs;
  const warnings: string[] = [];
  const shards = t.dataParallel > 1 ? ` (split into ${t.dataParallel} shards)` : '';
  if (samplesPerStep > trainSamples)
    warnings.push(
      `training.batchSize (${t.batchSize}) x training.gradientAccumulation (${t.gradientAccumulation}) = ${samplesPerStep} samples per optimizer step${shards}, more than the ${trainSamples} training samples: every step is more than an epoch; lower training.gradientAccumulation or training.batchSize`,
    );
  if (t.maxSteps !== undefined && stoppedBy === 'epochs' && byEpochs * 2 <= t.maxSteps)
    warnings.push(
      `training.epochs (${t.epochs}) ends training after ${byEpochs} steps, far short of training.maxSteps (${t.maxSteps}); raise training.epochs or lower training.maxSteps`,
    );
  if (stoppedBy === 'maxSteps' && steps < stepsPerEpoch)
    warnings.push(
      `training.maxSteps (${t.maxSteps}) ends training before the first epoch is over (${fmt(stepsPerEpoch)} steps per epoch): part of the training set is never seen`,
    );
  return {
    samplesPerStep,
    microBatchesPerEpoch,
    stepsPerEpoch,
    steps,
    stoppedBy,
    epochs: steps / stepsPerEpoch,
    warnings,
  };
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** The plan as one log line. */
export function describeTrainingPlan(t: TrainingConfig, plan: TrainingPlan, trainSamples: number): string {
  const shards = t.dataParallel > 1 ? `, split into ${t.dataParallel} data-parallel shards` : '';
  return (
    `training plan: ${plan.samplesPerStep} samples per optimizer step (batchSize ${t.batchSize} x gradientAccumulation ${t.gradientAccumulation}${shards}); ` +
    `${trainSamples} training samples = ${fmt(plan.stepsPerEpoch)} steps per epoch; ` +
    `${plan.steps} steps (${fmt(plan.epochs)} epochs), ended by training.${plan.stoppedBy}`
  );
}
