/**
 * Hugging Face `BertModel` without pooler: word + position + token-type embeddings, post-LN
 * encoder layers, exact GELU, additive attention mask. Parameter names are HF's
 * (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, ...).
 */
import * as tf from '@tensorflow/tfjs';
import { attention, keyPaddingBias } from './attention.js';
import { LayerNorm, Linear } from './layers.js';
import { dropout, embedding, gelu, SeedSequence } from './ops.js';
import { normal, ParamScope } from './params.js';

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

/** HF `BertLayer` (`encoder.layer.N.*`): post-LN self-attention then feed-forward, exact GELU. */
export class BertLayer {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  /** `attention.output.dense` and `attention.output.LayerNorm`. */
  readonly attentionOutput: Linear;
  readonly attentionLn: LayerNorm;
  /** `intermediate.dense`, then `output.dense` and `output.LayerNorm`. */
  readonly intermediate: Linear;
  readonly output: Linear;
  readonly outputLn: LayerNorm;

  constructor(
    scope: ParamScope,
    private readonly config: BertConfig,
    private readonly seeds: SeedSequence,
  ) {
    const [h, inter] = [config.hiddenSize, config.intermediateSize];
    this.query = new Linear(scope, 'attention.self.query', h, h);
    this.key = new Linear(scope, 'attention.self.key', h, h);
    this.value = new Linear(scope, 'attention.self.value', h, h);
    this.attentionOutput = new Linear(scope, 'attention.output.dense', h, h);
    this.attentionLn = new LayerNorm(scope, 'attention.output.LayerNorm', h, config.layerNormEps);
    this.intermediate = new Linear(scope, 'intermediate.dense', inter, h);
    this.output = new Linear(scope, 'output.dense', h, inter);
    this.outputLn = new LayerNorm(scope, 'output.LayerNorm', h, config.layerNormEps);
  }

  /** `x [B*T,H]` -> `[B*T,H]`; `bias` is the key-padding bias (`[B,1,1,T]`) or null. */
  forward(x: tf.Tensor, b: number, t: number, bias: tf.Tensor4D | null, training: boolean): tf.Tensor {
    const c = this.config;
    const [h, heads] = [c.hiddenSize, c.numHeads];
    const drop = (y: tf.Tensor) => dropout(y, c.hiddenDropout, training, this.seeds);
    const [q, k, v] = [this.query, this.key, this.value].map((p) => tf.reshape(p.apply(x), [b, t, h]) as tf.Tensor3D);
    const ctx = attention(q, k, v, {
      heads,
      scale: 1 / Math.sqrt(h / heads),
      bias,
      dropoutRate: c.attentionDropout,
      training,
      seeds: this.seeds,
    }); // [B,T,H]
    const merged = tf.reshape(ctx, [b * t, h]); // [B*T,H]
    const attn = this.attentionLn.apply(tf.add(drop(this.attentionOutput.apply(merged)), x)); // x = ln(attn(x) + x)
    const ff = drop(this.output.apply(gelu(this.intermediate.apply(attn)))); // [B*T,H] via [B*T,I]
    return this.outputLn.apply(tf.add(ff, attn)); // x = ln(ff(x) + x)
  }
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
  /** `embeddings.LayerNorm`. */
  readonly embeddingsLn: LayerNorm;
  /** `encoder.layer.0` ... */
  readonly layer: BertLayer[] = [];

  constructor(
    scope: ParamScope,
    readonly config: BertConfig,
    private readonly seeds: SeedSequence,
  ) {
    const c = config;
    const h = c.hiddenSize;
    if (h % c.numHeads !== 0)
      throw new Error(`BertModel ${scope.prefix}: hidden size ${h} is not divisible by ${c.numHeads} heads`);
    this.wordEmbeddings = scope.create(
      'embeddings.word_embeddings.weight',
      [c.vocabSize, h],
      normal(undefined, c.padTokenId),
    );
    this.positionEmbeddings = scope.create('embeddings.position_embeddings.weight', [c.maxPositions, h], normal());
    this.tokenTypeEmbeddings = scope.create('embeddings.token_type_embeddings.weight', [c.typeVocabSize, h], normal());
    this.embeddingsLn = new LayerNorm(scope, 'embeddings.LayerNorm', h, c.layerNormEps);
    for (let i = 0; i < c.numLayers; i++) this.layer.push(new BertLayer(scope.scope(`encoder.layer.${i}.`), c, seeds));
  }

  /** `last_hidden_state` `[B,T,H]`. */
  forward(input: BertInput, training: boolean): tf.Tensor3D {
    const c = this.config;
    return tf.tidy(() => {
      let x: tf.Tensor; // [B,T,H]
      if (input.embeds) x = input.embeds;
      else if (input.ids) x = embedding(this.wordEmbeddings, input.ids);
      else throw new Error('BertModel.forward: give ids or embeds');
      const [b, t] = x.shape;
      if (t > c.maxPositions)
        throw new Error(`BertModel: sequence of ${t} tokens exceeds max_position_embeddings ${c.maxPositions}`);
      const pos = tf.slice(this.positionEmbeddings, [0, 0], [t, c.hiddenSize]); // [T,H]
      const types = input.tokenTypes
        ? embedding(this.tokenTypeEmbeddings, input.tokenTypes) // [B,T,H]
        : tf.slice(this.tokenTypeEmbeddings, [0, 0], [1, c.hiddenSize]); // [1,H]: type 0 everywhere
      x = tf.add(tf.add(x, pos), types);
      x = dropout(this.embeddingsLn.apply(x), c.hiddenDropout, training, this.seeds);
      const bias = input.keyValid ? keyPaddingBias(input.keyValid) : null;
      let x2 = tf.reshape(x, [b * t, c.hiddenSize]); // [B*T,H]
      for (const layer of this.layer) x2 = layer.forward(x2, b, t, bias, training);
      return tf.reshape(x2, [b, t, c.hiddenSize]) as tf.Tensor3D;
    });
  }
}
