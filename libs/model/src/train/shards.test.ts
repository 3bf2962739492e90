/**
 * Gradient shards and replicas (data-parallel training) on the real E-code model, tiny sizes, wasm:
 * - the token-weighted combination of shard gradients is the whole micro-batch's gradient;
 * - replicas in worker threads give bit-identical weights to the same shards computed in turn;
 * - a replica's failure and a wrong model are reported, not hung on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/backend.js';
import type { EncodedSample, CodeRewritingModel } from '../contracts.js';
import { createModel } from '../ecode/create-model.js';
import { GradientReplicas } from './replicas.js';
import { combineShards, shardGradients, splitShards } from './shards.js';
import type { ModelSpec } from '../ecode/spec.js';
import { tinyEcodeSpec, tinySamples } from '../testing/fixtures.js';
import { train, type TrainOptions } from './train.js';

const tinySpec = (dropout: number): ModelSpec => tinyEcodeSpec({ seed: 3, dropout });
// Different target lengths, so the token weights of the shards differ.
const samples = (n: number): EncodedSample[] => tinySamples(n, (i) => 2 + ((i * 3) % 7));

async function weights(model: CodeRewritingModel): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [k, v] of model.variables) out.set(k, Array.from(await v.data()));
  return out;
}

beforeAll(async () => {
  await initBackend('wasm', () => {}, { wasmThreads: 1 });
});

describe('splitShards', () => {
  it('splits into contiguous parts whose sizes differ by at most one, never empty', () => {
    expect(splitShards([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(splitShards([1, 2, 3, 4], 4)).toEqual([[1], [2], [3], [4]]);
    expect(splitShards([1], 3)).toEqual([[1]]);
    expect(() => splitShards([1], 0)).toThrow(/shards must be an integer >= 1/);
  });
});

describe('gradient shards', () => {
  it('token-weighted shard gradients equal the whole micro-batch gradient (no dropout)', async () => {
    const model = createModel(tinySpec(0));
    const entries = [...model.variables].filter(([, v]) => v.trainable);
    const batch = samples(5);
    const whole = shardGradients(model, entries, batch, 1, true);
    const parts = splitShards(batch, 2).map((p, r) => shardGradients(model, entries, p, 10 + r, true));
    const total = parts.reduce((a, p) => a + p.tokens, 0);
    expect(total).toBe(whole.tokens);
    expect(parts[0].tokens).not.toBe(parts[1].tokens);
    const weights = parts.map((p) => p.tokens / total);
    // Relative to each variable's own scale, floored at 1e-3 of the largest gradient: some
    // gradients are exactly zero in exact arithmetic (attention key biases) and only rounding noise.
    let globalMax = 0;
    for (const g of whole.grads.values()) for (const x of g.dataSync()) globalMax = Math.max(globalMax, Math.abs(x));
    let worst = 0;
    let compared = 0;
    for (const [key, v] of entries) {
      const g = whole.grads.get(key);
      const combined = combineShards(
        v.shape,
        parts.map((p) => p.grads.get(key) ?? null),
        weights,
      );
      if (!g || !combined) {
        expect(g ?? null).toBe(combined?.grad ?? null);
        continue;
      }
      const c = combined.grad;
      const a = g.dataSync();
      const b = c.dataSync();
      expect(combined.sumSq).toBeCloseTo(
        Array.from(b).reduce((x: number, y: number) => x + y * y, 0),
        10,
      );
      let scale = 0;
      for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
      scale = Math.max(scale, 1e-3 * globalMax);
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
      compared += 1;
      c.dispose();
    }
    expect(compared).toBeGreaterThan(50);
    expect(worst).toBeLessThan(1e-4);
    const combinedLoss = parts.reduce((a, p, r) => a + p.loss.dataSync()[0] * weights[r], 0);
    expect(combinedLoss).toBeCloseTo(whole.loss.dataSync()[0], 5);
    for (const r of [whole, ...parts]) {
      r.loss.dispose();
      r.grads.forEach((g) => g.dispose());
    }
    model.dispose();
  });
});

describe('gradient replicas (worker threads)', () => {
  let replicas: GradientReplicas | null = null;
  afterAll(async () => {
    await replicas?.dispose();
  });

  it('train with 2 shards gives bit-identical weights with a replica thread and without (dropout on)', async () => {
    const spec = tinySpec(0.1);
    const data = samples(7);
    const opts: TrainOptions = { seed: 5, batchSize: 3, epochs: 2, lr: 1e-3, progress: false, shards: 2 };
    const inTurn = createModel(spec);
    const a = await train(inTurn, data, [], opts);

    replicas = await GradientReplicas.start(spec, 1);
    const parallel = createModel(spec);
    const b = await train(parallel, data, [], { ...opts, replicas });
    expect(b.steps).toBe(a.steps);
    expect(b.lastLoss).toBe(a.lastLoss);
    expect(await weights(parallel)).toEqual(await weights(inTurn));

    // Sharding changes the run (other dropout draws): not the unsharded result.
    const unsharded = createModel(spec);
    await train(unsharded, data, [], { ...opts, shards: 1 });
    const key = [...inTurn.variables.keys()][0];
    expect((await weights(unsharded)).get(key)).not.toEqual((await weights(inTurn)).get(key));
    for (const m of [inTurn, parallel, unsharded]) m.dispose();
  }, 120_000);

  it('a killed sharded run resumes to the weights of an uninterrupted one (replica on, dropout on)', async () => {
    const spec = tinySpec(0.1);
    const data = samples(7);
    const opts: TrainOptions = { seed: 8, batchSize: 3, epochs: 3, lr: 1e-3, progress: false, shards: 2 };
    const straight = createModel(spec);
    await train(straight, data, [], { ...opts, replicas: replicas! });

    const dir = await mkdtemp(join(tmpdir(), 'ecode-shards-resume-'));
    const killed = createModel(spec);
    const abort = new AbortController();
    await train(killed, data, [], {
      ...opts,
      replicas: replicas!,
      checkpoint: { dir, every: 2 },
      signal: abort.signal,
      onMetrics: (m) => {
        if (m.step === 3) abort.abort();
      },
    });
    const resumed = createModel(spec);
    const r = await train(resumed, data, [], { ...opts, replicas: replicas!, checkpoint: { dir, every: 2 } });
    expect(r.resumedFromStep).toBe(2);
    expect(await weights(resumed)).toEqual(await weights(straight));
    // Resuming with another shard count is refused (the fingerprint records it).
    const other = createModel(spec);
    await expect(train(other, data, [], { ...opts, shards: 1, checkpoint: { dir, every: 2 } })).rejects.toThrow(
      /written with different settings/,
    );
    for (const m of [straight, killed, resumed, other]) m.dispose();
  }, 120_000);

  it('refuses replicas of another model, and reports a shard that fails in the replica', async () => {
    const other = createModel({ ...tinySpec(0), decoder: { ...tinySpec(0).decoder, numLayers: 1 } });
    await expect(
      train(other, samples(4), [], {
        seed: 1,
        batchSize: 2,
        lr: 1e-3,
        progress: false,
        shards: 2,
        replicas: replicas!,
      }),
    ).rejects.toThrow(/the replicas hold another model/);
    other.dispose();
    const model = createModel(tinySpec(0));
    const entries = [...model.variables].filter(([, v]) => v.trainable);
    const bad = { ...samples(1)[0], fields: [[1, 2]] };
    await expect(replicas!.computeShards(entries, [{ samples: [bad], dropoutSeed: 1 }], true)[0]).rejects.toThrow(
      /gradient replica 0: /,
    );
    model.dispose();
  }, 60_000);

  it('numTensors stays flat across sharded steps with a replica', async () => {
    const model = createModel(tinySpec(0.1));
    const counts: number[] = [];
    await train(model, samples(8), [], {
      seed: 2,
      batchSize: 2,
      epochs: 2,
      lr: 1e-3,
      progress: false,
      shards: 2,
      replicas: replicas!,
      onMetrics: () => void counts.push(tf.memory().numTensors),
    });
    expect(counts.length).toBe(8);
    expect(new Set(counts.slice(1)).size).toBe(1);
    model.dispose();
  }, 60_000);
});

describe('gradient shards on the cpu backend (no wasm heap: copying paths)', () => {
  it('replica (cpu) and in-turn shards give bit-identical weights', async () => {
    await initBackend('cpu', () => {});
    const spec = tinySpec(0.1);
    const data = samples(5);
    const opts: TrainOptions = { seed: 4, batchSize: 3, epochs: 1, lr: 1e-3, progress: false, shards: 2 };
    const inTurn = createModel(spec);
    await train(inTurn, data, [], opts);
    const cpuReplicas = await GradientReplicas.start(spec, 1, { backend: 'cpu' });
    try {
      const parallel = createModel(spec);
      await train(parallel, data, [], { ...opts, replicas: cpuReplicas });
      expect(await weights(parallel)).toEqual(await weights(inTurn));
      parallel.dispose();
    } finally {
      await cpuReplicas.dispose();
      inTurn.dispose();
      await initBackend('wasm', () => {}, { wasmThreads: 1 });
    }
  }, 120_000);
});
