import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ToyModel, toySamples } from '../testing/toy-model.js';
import { generate } from './generate.js';
import { pickToken } from './generate-sampling.js';
import { Rng } from '../rng.js';
import { train } from '../train/train.js';

describe('pickToken', () => {
  const logits = Float32Array.from([1, 3, 2, 0.5, 3]);

  it('greedy picks the first arg max and skips banned ids', () => {
    expect(pickToken(logits, 0, 5, { greedy: true }, new Rng(1))).toBe(1);
    expect(pickToken(logits, 0, 5, { greedy: true, banned: [1] }, new Rng(1))).toBe(4);
    expect(pickToken(Float32Array.from([9, 9, 0, 1, 2]), 2, 3, { greedy: true }, new Rng(1))).toBe(2);
  });

  it('top-k keeps only the k most likely tokens (ties at the k-th kept)', () => {
    const seen = new Set<number>();
    const rng = new Rng(2);
    for (let i = 0; i < 300; i++) seen.add(pickToken(logits, 0, 5, { topK: 1 }, rng));
    expect([...seen].sort()).toEqual([1, 4]);
    seen.clear();
    for (let i = 0; i < 300; i++) seen.add(pickToken(logits, 0, 5, { topK: 3, temperature: 5 }, rng));
    expect([...seen].sort()).toEqual([1, 2, 4]);
  });

  it('top-p keeps the smallest head reaching p, including the crossing token', () => {
    // probabilities 0.5, 0.3, 0.2
    const l = Float32Array.from([Math.log(0.2), Math.log(0.5), Math.log(0.3)]);
    const rng = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 2000; i++) counts[pickToken(l, 0, 3, { topP: 0.6 }, rng)]++;
    expect(counts[0]).toBe(0);
    expect(counts[1] / 2000).toBeGreaterThan(0.55); // 0.5 / 0.8 = 0.625
    expect(counts[1] / 2000).toBeLessThan(0.7);
    const only = new Set(Array.from({ length: 200 }, () => pickToken(l, 0, 3, { topP: 0.4 }, rng)));
    expect([...only]).toEqual([1]);
  });

  it('a low temperature concentrates the draw on the arg max', () => {
    const rng = new Rng(4);
    const l = Float32Array.from([0, 1, 0.5]);
    const hot = Array.from({ length: 500 }, () => pickToken(l, 0, 3, { temperature: 0.05 }, rng));
    expect(hot.filter((t) => t === 1).length).toBeGreaterThan(490);
    expect(() => pickToken(Float32Array.from([1]), 0, 1, { banned: [0] }, rng)).toThrow(/banned/);
  });
});

describe('generate', () => {
  const data = toySamples(12, { seed: 8 });

  it('greedy output of a trained toy model follows the learned pattern, with and without the cache', async () => {
    const model = new ToyModel({ seed: 1, dropout: 0 });
    await train(model, data, [], { seed: 1, batchSize: 4, lr: 0.05, epochs: 25, progress: false });
    const cached = await generate(model, data.slice(0, 4), { greedy: true, maxNewTokens: 12, batchSize: 3 });
    const plain = await generate(model, data.slice(0, 4), { greedy: true, maxNewTokens: 12, useCache: false });
    expect(plain.map((g) => g.samples)).toEqual(cached.map((g) => g.samples));
    expect(cached.map((g) => g.index)).toEqual([0, 1, 2, 3]);
    // The toy target counts up by one: most generated transitions should do the same.
    let up = 0;
    let total = 0;
    for (const g of cached) {
      const s = g.samples[0];
      for (let i = 1; i < s.length; i++, total++) if (s[i] === 3 + ((s[i - 1] - 3 + 1) % 13)) up++;
    }
    expect(total).toBeGreaterThan(0);
    expect(up / total).toBeGreaterThan(0.8);
    expect(cached.some((g) => g.stopped[0])).toBe(true);
    model.dispose();
  });

  it('sampling is seeded, independent of batching, and n samples differ', async () => {
    const model = new ToyModel({ seed: 2 });
    const opts = { maxNewTokens: 6, numSamples: 3, temperature: 1.5, topK: 8, topP: 0.95, seed: 7, stopToken: null };
    const a = await generate(model, data.slice(0, 5), { ...opts, batchSize: 5 });
    const b = await generate(model, data.slice(0, 5), { ...opts, batchSize: 2 });
    const c = await generate(model, data.slice(0, 5), { ...opts, batchSize: 5, seed: 8 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    for (const g of a) {
      expect(g.samples).toHaveLength(3);
      expect(g.samples.every((s) => s.length === 6)).toBe(true); // no stop token: runs to the budget
      expect(g.stopped).toEqual([false, false, false]);
      expect(g.samples.flat().includes(model.special.start)).toBe(false); // the start token is banned
    }
    expect(new Set(a.flatMap((g) => g.samples.map((s) => s.join(',')))).size).toBeGreaterThan(10);
    model.dispose();
  });

  it('leaks no tensors and rejects bad options', async () => {
    const model = new ToyModel({ seed: 3 });
    await generate(model, data.slice(0, 2), { maxNewTokens: 3 });
    const before = tf.memory().numTensors;
    await generate(model, data.slice(0, 3), { maxNewTokens: 5, numSamples: 2 });
    expect(tf.memory().numTensors).toBe(before);
    await expect(generate(model, data, { maxNewTokens: 0 })).rejects.toThrow(/maxNewTokens/);
    await expect(generate(model, data, { maxNewTokens: 2, topP: 0 })).rejects.toThrow(/topP/);
    model.dispose();
  });
});
