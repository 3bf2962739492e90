/** The training plan: samples per step, steps per epoch, and warnings for settings that are legal but surely unmeant. */
import { resolveConfig } from '@ecode/config';
import { describe, expect, it } from 'vitest';
import { describeTrainingPlan, planTraining } from './training-plan.js';

const training = (t: Record<string, unknown>) => resolveConfig({ training: t }).training;

describe('planTraining', () => {
  it('warns, naming the keys, when one optimizer step takes more samples than the training set', () => {
    // A preset that sets no gradientAccumulation gets the paper's 32.
    const t = training({ batchSize: 8, epochs: 1000, maxSteps: 120 });
    const plan = planTraining(t, 200);
    expect(plan.samplesPerStep).toBe(256);
    expect(plan.stepsPerEpoch).toBe(25 / 32);
    expect(plan.warnings).toEqual([
      'training.batchSize (8) x training.gradientAccumulation (32) = 256 samples per optimizer step, more than the 200 training samples: every step is more than an epoch; lower training.gradientAccumulation or training.batchSize',
    ]);
    expect(describeTrainingPlan(t, plan, 200)).toBe(
      'training plan: 256 samples per optimizer step (batchSize 8 x gradientAccumulation 32); 200 training samples = 0.78 steps per epoch; 120 steps (153.60 epochs), ended by training.maxSteps',
    );
  });

  it('warns when the epochs end training far before maxSteps', () => {
    const t = training({ batchSize: 4, gradientAccumulation: 1, epochs: 2, maxSteps: 500 });
    const plan = planTraining(t, 400);
    expect(plan).toMatchObject({ samplesPerStep: 4, stepsPerEpoch: 100, steps: 200, stoppedBy: 'epochs' });
    expect(plan.warnings).toEqual([
      'training.epochs (2) ends training after 200 steps, far short of training.maxSteps (500); raise training.epochs or lower training.maxSteps',
    ]);
  });

  it('warns when maxSteps ends training inside the first epoch', () => {
    const plan = planTraining(training({ batchSize: 2, gradientAccumulation: 1, epochs: 1000, maxSteps: 20 }), 100);
    expect(plan.warnings).toEqual([
      'training.maxSteps (20) ends training before the first epoch is over (50 steps per epoch): part of the training set is never seen',
    ]);
  });

  it('says nothing about the "epochs: 1000, maxSteps decides" idiom, and names the shards', () => {
    const t = training({ batchSize: 8, gradientAccumulation: 1, dataParallel: 2, epochs: 1000, maxSteps: 600 });
    const plan = planTraining(t, 371);
    expect(plan).toMatchObject({ samplesPerStep: 8, microBatchesPerEpoch: 47, stepsPerEpoch: 47, steps: 600 });
    expect(plan.warnings).toEqual([]);
    expect(describeTrainingPlan(t, plan, 371)).toBe(
      'training plan: 8 samples per optimizer step (batchSize 8 x gradientAccumulation 1, split into 2 data-parallel shards); 371 training samples = 47 steps per epoch; 600 steps (12.77 epochs), ended by training.maxSteps',
    );
  });
});
