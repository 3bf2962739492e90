/**
 * The contract between the models and the training loop and generation code of this lib: E-code,
 * its variants and the GPT-Neo baseline implement `CodeRewritingModel` (slow code + statement in,
 * fast code out); `train.ts` and `generate.ts` depend only on this file.
 */
import type * as tf from '@tensorflow/tfjs';

/** One tokenized training or generation sample: (5 statement fields, slow code, fast code). */
export interface EncodedSample {
  /** Stable id (problem id + solution index), used for data order and reports. */
  id: string;
  problemId: string;
  /** WordPiece ids of the five statement fields in expert order, each `[CLS] ... [SEP]`. */
  fields: number[][];
  /** WordPiece ids of the whole statement (the No-expert variant and the GPT-Neo prompt). */
  statement: number[];
  /**
   * BPE ids of the whole statement (the statement text tokenised by the CODE tokenizer): the GPT-Neo
   * baseline's prompt is in the code vocabulary; only that variant needs it, and it throws without it.
   */
  statementCode?: number[];
  /** BPE ids of the inefficient (slow) code. */
  ic: number[];
  /** BPE ids of the efficient (fast) code without start/end tokens (empty at generation time). */
  ec: number[];
}

/** Special token ids on the code (BPE) side. */
export interface CodeSpecialTokens {
  pad: number;
  /** Start token of the efficient-code decoder (`[CLS]`, 102 in the original). */
  start: number;
  /** End token (`<|endoftext|>`, 50256 with GPT-2's vocabulary). */
  eos: number;
}

export interface LossResult {
  /** Mean cross-entropy over all non-pad label tokens of the batch. */
  loss: tf.Scalar;
  /** Number of label tokens counted. */
  tokens: number;
}

/** Opaque per-batch generation state: encoder outputs computed once and the decoders' KV caches. */
export interface GenerationState {
  readonly rows: number;
  dispose(): void;
}

/** A model that rewrites inefficient code into efficient code: E-code, its ablations, the GPT-Neo baseline. */
export interface CodeRewritingModel {
  readonly variant: 'e-code' | 'no-expert' | 'gpt-neo';
  readonly special: CodeSpecialTokens;
  readonly codeVocabSize: number;
  /** Trainable variables by Hugging Face-style tensor name (the checkpoint names). */
  readonly variables: Map<string, tf.Variable>;
  /** Loss of a batch (padded with masks inside); `training` enables dropout. */
  loss(samples: EncodedSample[], training: boolean): LossResult;
  /** Per-sample mean loss (padding-invariant: equal to running each sample alone). */
  perSampleLoss(samples: EncodedSample[]): tf.Tensor1D;
  /**
   * Runs the encoder side once for `samples` (each repeated `repeats` times, row-major: sample 0
   * repeats first) and prepares empty KV caches. `useCache: false` re-runs the decoders over the
   * whole prefix on every step (for the benchmark and as a reference).
   */
  startGeneration(
    samples: EncodedSample[],
    opts: { repeats: number; maxNewTokens: number; useCache: boolean },
  ): GenerationState;
  /** Feeds one token per row (the start token first) and returns next-token logits `[rows, vocab]`. */
  nextLogits(state: GenerationState, tokens: Int32Array): tf.Tensor2D;
  /**
   * Optional: restarts the model's dropout seed stream at `seed`. The training loop calls it before
   * every micro-batch with a seed from its checkpointed RNG, so a resumed run draws the same dropout
   * masks as an uninterrupted one. (Models without it should draw dropout seeds from Math.random,
   * which the loop also seeds.)
   */
  setDropoutSeed?(seed: number): void;
  dispose(): void;
}
