/** Padding helpers: turn ragged id lists into padded int32 tensors plus per-row validity. */
import * as tf from '@tensorflow/tfjs';

export interface PaddedRows {
  /** `[B,T]` int32 ids, right-padded (or left-padded) with `pad`. */
  ids: tf.Tensor2D;
  lengths: number[];
  width: number;
  /** Per row, 1 for a real token, 0 for padding. */
  valid: number[][];
  /** Per row, logical position of each slot (padding slots get 0). */
  positions: number[][];
}

/** Pads `rows` to a common width (at least 1) with `pad`, on the right unless `left`. */
export function padRows(rows: number[][], pad: number, left = false): PaddedRows {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const data = new Int32Array(rows.length * width).fill(pad);
  const valid: number[][] = [];
  const positions: number[][] = [];
  rows.forEach((r, i) => {
    const off = left ? width - r.length : 0;
    data.set(r, i * width + off);
    const v = new Array<number>(width).fill(0);
    const p = new Array<number>(width).fill(0);
    for (let j = 0; j < r.length; j++) {
      v[off + j] = 1;
      p[off + j] = j;
    }
    valid.push(v);
    positions.push(p);
  });
  return {
    ids: tf.tensor2d(data, [rows.length, width], 'int32'),
    lengths: rows.map((r) => r.length),
    width,
    valid,
    positions,
  };
}

/** Truncates to `max` tokens keeping the last token (the `[SEP]` of a BERT input). */
export function truncateKeepLast(ids: number[], max: number): number[] {
  if (ids.length <= max) return ids;
  return ids.slice(0, max - 1).concat(ids[ids.length - 1]);
}

/**
 * Per-row compaction of several padded `[B,T_i,D]` blocks: row b becomes the valid positions of
 * block 0, then block 1, ... (truncated to `maxLen`), right-padded. Returns the gathered `[B,L,D]`
 * tensor and its validity. This makes a padded batch see exactly the sequence a batch-1 run sees.
 */
export function compactConcat(
  blocks: tf.Tensor3D[],
  lengths: number[][],
  maxLen: number,
): { out: tf.Tensor3D; valid: number[][]; lengths: number[] } {
  const b = blocks[0].shape[0];
  const d = blocks[0].shape[2];
  const widths = blocks.map((t) => t.shape[1]);
  const total = widths.reduce((x, y) => x + y, 0);
  const rowsIdx: number[][] = [];
  for (let r = 0; r < b; r++) {
    const idx: number[] = [];
    let off = 0;
    for (let k = 0; k < blocks.length; k++) {
      for (let j = 0; j < lengths[k][r] && idx.length < maxLen; j++) idx.push(r * total + off + j);
      off += widths[k];
    }
    rowsIdx.push(idx);
  }
  const width = Math.max(1, ...rowsIdx.map((x) => x.length));
  const flat = new Int32Array(b * width);
  const valid: number[][] = [];
  rowsIdx.forEach((idx, r) => {
    flat.set(idx, r * width);
    const v = new Array<number>(width).fill(0);
    for (let j = 0; j < idx.length; j++) v[j] = 1;
    for (let j = idx.length; j < width; j++) flat[r * width + j] = r * total;
    valid.push(v);
  });
  const out = tf.tidy(() => {
    const all = blocks.length === 1 ? blocks[0] : tf.concat(blocks, 1);
    return tf.reshape(tf.gather(tf.reshape(all, [b * total, d]), tf.tensor1d(flat, 'int32')), [
      b,
      width,
      d,
    ]) as tf.Tensor3D;
  });
  return { out, valid, lengths: rowsIdx.map((x) => x.length) };
}
