/** Every synthetic problem family, in a fixed order (the generator shuffles it with the seed). */
import type { Family } from '../family.js';
import { bisectCount } from './bisect-count.js';
import { closedFormula } from './closed-formula.js';
import { counterFrequency } from './counter-frequency.js';
import { heapVsSort } from './heap-vs-sort.js';
import { inputReading } from './input-reading.js';
import { maxSubarray } from './max-subarray.js';
import { membership } from './membership.js';
import { pairSum } from './pair-sum.js';
import { prefixSums } from './prefix-sums.js';
import { queueDeque } from './queue-deque.js';
import { recursionMemo } from './recursion-memo.js';
import { sieve } from './sieve.js';
import { slidingWindow } from './sliding-window.js';
import { stringBuilding } from './string-building.js';

export const FAMILIES: Family[] = [
  membership,
  pairSum,
  stringBuilding,
  inputReading,
  recursionMemo,
  heapVsSort,
  prefixSums,
  sieve,
  bisectCount,
  counterFrequency,
  queueDeque,
  closedFormula,
  slidingWindow,
  maxSubarray,
];
