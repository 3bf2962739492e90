/**
 * E-code (and its No-expert variant), module names as in the original `Model.py`:
 * ExpertEncoderGroup (five BERTs: TitleLayer ... IOSampleTestingAndNoteDescriptionLayer) ->
 * per-sample concatenation along the sequence, truncated to the integration layer's positions ->
 * IntegrationLayer (`ExpertGroupIntegrationLayer`, BERT on inputs_embeds) -> MlpEnlarge
 * (`MLPEnlargeLayer.0`, optional ReLU) -> concatenation with the InefficientCodeEncoder
 * (`ICLayer`, GPT-Neo) states -> EfficientCodeDecoder (`ECLayer`, GPT-Neo over [start]+EC+[eos])
 * -> CrossAttention (`MultiHeadedAttentionMechanism`) -> OutputDecoder (`FinalOutputLayer`,
 * GPT-Neo causal LM on inputs_embeds) -> logits. Key-padding masks everywhere, so a padded batch
 * gives the per-sample losses of batch-1 runs.
 */
import * as tf from '@tensorflow/tfjs';
import { compactConcat, padRows, truncateKeepLast } from './batch.js';
import { BertModel, bertConfig } from './bert.js';
import type { CodeSpecialTokens, EncodedSample, GenerationState, LossResult, Seq2SeqModel } from './contracts.js';
import { CrossAttention, CrossAttentionMemory, disposeMemory } from './cross-attention.js';
import { disposeNeoCache, emptyNeoCache, GPTNeoModel, gptNeoConfig, NeoKVCache } from './gpt-neo.js';
import { meanLoss, perRowLoss, Targets } from './lm-loss.js';
import { linear, SeedSequence, TransposeCache, withTransposeCache } from './ops.js';
import { normal, ParamStore, zeros } from './params.js';
import { ModelSpec, validateSpec } from './spec.js';

/** Module prefixes of the five experts, in field order. */
export const EXPERT_NAMES = [
  'TitleLayer',
  'ProblemDescriptionBodyLayer',
  'InputDescriptionLayer',
  'OutputDescriptionLayer',
  'IOSampleTestingAndNoteDescriptionLayer',
] as const;

/** Encoder side of a batch: the memory the decoders attend to. */
export interface EncoderOutput {
  /** `[B,L,D]`: enlarged text states then IC states, per row compacted. */
  memory: tf.Tensor3D;
  valid: number[][];
}

class ECodeGeneration implements GenerationState {
  history: number[][];
  step = 0;
  readonly weights = new TransposeCache();
  constructor(
    readonly rows: number,
    readonly memory: CrossAttentionMemory,
    readonly useCache: boolean,
    readonly maxSteps: number,
    readonly ecCache: NeoKVCache | null,
    readonly outCache: NeoKVCache | null,
  ) {
    this.history = Array.from({ length: rows }, () => []);
  }
  dispose(): void {
    this.weights.dispose();
    disposeMemory(this.memory);
    if (this.ecCache) disposeNeoCache(this.ecCache);
    if (this.outCache) disposeNeoCache(this.outCache);
  }
}

export class ECodeModel implements Seq2SeqModel {
  readonly variant: 'e-code' | 'no-expert';
  readonly special: CodeSpecialTokens;
  readonly codeVocabSize: number;
  readonly store: ParamStore;
  readonly seeds: SeedSequence;
  readonly experts: BertModel[] = [];
  readonly openedExpert: BertModel | null = null;
  readonly integration: BertModel;
  readonly enlargeWeight: tf.Variable;
  readonly enlargeBias: tf.Variable;
  readonly icEncoder: GPTNeoModel;
  readonly ecDecoder: GPTNeoModel;
  readonly crossAttention: CrossAttention;
  readonly outputDecoder: GPTNeoModel;

  constructor(readonly spec: ModelSpec) {
    validateSpec(spec);
    if (spec.variant === 'gpt-neo') throw new Error('ECodeModel: use GPTNeoBaseline for the gpt-neo variant');
    this.variant = spec.variant;
    this.special = spec.special;
    this.codeVocabSize = spec.codeVocabSize;
    this.store = new ParamStore(spec.seed);
    this.seeds = new SeedSequence(spec.seed + 1);
    const s = this.store;
    const bertBase = {
      vocabSize: spec.textVocabSize,
      padTokenId: spec.textPad,
      hiddenDropout: spec.dropout.bert,
      attentionDropout: spec.dropout.bert,
    };
    const expertCfg = bertConfig({ ...bertBase, ...spec.expert });
    const integCfg = bertConfig({ ...bertBase, ...spec.integration });
    if (spec.variant === 'e-code') {
      for (const name of EXPERT_NAMES) this.experts.push(new BertModel(s.scope(`${name}.`), expertCfg, this.seeds));
    } else {
      // One BERT over the whole statement, with the integration layer's position count.
      this.openedExpert = new BertModel(
        s.scope('OpenedExpertGroupLayer.'),
        bertConfig({ ...bertBase, ...spec.expert, maxPositions: spec.integration.maxPositions }),
        this.seeds,
      );
    }
    this.integration = new BertModel(s.scope('ExpertGroupIntegrationLayer.'), integCfg, this.seeds);
    const d = spec.decoder.hiddenSize;
    this.enlargeWeight = s.create('MLPEnlargeLayer.0.weight', [d, spec.integration.hiddenSize], normal());
    this.enlargeBias = s.create('MLPEnlargeLayer.0.bias', [d], zeros);
    const dec = gptNeoConfig({
      vocabSize: spec.codeVocabSize,
      ...spec.decoder,
      embedDropout: spec.dropout.decoder,
      residDropout: spec.dropout.decoder,
      attentionDropout: spec.dropout.decoder,
    });
    this.icEncoder = new GPTNeoModel(s.scope('ICLayer.'), dec, this.seeds);
    this.ecDecoder = new GPTNeoModel(s.scope('ECLayer.'), dec, this.seeds);
    this.crossAttention = new CrossAttention(
      s.scope('MultiHeadedAttentionMechanism.'),
      { embedDim: d, numHeads: spec.crossAttentionHeads, dropout: spec.dropout.crossAttention },
      this.seeds,
    );
    this.outputDecoder = new GPTNeoModel(s.scope('FinalOutputLayer.transformer.'), dec, this.seeds);
  }

  get variables(): Map<string, tf.Variable> {
    return this.store.variables;
  }

  /** Text side: experts (or the opened expert) -> integration layer -> MLP enlarge. */
  private encodeText(samples: EncodedSample[], training: boolean): { states: tf.Tensor3D; lengths: number[] } {
    const spec = this.spec;
    return tf.tidy(() => {
      let cat: { out: tf.Tensor3D; valid: number[][]; lengths: number[] };
      if (this.openedExpert) {
        const rows = samples.map((s) => truncateKeepLast(s.statement, spec.integration.maxPositions));
        const p = padRows(rows, spec.textPad);
        const h = this.openedExpert.forward({ ids: p.ids, keyValid: p.valid }, training);
        cat = { out: h, valid: p.valid, lengths: p.lengths };
      } else {
        const outs: tf.Tensor3D[] = [];
        const lens: number[][] = [];
        this.experts.forEach((bert, f) => {
          const rows = samples.map((s, i) => {
            const field = s.fields[f];
            if (!field) throw new Error(`E-code: sample '${s.id}' (#${i}) has no field ${f} (${EXPERT_NAMES[f]})`);
            return truncateKeepLast(field, spec.fieldMaxTokens[f]);
          });
          const p = padRows(rows, spec.textPad);
          outs.push(bert.forward({ ids: p.ids, keyValid: p.valid }, training));
          lens.push(p.lengths);
        });
        cat = compactConcat(outs, lens, spec.integration.maxPositions);
      }
      const integ = this.integration.forward({ embeds: cat.out, keyValid: cat.valid }, training);
      let enlarged = linear(integ, this.enlargeWeight, this.enlargeBias);
      if (spec.mlpActivation === 'relu') enlarged = tf.relu(enlarged);
      return { states: enlarged as tf.Tensor3D, lengths: cat.lengths };
    });
  }

  /** Encoder output for a batch: concat(enlarged text states, IC states) per row. */
  encode(samples: EncodedSample[], training: boolean): EncoderOutput {
    return tf.tidy(() => {
      const text = this.encodeText(samples, training);
      const ic = padRows(
        samples.map((s) => s.ic.slice(0, this.spec.maxIcTokens)),
        this.special.pad,
      );
      const icStates = this.icEncoder.forward({ ids: ic.ids, valid: ic.valid }, training);
      const c = compactConcat([text.states, icStates], [text.lengths, ic.lengths], Number.MAX_SAFE_INTEGER);
      return { memory: c.out, valid: c.valid };
    });
  }

  /** Decoder input rows `[start] + ec + [eos]` (truncated to the decoder's positions). */
  decoderRows(samples: EncodedSample[]): number[][] {
    const max = this.spec.decoder.maxPositions;
    return samples.map((s) => [this.special.start, ...s.ec, this.special.eos].slice(0, max));
  }

  /** Next-token targets: position i predicts row[i+1]; pad labels are ignored. */
  targets(rows: number[][], width: number): Targets {
    return rows.map((r) => {
      const t = new Array<number>(width).fill(-1);
      for (let i = 0; i + 1 < r.length; i++) if (r[i + 1] !== this.special.pad) t[i] = r[i + 1];
      return t;
    });
  }

  /** Logits `[B,T,V]` for teacher-forced decoding of `[start] + ec + [eos]`. */
  logits(samples: EncodedSample[], training: boolean): { logits: tf.Tensor3D; rows: number[][]; width: number } {
    const rows = this.decoderRows(samples);
    const logits = tf.tidy(() => {
      const enc = this.encode(samples, training);
      const p = padRows(rows, this.special.pad);
      const q = this.ecDecoder.forward({ ids: p.ids, valid: p.valid }, training);
      const att = this.crossAttention.forward(q, enc.memory, enc.valid, training);
      const h = this.outputDecoder.forward({ embeds: att, valid: p.valid }, training);
      return this.outputDecoder.logits(h) as tf.Tensor3D;
    });
    return { logits, rows, width: logits.shape[1] };
  }

  loss(samples: EncodedSample[], training: boolean): LossResult {
    const { logits, rows, width } = this.logits(samples, training);
    const r = meanLoss(logits, this.targets(rows, width));
    logits.dispose();
    return r;
  }

  perSampleLoss(samples: EncodedSample[]): tf.Tensor1D {
    const { logits, rows, width } = this.logits(samples, false);
    const r = perRowLoss(logits, this.targets(rows, width));
    logits.dispose();
    return r;
  }

  startGeneration(
    samples: EncodedSample[],
    opts: { repeats: number; maxNewTokens: number; useCache: boolean },
  ): GenerationState {
    const repeats = Math.max(1, opts.repeats);
    const rows = samples.length * repeats;
    const memory = tf.tidy(() => {
      const enc = this.encode(samples, false);
      const pick = Array.from({ length: rows }, (_, i) => Math.floor(i / repeats));
      const mem = repeats === 1 ? enc.memory : (tf.gather(enc.memory, tf.tensor1d(pick, 'int32')) as tf.Tensor3D);
      return this.crossAttention.memory(
        mem,
        pick.map((i) => enc.valid[i]),
      ) as unknown as tf.TensorContainer;
    }) as unknown as CrossAttentionMemory;
    const d = this.spec.decoder;
    const cache = () => emptyNeoCache(rows, d.numLayers, d.numHeads, d.hiddenSize / d.numHeads);
    return new ECodeGeneration(
      rows,
      memory,
      opts.useCache,
      Math.min(opts.maxNewTokens + 1, d.maxPositions),
      opts.useCache ? cache() : null,
      opts.useCache ? cache() : null,
    );
  }

  nextLogits(state: GenerationState, tokens: Int32Array): tf.Tensor2D {
    const g = state as ECodeGeneration;
    if (!(g instanceof ECodeGeneration)) throw new Error('nextLogits: state was not made by this model');
    if (tokens.length !== g.rows) throw new Error(`nextLogits: ${tokens.length} tokens for ${g.rows} rows`);
    if (g.step >= this.spec.decoder.maxPositions)
      throw new Error(`nextLogits: step ${g.step} reaches the decoder's ${this.spec.decoder.maxPositions} positions`);
    const step = g.step++;
    tokens.forEach((t, i) => g.history[i].push(t));
    return withTransposeCache(g.weights, () => this.step(g, tokens, step));
  }

  private step(g: ECodeGeneration, tokens: Int32Array, step: number): tf.Tensor2D {
    return tf.tidy(() => {
      if (g.useCache && g.ecCache && g.outCache) {
        const ids = tf.tensor2d(tokens, [g.rows, 1], 'int32');
        const positions = Array.from({ length: g.rows }, () => [step]);
        const q = this.ecDecoder.forward({ ids, positions, cache: g.ecCache }, false);
        const att = this.crossAttention.attendMemory(q, g.memory, false, true);
        const h = this.outputDecoder.forward({ embeds: att, positions, cache: g.outCache }, false);
        return tf.reshape(this.outputDecoder.logits(h), [g.rows, this.codeVocabSize]) as tf.Tensor2D;
      }
      const t = step + 1;
      const ids = tf.tensor2d(g.history.flat(), [g.rows, t], 'int32');
      const q = this.ecDecoder.forward({ ids }, false);
      const att = this.crossAttention.attendMemory(q, g.memory, false, true);
      const h = this.outputDecoder.forward({ embeds: att }, false);
      const last = tf.slice(h, [0, t - 1, 0], [g.rows, 1, h.shape[2]]);
      return tf.reshape(this.outputDecoder.logits(last), [g.rows, this.codeVocabSize]) as tf.Tensor2D;
    });
  }

  /** Restarts the dropout seed stream (the training loop calls it per micro-batch). */
  setDropoutSeed(seed: number): void {
    this.seeds.reset(seed);
  }

  dispose(): void {
    this.store.dispose();
  }
}
