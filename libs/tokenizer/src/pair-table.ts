/**
 * An open-addressing hash table from a pair of small non-negative integers to an integer, on
 * typed arrays. It is the merge-rank lookup of byte-level BPE, the innermost loop of encoding.
 */
export class PairTable {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap <<= 1;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  private slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const keysA = this.keysA;
    let i = this.slot(a, b) & this.mask;
    for (;;) {
      const ka = keysA[i];
      if (ka === -1) return -1;
      if (ka === a && this.keysB[i] === b) return this.values[i];
      i = (i + 1) & this.mask;
    }
  }

  /** Stores value for (a, b) unless (a, b) is already there; returns the stored value. */
  setIfAbsent(a: number, b: number, value: number): number {
    if ((this.count + 1) * 2 > this.keysA.length) this.grow();
    let i = this.slot(a, b) & this.mask;
    for (;;) {
      const ka = this.keysA[i];
      if (ka === -1) {
        this.keysA[i] = a;
        this.keysB[i] = b;
        this.values[i] = value;
        this.count++;
        return value;
      }
      if (ka === a && this.keysB[i] === b) return this.values[i];
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    const cap = keysA.length * 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.setIfAbsent(keysA[i], keysB[i], values[i]);
  }
}
