/**
 * Hugging Face `GPTNeoModel` / `GPTNeoForCausalLM`: pre-LN blocks alternating global and local
 * (windowed) causal attention with NO 1/sqrt(d) scaling, gelu_new MLP, final `ln_f`, LM head tied
 * to `wte`. Key-padding masks and per-row logical positions make padded batches match batch-1 runs.
 * A KV cache supports incremental decoding (local windows respected).
 */
import * as tf from '@tensorflow/tfjs';
import { attention, cachedAttention, causalBias, splitHeads } from './attention.js';
import { LayerNorm, Linear } from './layers.js';
import { dropout, embedding, geluNew, linear, SeedSequence } from './ops.js';
import { normal, ParamScope } from './params.js';

export type AttentionType = 'global' | 'local';

export interface GPTNeoConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  windowSize: number;
  /** Per layer; defaults to alternating global, local. */
  attentionLayers: AttentionType[];
  layerNormEps: number;
  embedDropout: number;
  residDropout: number;
  attentionDropout: number;
}

export function gptNeoConfig(
  c: Partial<GPTNeoConfig> &
    Pick<
      GPTNeoConfig,
      'vocabSize' | 'hiddenSize' | 'numLayers' | 'numHeads' | 'intermediateSize' | 'maxPositions' | 'windowSize'
    >,
): GPTNeoConfig {
  const attentionLayers =
    c.attentionLayers ?? Array.from({ length: c.numLayers }, (_, i) => (i % 2 === 0 ? 'global' : 'local'));
  return { layerNormEps: 1e-5, embedDropout: 0, residDropout: 0, attentionDropout: 0, ...c, attentionLayers };
}

/** Past keys and values per layer (`[B*H, T, dh]`), with the keys' positions and validity. */
export interface NeoKVCache {
  k: tf.Tensor3D[];
  v: tf.Tensor3D[];
  kPos: number[][];
  kValid: number[][];
}

export interface NeoInput {
  ids?: tf.Tensor2D;
  embeds?: tf.Tensor3D;
  /** Logical position of each token `[B][T]`; 0..T-1 per row when absent. */
  positions?: number[][];
  /** Validity of each token `[B][T]` (1 real, 0 padding); all real when absent. */
  valid?: number[][];
  /** When given, keys/values of the new tokens are appended to it (and it is updated in place). */
  cache?: NeoKVCache;
}

export function emptyNeoCache(batch: number, layers: number, heads: number, headDim: number): NeoKVCache {
  return {
    k: Array.from({ length: layers }, () => tf.zeros([batch * heads, 0, headDim]) as tf.Tensor3D),
    v: Array.from({ length: layers }, () => tf.zeros([batch * heads, 0, headDim]) as tf.Tensor3D),
    kPos: Array.from({ length: batch }, () => []),
    kValid: Array.from({ length: batch }, () => []),
  };
}

export function disposeNeoCache(c: NeoKVCache): void {
  for (const t of c.k) t.dispose();
  for (const t of c.v) t.dispose();
}

function arange(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** One layer's past keys and values (`[B*H, T, dh]`) for incremental decoding. */
interface LayerPast {
  k: tf.Tensor3D;
  v: tf.Tensor3D;
}

/** What every layer of one forward shares: sizes, the layer's attention bias, dropout state. */
interface BlockContext {
  batch: number;
  time: number;
  training: boolean;
  /** Additive causal (and window, and key-padding) bias for this layer's attention type. */
  bias: tf.Tensor | null;
  /** Inference with a KV cache: no gradient is recorded. */
  noGrad: boolean;
}

/** HF `GPTNeoSelfAttention` (`attn.attention.*`): no bias on q/k/v, no 1/sqrt(d) scaling. */
export class GPTNeoSelfAttention {
  readonly qProj: Linear;
  readonly kProj: Linear;
  readonly vProj: Linear;
  readonly outProj: Linear;

  constructor(
    scope: ParamScope,
    private readonly config: GPTNeoConfig,
    private readonly seeds: SeedSequence,
  ) {
    const h = config.hiddenSize;
    this.qProj = new Linear(scope, 'q_proj', h, h, { bias: false });
    this.kProj = new Linear(scope, 'k_proj', h, h, { bias: false });
    this.vProj = new Linear(scope, 'v_proj', h, h, { bias: false });
    this.outProj = new Linear(scope, 'out_proj', h, h);
  }

  /**
   * `x [B*T,H]` -> `[B*T,H]` (after `resid_dropout`). With `past`, the new keys/values are appended
   * to it and returned as `present` (the caller keeps them).
   */
  forward(x: tf.Tensor, ctx: BlockContext, past?: LayerPast): { out: tf.Tensor; present?: LayerPast } {
    const c = this.config;
    const [b, t, h, heads] = [ctx.batch, ctx.time, c.hiddenSize, c.numHeads];
    let merged: tf.Tensor; // [B, T, H]
    let present: LayerPast | undefined;
    if (past) {
      if (ctx.training) throw new Error('GPTNeoSelfAttention: the KV cache is for inference; train without one');
      const q = tf.reshape(this.qProj.apply(x), [b, t, h]) as tf.Tensor3D;
      const v = tf.concat([past.v, splitHeads(tf.reshape(this.vProj.apply(x), [b, t, h]), heads)], 1);
      const keys = tf.concat([past.k, splitHeads(tf.reshape(this.kProj.apply(x), [b, t, h]), heads)], 1);
      present = { k: keys, v }; // [B*nh, T_past + T, dh]
      merged = cachedAttention(q, keys, v, { heads, scale: 1, bias: ctx.bias });
    } else {
      const q = tf.reshape(this.qProj.apply(x), [b, t, h]) as tf.Tensor3D;
      const v = tf.reshape(this.vProj.apply(x), [b, t, h]) as tf.Tensor3D;
      const k = tf.reshape(this.kProj.apply(x), [b, t, h]) as tf.Tensor3D;
      merged = attention(q, k, v, {
        heads,
        scale: 1,
        bias: ctx.bias,
        dropoutRate: c.attentionDropout,
        training: ctx.training,
        seeds: this.seeds,
      });
    }
    const out = this.outProj.apply(tf.reshape(merged, [b * t, h])); // [B*T, H]
    return { out: dropout(out, c.residDropout, ctx.training, this.seeds), present };
  }
}

/** HF `GPTNeoMLP` (`mlp.*`): `c_proj(gelu_new(c_fc(x)))`, then `dropout`. */
export class GPTNeoMLP {
  readonly fc: Linear;
  readonly proj: Linear;

  constructor(
    scope: ParamScope,
    private readonly config: GPTNeoConfig,
    private readonly seeds: SeedSequence,
  ) {
    this.fc = new Linear(scope, 'c_fc', config.intermediateSize, config.hiddenSize);
    this.proj = new Linear(scope, 'c_proj', config.hiddenSize, config.intermediateSize);
  }

  /** `[N,H]` -> `[N,4H]` -> `[N,H]`. */
  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    const y = this.proj.apply(geluNew(this.fc.apply(x)));
    return dropout(y, this.config.residDropout, training, this.seeds);
  }
}

/** HF `GPTNeoBlock` (`h.N.*`): pre-LN attention then MLP, each added to the residual stream. */
export class GPTNeoBlock {
  readonly ln1: LayerNorm;
  readonly attn: GPTNeoSelfAttention;
  readonly ln2: LayerNorm;
  readonly mlp: GPTNeoMLP;

  constructor(
    scope: ParamScope,
    config: GPTNeoConfig,
    readonly attentionType: AttentionType,
    seeds: SeedSequence,
  ) {
    this.ln1 = new LayerNorm(scope, 'ln_1', config.hiddenSize, config.layerNormEps);
    this.attn = new GPTNeoSelfAttention(scope.scope('attn.attention.'), config, seeds);
    this.ln2 = new LayerNorm(scope, 'ln_2', config.hiddenSize, config.layerNormEps);
    this.mlp = new GPTNeoMLP(scope.scope('mlp.'), config, seeds);
  }

  /** `x [B*T,H]` -> `[B*T,H]`; `present` as in `GPTNeoSelfAttention.forward`. */
  forward(x: tf.Tensor, ctx: BlockContext, past?: LayerPast): { out: tf.Tensor; present?: LayerPast } {
    const attn = this.attn.forward(this.ln1.apply(x), ctx, past);
    x = tf.add(x, attn.out); // x = x + attn(ln_1(x))
    x = tf.add(x, this.mlp.forward(this.ln2.apply(x), ctx.training)); // x = x + mlp(ln_2(x))
    return { out: x, present: attn.present };
  }
}

export class GPTNeoModel {
  readonly wte: tf.Variable;
  readonly wpe: tf.Variable;
  /** `h.0` ... `h.{numLayers-1}`. */
  readonly h: GPTNeoBlock[] = [];
  readonly lnF: LayerNorm;

  constructor(
    scope: ParamScope,
    readonly config: GPTNeoConfig,
    private readonly seeds: SeedSequence,
  ) {
    const c = config;
    const h = c.hiddenSize;
    if (h % c.numHeads !== 0)
      throw new Error(`GPTNeoModel ${scope.prefix}: hidden size ${h} is not divisible by ${c.numHeads} heads`);
    if (c.attentionLayers.length !== c.numLayers)
      throw new Error(
        `GPTNeoModel ${scope.prefix}: ${c.attentionLayers.length} attention types for ${c.numLayers} layers`,
      );
    this.wte = scope.create('wte.weight', [c.vocabSize, h], normal());
    this.wpe = scope.create('wpe.weight', [c.maxPositions, h], normal());
    for (let i = 0; i < c.numLayers; i++)
      this.h.push(new GPTNeoBlock(scope.scope(`h.${i}.`), c, c.attentionLayers[i], seeds));
    this.lnF = new LayerNorm(scope, 'ln_f', h, c.layerNormEps);
  }

  get headDim(): number {
    return this.config.hiddenSize / this.config.numHeads;
  }

  /** Hidden states after `ln_f`, `[B,T,H]`. With `input.cache` the new keys/values are appended. */
  forward(input: NeoInput, training: boolean): tf.Tensor3D {
    const c = this.config;
    const cache = input.cache;
    const newK: tf.Tensor3D[] = [];
    const newV: tf.Tensor3D[] = [];
    const out = tf.tidy(() => {
      let x: tf.Tensor; // [B,T,H]
      if (input.embeds) x = input.embeds;
      else if (input.ids) x = embedding(this.wte, input.ids);
      else throw new Error('GPTNeoModel.forward: give ids or embeds');
      const [b, t] = x.shape;
      const positions = input.positions ?? Array.from({ length: b }, () => arange(t));
      const valid = input.valid ?? Array.from({ length: b }, () => new Array<number>(t).fill(1));
      x = dropout(tf.add(x, this.positionEmbeddings(positions, b, t)), c.embedDropout, training, this.seeds);
      const kPos = cache ? cache.kPos.map((r, i) => r.concat(positions[i])) : positions;
      const kValid = cache ? cache.kValid.map((r, i) => r.concat(valid[i])) : valid;
      const biasGlobal = c.attentionLayers.includes('global') ? causalBias(positions, kPos, kValid, null) : null;
      const biasLocal = c.attentionLayers.includes('local') ? causalBias(positions, kPos, kValid, c.windowSize) : null;
      const ctx = { batch: b, time: t, training, noGrad: cache !== undefined };
      let x2 = tf.reshape(x, [b * t, c.hiddenSize]); // [B*T,H]
      this.h.forEach((block, i) => {
        const bias = block.attentionType === 'local' ? biasLocal : biasGlobal;
        const past = cache ? { k: cache.k[i], v: cache.v[i] } : undefined;
        const r = block.forward(x2, { ...ctx, bias }, past);
        x2 = r.out;
        if (r.present) {
          newK.push(tf.keep(r.present.k));
          newV.push(tf.keep(r.present.v));
        }
      });
      if (cache) {
        cache.kPos = kPos;
        cache.kValid = kValid;
      }
      return tf.reshape(this.lnF.apply(x2), [b, t, c.hiddenSize]) as tf.Tensor3D;
    });
    if (cache) {
      disposeNeoCache(cache);
      cache.k = newK;
      cache.v = newV;
    }
    return out;
  }

  /** `wpe` rows for each token's logical position: `[T,H]` when every row is 0..T-1, else `[B,T,H]`. */
  private positionEmbeddings(positions: number[][], b: number, t: number): tf.Tensor {
    const c = this.config;
    let maxPos = 0;
    let plain = true;
    for (const row of positions) {
      for (let i = 0; i < row.length; i++) {
        if (row[i] > maxPos) maxPos = row[i];
        if (row[i] !== i) plain = false;
      }
    }
    if (maxPos >= c.maxPositions)
      throw new Error(`GPTNeoModel: position ${maxPos} exceeds max_position_embeddings ${c.maxPositions}`);
    return plain
      ? tf.slice(this.wpe, [0, 0], [t, c.hiddenSize])
      : embedding(this.wpe, tf.tensor2d(positions.flat(), [b, t], 'int32'));
  }

  /** Tied LM head: `h @ wte^T`, `[B,T,V]` (or `[N,V]` for 2-D input). */
  logits(h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h2 = tf.reshape(h, [-1, this.config.hiddenSize]) as tf.Tensor2D;
      const l = linear(h2, this.wte);
      return h.rank === 2 ? l : tf.reshape(l, [...h.shape.slice(0, -1), this.config.vocabSize]);
    });
  }
}
