/**
 * The execution-time predictor: a small BERT encoder (@ecode/model's `BertModel`) over byte-level
 * BPE tokens of the code, mean-pooled over real tokens, and a linear head that regresses the
 * standardised log-time. Parameter names: `encoder.*` (HF BERT names) and `head.weight/bias`.
 */
import * as tf from '@tensorflow/tfjs';
import { BertModel, bertConfig, linear, ParamStore, SeedSequence } from '@ecode/model';

export interface PredictorSpec {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  /** Tokens per program, [CLS] included. */
  maxTokens: number;
  dropout: number;
}

export class TimePredictorModel {
  readonly store: ParamStore;
  readonly encoder: BertModel;
  readonly headWeight: tf.Variable;
  readonly headBias: tf.Variable;

  constructor(
    readonly spec: PredictorSpec,
    seed: number,
  ) {
    if (spec.hidden % spec.heads !== 0)
      throw new Error(`TimePredictorModel: hidden ${spec.hidden} is not divisible by heads ${spec.heads}`);
    this.store = new ParamStore(seed);
    const config = bertConfig({
      vocabSize: spec.vocabSize,
      hiddenSize: spec.hidden,
      numLayers: spec.layers,
      numHeads: spec.heads,
      intermediateSize: spec.intermediate,
      maxPositions: spec.maxTokens,
      hiddenDropout: spec.dropout,
      attentionDropout: spec.dropout,
      padTokenId: 0,
    });
    this.encoder = new BertModel(this.store.scope('encoder.'), config, new SeedSequence(seed ^ 0x5bd1e995));
    this.headWeight = this.store.create('head.weight', [1, spec.hidden], { kind: 'normal', std: 0.02 });
    this.headBias = this.store.create('head.bias', [1], { kind: 'zeros' });
  }

  get variables(): Map<string, tf.Variable> {
    return this.store.variables;
  }

  /** Standardised log-time per row, `[B]`. `ids` are padded with 0; `valid` marks real tokens. */
  forward(ids: number[][], valid: number[][], training: boolean): tf.Tensor1D {
    return tf.tidy(() => {
      const b = ids.length;
      const t = ids[0]?.length ?? 0;
      if (b === 0 || t === 0) throw new Error('TimePredictorModel.forward: empty batch');
      const idT = tf.tensor2d(ids.flat(), [b, t], 'int32');
      const h = this.encoder.forward({ ids: idT, keyValid: valid }, training);
      const mask = tf.tensor3d(valid.flat(), [b, t, 1], 'float32');
      const pooled = tf.div(tf.sum(tf.mul(h, mask), 1), tf.maximum(tf.sum(mask, 1), 1)) as tf.Tensor2D;
      return tf.reshape(linear(pooled, this.headWeight, this.headBias), [b]) as tf.Tensor1D;
    });
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** [CLS] + the first `maxTokens - 1` token ids, then padded to the batch's longest row. */
export function padRows(rows: number[][], clsId: number, maxTokens: number): { ids: number[][]; valid: number[][] } {
  const cut = rows.map((r) => [clsId, ...r.slice(0, maxTokens - 1)]);
  const t = Math.max(...cut.map((r) => r.length));
  return {
    ids: cut.map((r) => [...r, ...new Array<number>(t - r.length).fill(0)]),
    valid: cut.map((r) => [...new Array<number>(r.length).fill(1), ...new Array<number>(t - r.length).fill(0)]),
  };
}
