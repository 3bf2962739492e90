import { describe, expect, it } from 'vitest';
import { mulberry32, mulberry32FromState } from './rng.js';

const take = (r: () => number, n = 3) => Array.from({ length: n }, () => r());

// The first draws of the generators before they were shared (main at f771e3a): config's
// mulberry32, and the raw-seeded copy that @ecode/tracking (retry jitter) and @ecode/tokenizer
// (synthetic corpus) carried. Sharing one implementation changed none of them.
describe('mulberry32', () => {
  it('the grid and bootstrap stream (seed mixed with the golden ratio) is unchanged', () => {
    expect(take(mulberry32(0))).toEqual([0.3588899802416563, 0.10590326134115458, 0.675290479324758]);
    expect(take(mulberry32(7))).toEqual([0.9823943767696619, 0.3341257639694959, 0.6892532545607537]);
    expect(take(mulberry32(-5))).toEqual([0.6532046326901764, 0.7138221093919128, 0.20853373873978853]);
  });

  it('from a raw state: the stream tracking and the tokenizer corpus drew before', () => {
    expect(take(mulberry32FromState(0))).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    expect(take(mulberry32FromState(12345))).toEqual([0.9797282677609473, 0.3067522644996643, 0.484205421525985]);
    expect(take(mulberry32FromState(4294967295))).toEqual([0.8964226141106337, 0.189478256739676, 0.7156526781618595]);
  });
});
