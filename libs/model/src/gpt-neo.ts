/**
 * Hugging Face `GPTNeoModel` / `GPTNeoForCausalLM`: pre-LN blocks alternating global and local
 * (windowed) causal attention with NO 1/sqrt(d) scaling, gelu_new MLP, final `ln_f`, LM head tied
 * to `wte`. Key-padding masks and per-row logical positions make padded batches match batch-1 runs.
 * A KV cache supports incremental decoding (local windows respected).
 */
import * as tf from '@tensorflow/tfjs';
import { attend, causalBias, mergeHeads, splitHeads, splitHeadsT } from './attention.js';
import { dropout, embedding, geluNew, layerNorm, linear, SeedSequence } from './ops.js';
import { normal, ones, ParamScope, zeros } from './params.js';

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

interface NeoLayerParams {
  ln1: [tf.Variable, tf.Variable];
  q: tf.Variable;
  k: tf.Variable;
  v: tf.Variable;
  o: [tf.Variable, tf.Variable];
  ln2: [tf.Variable, tf.Variable];
  fc: [tf.Variable, tf.Variable];
  proj: [tf.Variable, tf.Variable];
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

export class GPTNeoModel {
  readonly wte: tf.Variable;
  readonly wpe: tf.Variable;
  readonly layers: NeoLayerParams[] = [];
  readonly lnF: [tf.Variable, tf.Variable];

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
    const ln = (name: string): [tf.Variable, tf.Variable] => [
      scope.create(`${name}.weight`, [h], ones),
      scope.create(`${name}.bias`, [h], zeros),
    ];
    const lin = (name: string, out: number, inp: number): [tf.Variable, tf.Variable] => [
      scope.create(`${name}.weight`, [out, inp], normal()),
      scope.create(`${name}.bias`, [out], zeros),
    ];
    this.wte = scope.create('wte.weight', [c.vocabSize, h], normal());
    this.wpe = scope.create('wpe.weight', [c.maxPositions, h], normal());
    for (let i = 0; i < c.numLayers; i++) {
      const p = `h.${i}.`;
      this.layers.push({
        ln1: ln(`${p}ln_1`),
        q: scope.create(`${p}attn.attention.q_proj.weight`, [h, h], normal()),
        k: scope.create(`${p}attn.attention.k_proj.weight`, [h, h], normal()),
        v: scope.create(`${p}attn.attention.v_proj.weight`, [h, h], normal()),
        o: lin(`${p}attn.attention.out_proj`, h, h),
        ln2: ln(`${p}ln_2`),
        fc: lin(`${p}mlp.c_fc`, c.intermediateSize, h),
        proj: lin(`${p}mlp.c_proj`, h, c.intermediateSize),
      });
    }
    this.lnF = ln('ln_f');
  }

  get headDim(): number {
    return this.config.hiddenSize / this.config.numHeads;
  }

  /** Hidden states after `ln_f`, `[B,T,H]`. With `input.cache` the new keys/values are appended. */
  forward(input: NeoInput, training: boolean): tf.Tensor3D {
    const c = this.config;
    const cache = input.cache;
    const noGrad = cache !== undefined;
    const newK: tf.Tensor3D[] = [];
    const newV: tf.Tensor3D[] = [];
    const out = tf.tidy(() => {
      let x: tf.Tensor;
      if (input.embeds) x = input.embeds;
      else if (input.ids) x = embedding(this.wte, input.ids);
      else throw new Error('GPTNeoModel.forward: give ids or embeds');
      const [b, t] = x.shape;
      const positions = input.positions ?? Array.from({ length: b }, () => arange(t));
      const valid = input.valid ?? Array.from({ length: b }, () => new Array<number>(t).fill(1));
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
      const pos = plain
        ? tf.slice(this.wpe, [0, 0], [t, c.hiddenSize])
        : embedding(this.wpe, tf.tensor2d(positions.flat(), [b, t], 'int32'));
      x = dropout(tf.add(x, pos), c.embedDropout, training, this.seeds);
      const kPos = cache ? cache.kPos.map((r, i) => r.concat(positions[i])) : positions;
      const kValid = cache ? cache.kValid.map((r, i) => r.concat(valid[i])) : valid;
      const biasGlobal = c.attentionLayers.includes('global') ? causalBias(positions, kPos, kValid, null) : null;
      const biasLocal = c.attentionLayers.includes('local') ? causalBias(positions, kPos, kValid, c.windowSize) : null;
      const h = c.hiddenSize;
      let x2 = tf.reshape(x, [b * t, h]);
      this.layers.forEach((l, li) => {
        const a = layerNorm(x2, l.ln1[0], l.ln1[1], c.layerNormEps);
        const q = tf.reshape(linear(a, l.q), [b, t, h]);
        let kT: tf.Tensor3D | null = null;
        let keys: tf.Tensor3D | undefined;
        let v = splitHeads(tf.reshape(linear(a, l.v), [b, t, h]), c.numHeads);
        if (cache) {
          keys = tf.concat([cache.k[li], splitHeads(tf.reshape(linear(a, l.k), [b, t, h]), c.numHeads)], 1);
          v = tf.concat([cache.v[li], v], 1);
          newK.push(tf.keep(keys));
          newV.push(tf.keep(v));
        } else kT = splitHeadsT(tf.reshape(linear(a, l.k), [b, t, h]), c.numHeads);
        const ctx = attend(splitHeads(q, c.numHeads), kT, v, {
          keys,
          batch: b,
          heads: c.numHeads,
          bias: c.attentionLayers[li] === 'local' ? biasLocal : biasGlobal,
          dropoutRate: c.attentionDropout,
          training,
          seeds: this.seeds,
          noGrad,
        });
        const attnOut = linear(tf.reshape(mergeHeads(ctx, b, c.numHeads), [b * t, h]), l.o[0], l.o[1]);
        x2 = tf.add(x2, dropout(attnOut, c.residDropout, training, this.seeds));
        const m = layerNorm(x2, l.ln2[0], l.ln2[1], c.layerNormEps);
        const mlp = linear(geluNew(linear(m, l.fc[0], l.fc[1])), l.proj[0], l.proj[1]);
        x2 = tf.add(x2, dropout(mlp, c.residDropout, training, this.seeds));
      });
      if (cache) {
        cache.kPos = kPos;
        cache.kValid = kValid;
      }
      return tf.reshape(layerNorm(x2, this.lnF[0], this.lnF[1], c.layerNormEps), [b, t, h]) as tf.Tensor3D;
    });
    if (cache) {
      disposeNeoCache(cache);
      cache.k = newK;
      cache.v = newV;
    }
    return out;
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
