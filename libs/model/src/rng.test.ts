import { describe, expect, it } from 'vitest';
import { Rng, hashString, mixSeed } from './rng.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Rng(666);
    const b = new Rng(666);
    const c = new Rng(667);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
    expect(sa.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff)).toBe(true);
  });

  it('resumes the same sequence from a saved state', () => {
    const a = new Rng(1);
    for (let i = 0; i < 10; i++) a.nextFloat();
    const saved = a.getState();
    const rest = Array.from({ length: 5 }, () => a.nextFloat());
    const b = Rng.fromState(saved);
    expect(Array.from({ length: 5 }, () => b.nextFloat())).toEqual(rest);
    expect(() => b.setState([0, 0, 0, 0])).toThrow(/all-zero/);
    expect(() => b.setState([1, 2, 3])).toThrow(/four unsigned/);
  });

  it('draws floats in [0, 1) with a plausible mean and integers in range', () => {
    const r = new Rng(3);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
    }
    expect(sum / 10000).toBeGreaterThan(0.48);
    expect(sum / 10000).toBeLessThan(0.52);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[r.nextInt(3)]++;
    expect(Math.min(...counts)).toBeGreaterThan(900);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = new Rng(5).shuffle([...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });

  it('feeds Math.random inside withMathRandom and restores it afterwards', () => {
    const original = Math.random;
    const xs = new Rng(9).withMathRandom(() => [Math.random(), Math.random()]);
    const ys = new Rng(9).withMathRandom(() => [Math.random(), Math.random()]);
    expect(xs).toEqual(ys);
    expect(Math.random).toBe(original);
    expect(() =>
      new Rng(9).withMathRandom(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Math.random).toBe(original);
  });

  it('mixes seeds and hashes strings deterministically', () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(hashString('p1/0')).toBe(hashString('p1/0'));
    expect(hashString('p1/0')).not.toBe(hashString('p1/1'));
  });
});
