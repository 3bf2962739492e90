import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { countReads } from '../testing/count-reads.js';
import { ToyModel, toySamples } from '../testing/toy-model.js';
import { evaluateLoss, train, type TrainMetrics, type TrainOptions } from './train.js';

const data = toySamples(24, { seed: 3 });
const trainSet = data.slice(0, 20);
const evalSet = data.slice(20);

async function weightsOf(model: ToyModel): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of model.variables) out[k] = Array.from(await v.data());
  return out;
}

const base: TrainOptions = { seed: 42, batchSize: 4, lr: 0.05, epochs: 3, progress: false, bucketWindow: 2 };

describe('train', () => {
  it('lowers the training and eval loss and reports metrics every step', async () => {
    const model = new ToyModel({ seed: 1 });
    const before = await evaluateLoss(model, evalSet, 4);
    const metrics: TrainMetrics[] = [];
    const result = await train(model, trainSet, evalSet, {
      ...base,
      epochs: 6,
      evalEvery: 10,
      onMetrics: (m) => void metrics.push(m),
    });
    expect(result.steps).toBe(30);
    expect(result.stopReason).toBe('completed');
    expect(metrics.map((m) => m.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(metrics.filter((m) => m.evalLoss !== undefined).map((m) => m.step)).toEqual([10, 20, 30]);
    expect(metrics.every((m) => m.tokensPerSecond > 0 && m.lr === 0.05 && m.gradNorm > 0)).toBe(true);
    const first = metrics.slice(0, 5).reduce((s, m) => s + m.loss, 0) / 5;
    const last = metrics.slice(-5).reduce((s, m) => s + m.loss, 0) / 5;
    expect(last).toBeLessThan(first * 0.8);
    expect(result.bestEvalLoss!).toBeLessThan(before * 0.8);
    expect(result.evalHistory.length).toBe(3);
    model.dispose();
  });

  it('reads the losses back once per log interval, with the same record per step', async () => {
    /** The records of a 10-step run and the reads of tensor data (`data()` / `dataSync()`) it made. */
    const runWith = async (logEvery: number) => {
      const model = new ToyModel({ seed: 4 });
      const records: TrainMetrics[] = [];
      const { reads } = await countReads(() =>
        train(model, trainSet, [], { ...base, epochs: 2, logEvery, onMetrics: (m) => void records.push(m) }),
      );
      model.dispose();
      return {
        reads,
        records: records.map(({ tokensPerSecond, ...r }) => (expect(tokensPerSecond).toBeGreaterThan(0), r)),
      };
    };
    const every = await runWith(1);
    const batched = await runWith(4);
    expect(every.records.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(batched.records).toEqual(every.records);
    // One read a step; one per 4 steps (steps 4, 8 and the last, 10).
    expect(every.reads).toBe(10);
    expect(batched.reads).toBe(3);
    await expect(train(new ToyModel({ seed: 4 }), trainSet, [], { ...base, logEvery: 0 })).rejects.toThrow(
      /logEvery must be an integer >= 1/,
    );
  });

  it('keeps the tensor count flat across steps', async () => {
    const model = new ToyModel({ seed: 2 });
    const counts: number[] = [];
    await train(model, trainSet, evalSet, {
      ...base,
      epochs: 2,
      gradAccumulation: 2,
      evalEvery: 2,
      onMetrics: () => void counts.push(tf.memory().numTensors),
    });
    expect(counts.length).toBe(5);
    expect(new Set(counts.slice(1)).size).toBe(1);
    model.dispose();
  });

  it('a killed run resumed in a fresh model reaches bit-identical final weights', async () => {
    const straight = new ToyModel({ seed: 5 });
    const ckA = await mkdtemp(join(tmpdir(), 'ecode-train-'));
    const opts: TrainOptions = {
      ...base,
      gradAccumulation: 2,
      schedule: { kind: 'linear', warmupSteps: 2 },
      evalEvery: 3,
      optimizer: { weightDecay: 0.01 },
    };
    const full = await train(straight, trainSet, evalSet, { ...opts, checkpoint: { dir: ckA, every: 0 } });
    expect(full.steps).toBe(8);

    const dir = await mkdtemp(join(tmpdir(), 'ecode-train-'));
    const killed = new ToyModel({ seed: 5 });
    const abort = new AbortController();
    const first = await train(killed, trainSet, evalSet, {
      ...opts,
      checkpoint: { dir, every: 2 },
      signal: abort.signal,
      onMetrics: (m) => {
        if (m.step === 5) abort.abort(); // dies after step 5: steps 5 is lost, step 4 is on disk
      },
    });
    expect(first.stopReason).toBe('aborted');
    expect((await readFile(join(dir, 'latest'), 'utf8')).trim()).toBe('step-000004');
    const state = JSON.parse(await readFile(join(dir, 'step-000004', 'state.json'), 'utf8'));
    expect(state).toMatchObject({ step: 4, epoch: 1, batchInEpoch: 3 });
    expect(state.rng).toHaveLength(4);

    const resumed = new ToyModel({ seed: 999 }); // different initial weights: all state must come from disk
    const second = await train(resumed, trainSet, evalSet, { ...opts, checkpoint: { dir, every: 2 } });
    expect(second.resumedFromStep).toBe(4);
    expect(second.steps).toBe(8);
    expect(await weightsOf(resumed)).toEqual(await weightsOf(straight));
    expect(second.evalHistory.map((e) => e.step)).toEqual([6, 8]);
    expect(second.evalHistory.at(-1)!.evalLoss).toBe(full.evalHistory.at(-1)!.evalLoss);
    expect((await readdir(dir)).filter((e) => e.startsWith('step-')).sort()).toEqual(['step-000006', 'step-000008']);

    // Different data or settings refuse to resume.
    const other = new ToyModel({ seed: 5 });
    await expect(train(other, trainSet.slice(1), evalSet, { ...opts, checkpoint: { dir, every: 2 } })).rejects.toThrow(
      /different settings or data/,
    );
    for (const m of [straight, killed, resumed, other]) m.dispose();
  });

  it('a signal between micro-batches discards the partial step, checkpoints the last whole one, and resumes bit-identically', async () => {
    const opts: TrainOptions = {
      ...base,
      gradAccumulation: 2,
      schedule: { kind: 'linear', warmupSteps: 2 },
      evalEvery: 3,
      optimizer: { weightDecay: 0.01 },
    };
    const straight = new ToyModel({ seed: 5 });
    await train(straight, trainSet, evalSet, opts);

    // The signal arrives during the first micro-batch of step 6 (training call 11); periodic
    // checkpoints every 4 steps would leave step 4 only.
    class Signalled extends ToyModel {
      calls = 0;
      constructor(private readonly ac: AbortController) {
        super({ seed: 5 });
      }
      override loss(samples: Parameters<ToyModel['loss']>[0], training: boolean) {
        if (training && ++this.calls === 11) this.ac.abort();
        return super.loss(samples, training);
      }
    }
    const dir = await mkdtemp(join(tmpdir(), 'ecode-train-'));
    const abort = new AbortController();
    const stopped = new Signalled(abort);
    const steps: number[] = [];
    const first = await train(stopped, trainSet, evalSet, {
      ...opts,
      checkpoint: { dir, every: 4 },
      signal: abort.signal,
      checkpointOnAbort: true,
      onMetrics: (m) => void steps.push(m.step),
    });
    expect(first.stopReason).toBe('aborted');
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    expect(stopped.calls).toBe(11); // the second micro-batch of step 6 never ran
    expect(first.steps).toBe(5);
    expect((await readFile(join(dir, 'latest'), 'utf8')).trim()).toBe('step-000005');

    const resumed = new ToyModel({ seed: 999 });
    const second = await train(resumed, trainSet, evalSet, { ...opts, checkpoint: { dir, every: 4 } });
    expect(second.resumedFromStep).toBe(5);
    expect(second.steps).toBe(8);
    expect(await weightsOf(resumed)).toEqual(await weightsOf(straight));
    for (const m of [straight, stopped, resumed]) m.dispose();
  });

  it('stops early when the eval loss stops improving and can restore the best weights', async () => {
    const model = new ToyModel({ seed: 4 });
    // A learning rate this high makes the eval loss bounce.
    const r = await train(model, trainSet, evalSet, {
      ...base,
      lr: 3,
      epochs: 40,
      evalEvery: 1,
      earlyStopping: { patience: 2, restoreBest: true },
    });
    expect(r.stopReason).toBe('early-stopping');
    expect(r.steps).toBeLessThan(200);
    const tail = r.evalHistory.slice(-2).map((e) => e.evalLoss);
    expect(Math.min(...tail)).toBeGreaterThanOrEqual(r.bestEvalLoss!);
    expect(await evaluateLoss(model, evalSet, 4)).toBeCloseTo(r.bestEvalLoss!, 5);
    model.dispose();
  });

  it('prints a plain progress line when the stream is not a TTY', async () => {
    const model = new ToyModel({ seed: 6 });
    const lines: string[] = [];
    await train(model, trainSet, [], {
      ...base,
      epochs: 1,
      maxSteps: 3,
      progress: { write: (s: string) => lines.push(s), isTTY: false },
      progressIntervalMs: 1e9,
    });
    expect(lines.length).toBe(2); // first and last step
    expect(lines[1]).toMatch(/^step 3\/3 \| epoch 0 \| loss \d+\.\d{4} \| lr 5\.00e-2 \| \d+ tok\/s \| ETA 0s\n$/);
    model.dispose();
  });
});
