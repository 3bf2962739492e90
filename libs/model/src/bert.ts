/**
 * Hugging Face `BertModel` without pooler: word + position + token-type embeddings, post-LN
 * encoder layers, exact GELU, additive attention mask. Parameter names are HF's
 * (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, ...).
 */
import * as tf from '@tensorflow/tfjs';
import { attend, keyPaddingBias, mergeHeads, splitHeads, splitHeadsT } from './attention.js';
import { dropout, embedding, gelu, layerNorm, linear, SeedSequence } from './ops.js';
import { normal, ones, ParamScope, zeros } from './params.js';

export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  hiddenDropout: number;
  attentionDropout: number;
  padTokenId: number;
}

export function bertConfig(
  c: Partial<BertConfig> &
    Pick<BertConfig, 'vocabSize' | 'hiddenSize' | 'numLayers' | 'numHeads' | 'intermediateSize' | 'maxPositions'>,
): BertConfig {
  return { typeVocabSize: 2, layerNormEps: 1e-12, hiddenDropout: 0.1, attentionDropout: 0.1, padTokenId: 0, ...c };
}

interface BertLayerParams {
  q: [tf.Variable, tf.Variable];
  k: [tf.Variable, tf.Variable];
  v: [tf.Variable, tf.Variable];
  o: [tf.Variable, tf.Variable];
  ln1: [tf.Variable, tf.Variable];
  inter: [tf.Variable, tf.Variable];
  out: [tf.Variable, tf.Variable];
  ln2: [tf.Variable, tf.Variable];
}

export interface BertInput {
  /** Token ids `[B,T]` (int32), or `embeds` `[B,T,H]` (HF `inputs_embeds`). */
  ids?: tf.Tensor2D;
  embeds?: tf.Tensor3D;
  /** Token types `[B,T]` (int32); zeros when absent. */
  tokenTypes?: tf.Tensor2D;
  /** Per-row key validity (1 token, 0 padding); all valid when absent. */
  keyValid?: ArrayLike<number>[];
}

export class BertModel {
  readonly wordEmbeddings: tf.Variable;
  readonly positionEmbeddings: tf.Variable;
  readonly tokenTypeEmbeddings: tf.Variable;
  readonly embLn: [tf.Variable, tf.Variable];
  readonly layers: BertLayerParams[] = [];

  constructor(
    scope: ParamScope,
    readonly config: BertConfig,
    private readonly seeds: SeedSequence,
  ) {
    const c = config;
    const h = c.hiddenSize;
    const lin = (name: string, out: number, inp: number): [tf.Variable, tf.Variable] => [
      scope.create(`${name}.weight`, [out, inp], normal()),
      scope.create(`${name}.bias`, [out], zeros),
    ];
    const ln = (name: string): [tf.Variable, tf.Variable] => [
      scope.create(`${name}.weight`, [h], ones),
      scope.create(`${name}.bias`, [h], zeros),
    ];
    if (h % c.numHeads !== 0)
      throw new Error(`BertModel ${scope.prefix}: hidden size ${h} is not divisible by ${c.numHeads} heads`);
    this.wordEmbeddings = scope.create(
      'embeddings.word_embeddings.weight',
      [c.vocabSize, h],
      normal(undefined, c.padTokenId),
    );
    this.positionEmbeddings = scope.create('embeddings.position_embeddings.weight', [c.maxPositions, h], normal());
    this.tokenTypeEmbeddings = scope.create('embeddings.token_type_embeddings.weight', [c.typeVocabSize, h], normal());
    this.embLn = ln('embeddings.LayerNorm');
    for (let i = 0; i < c.numLayers; i++) {
      const p = `encoder.layer.${i}.`;
      this.layers.push({
        q: lin(`${p}attention.self.query`, h, h),
        k: lin(`${p}attention.self.key`, h, h),
        v: lin(`${p}attention.self.value`, h, h),
        o: lin(`${p}attention.output.dense`, h, h),
        ln1: ln(`${p}attention.output.LayerNorm`),
        inter: lin(`${p}intermediate.dense`, c.intermediateSize, h),
        out: lin(`${p}output.dense`, h, c.intermediateSize),
        ln2: ln(`${p}output.LayerNorm`),
      });
    }
  }

  /** `last_hidden_state` `[B,T,H]`. */
  forward(input: BertInput, training: boolean): tf.Tensor3D {
    const c = this.config;
    return tf.tidy(() => {
      let x: tf.Tensor;
      if (input.embeds) x = input.embeds;
      else if (input.ids) x = embedding(this.wordEmbeddings, input.ids);
      else throw new Error('BertModel.forward: give ids or embeds');
      const [b, t] = x.shape;
      if (t > c.maxPositions)
        throw new Error(`BertModel: sequence of ${t} tokens exceeds max_position_embeddings ${c.maxPositions}`);
      const pos = tf.slice(this.positionEmbeddings, [0, 0], [t, c.hiddenSize]);
      const types = input.tokenTypes
        ? embedding(this.tokenTypeEmbeddings, input.tokenTypes)
        : tf.slice(this.tokenTypeEmbeddings, [0, 0], [1, c.hiddenSize]);
      x = tf.add(tf.add(x, pos), types);
      x = dropout(layerNorm(x, this.embLn[0], this.embLn[1], c.layerNormEps), c.hiddenDropout, training, this.seeds);
      const bias = input.keyValid ? keyPaddingBias(input.keyValid) : null;
      const scale = 1 / Math.sqrt(c.hiddenSize / c.numHeads);
      for (const l of this.layers) {
        const x2 = tf.reshape(x, [b * t, c.hiddenSize]);
        const q = tf.reshape(tf.mul(linear(x2, l.q[0], l.q[1]), scale), [b, t, c.hiddenSize]);
        const k = tf.reshape(linear(x2, l.k[0], l.k[1]), [b, t, c.hiddenSize]);
        const v = tf.reshape(linear(x2, l.v[0], l.v[1]), [b, t, c.hiddenSize]);
        const ctx = attend(splitHeads(q, c.numHeads), splitHeadsT(k, c.numHeads), splitHeads(v, c.numHeads), {
          batch: b,
          heads: c.numHeads,
          bias,
          dropoutRate: c.attentionDropout,
          training,
          seeds: this.seeds,
        });
        const merged = tf.reshape(mergeHeads(ctx, b, c.numHeads), [b * t, c.hiddenSize]);
        const attnOut = dropout(linear(merged, l.o[0], l.o[1]), c.hiddenDropout, training, this.seeds);
        const h1 = layerNorm(tf.add(attnOut, x2), l.ln1[0], l.ln1[1], c.layerNormEps);
        const inter = gelu(linear(h1, l.inter[0], l.inter[1]));
        const out = dropout(linear(inter, l.out[0], l.out[1]), c.hiddenDropout, training, this.seeds);
        x = tf.reshape(layerNorm(tf.add(out, h1), l.ln2[0], l.ln2[1], c.layerNormEps), [b, t, c.hiddenSize]);
      }
      return x as tf.Tensor3D;
    });
  }
}
