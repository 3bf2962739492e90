/** Truncation, special-token wrapping and batch padding shared by every tokenizer. */
import type { BatchEncodeOptions, BatchEncoding, EncodeOptions, TruncationSide } from './tokenizer.js';

/** Cuts `ids` to `maxLength` from the given side (returns `ids` itself when it already fits). */
export function truncateIds(ids: number[], maxLength: number | undefined, side: TruncationSide = 'right'): number[] {
  if (maxLength === undefined || ids.length <= maxLength) return ids;
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new Error(`maxLength must be a non-negative integer, got ${maxLength}`);
  }
  return side === 'right' ? ids.slice(0, maxLength) : ids.slice(ids.length - maxLength);
}

/**
 * `prefix + content + suffix`, the content truncated so that the whole fits in maxLength (the
 * special tokens are kept, as Hugging Face does with truncation=True).
 */
export function wrapAndTruncate(
  content: number[],
  prefix: readonly number[],
  suffix: readonly number[],
  options: EncodeOptions,
): number[] {
  const { maxLength, truncationSide = 'right' } = options;
  const room = maxLength === undefined ? undefined : maxLength - prefix.length - suffix.length;
  if (room !== undefined && room < 0) {
    // Not even the special tokens fit: truncate the wrapped sequence itself.
    return truncateIds([...prefix, ...content, ...suffix], maxLength, truncationSide);
  }
  const body = truncateIds(content, room, truncationSide);
  return prefix.length === 0 && suffix.length === 0 ? body : [...prefix, ...body, ...suffix];
}

/** Pads rows with padId to a common length and builds the attention masks. */
export function padBatch(rows: readonly number[][], padId: number, options: BatchEncodeOptions = {}): BatchEncoding {
  const { padding = 'longest', paddingSide = 'right', maxLength } = options;
  if (padding === 'max_length' && maxLength === undefined) {
    throw new Error("padding 'max_length' needs maxLength");
  }
  const lengths = rows.map((r) => r.length);
  const width = padding === 'max_length' ? (maxLength as number) : Math.max(0, ...lengths);
  const inputIds: number[][] = [];
  const attentionMask: number[][] = [];
  for (const row of rows) {
    const n = Math.min(row.length, width);
    const pad = new Array<number>(width - n).fill(padId);
    const ones = new Array<number>(n).fill(1);
    const zeros = new Array<number>(width - n).fill(0);
    const body = row.slice(0, n);
    inputIds.push(paddingSide === 'right' ? [...body, ...pad] : [...pad, ...body]);
    attentionMask.push(paddingSide === 'right' ? [...ones, ...zeros] : [...zeros, ...ones]);
  }
  return { inputIds, attentionMask, lengths };
}
