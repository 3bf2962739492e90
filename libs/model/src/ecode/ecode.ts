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
import { BertModel, bertConfig, type BertConfig } from '../blocks/bert.js';
import type {
  CodeRewritingModel,
  CodeSpecialTokens,
  EncodedSample,
  GenerationState,
  LossResult,
} from '../contracts.js';
import { CrossAttention, CrossAttentionMemory, disposeMemory } from '../blocks/cross-attention.js';
import { disposeNeoCache, emptyNeoCache, GPTNeoModel, gptNeoConfig, NeoKVCache } from '../blocks/gpt-neo.js';
import { meanLoss, perRowLoss, Targets } from './lm-loss.js';
import { Linear } from '../blocks/layers.js';
import { SeedSequence, TransposeCache, withTransposeCache } from '../blocks/ops.js';
import { ParamStore } from '../blocks/params.js';
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

/** Text states of a batch before integration: `[B,L,H]` compacted per row, with validity and lengths. */
export interface TextStates {
  out: tf.Tensor3D;
  valid: number[][];
  lengths: number[];
}

/**
 * The expert encoder group: one BERT per statement field (`TitleLayer`, ...), each over its own
 * field; the real (unpadded) states of the five are concatenated per sample and cut to the
 * integration layer's positions.
 */
export class ExpertEncoderGroup {
  readonly experts: BertModel[];

  constructor(
    store: ParamStore,
    config: BertConfig,
    private readonly spec: ModelSpec,
    seeds: SeedSequence,
  ) {
    this.experts = EXPERT_NAMES.map((name) => new BertModel(store.scope(`${name}.`), config, seeds));
  }

  forward(samples: EncodedSample[], training: boolean): TextStates {
    const spec = this.spec;
    const outs: tf.Tensor3D[] = []; // per expert [B,T_f,H]
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
    return compactConcat(outs, lens, spec.integration.maxPositions); // [B, <=maxPositions, H]
  }
}

/** The No-expert ablation's group (`OpenedExpertGroupLayer`): one BERT over the whole statement. */
export class OpenedExpertGroup {
  readonly bert: BertModel;

  constructor(
    store: ParamStore,
    config: BertConfig,
    private readonly spec: ModelSpec,
    seeds: SeedSequence,
  ) {
    // The integration layer's position count: the statement is as long as the five fields together.
    this.bert = new BertModel(
      store.scope('OpenedExpertGroupLayer.'),
      { ...config, maxPositions: spec.integration.maxPositions },
      seeds,
    );
  }

  forward(samples: EncodedSample[], training: boolean): TextStates {
    const rows = samples.map((s) => truncateKeepLast(s.statement, this.spec.integration.maxPositions));
    const p = padRows(rows, this.spec.textPad);
    return { out: this.bert.forward({ ids: p.ids, keyValid: p.valid }, training), valid: p.valid, lengths: p.lengths };
  }
}

/** The integration layer (`ExpertGroupIntegrationLayer`): a BERT over the experts' states (inputs_embeds). */
export class IntegrationLayer {
  readonly bert: BertModel;

  constructor(store: ParamStore, config: BertConfig, seeds: SeedSequence) {
    this.bert = new BertModel(store.scope('ExpertGroupIntegrationLayer.'), config, seeds);
  }

  /** `[B,L,H_bert]` -> `[B,L,H_bert]`. */
  forward(states: TextStates, training: boolean): tf.Tensor3D {
    return this.bert.forward({ embeds: states.out, keyValid: states.valid }, training);
  }
}

/** MLP enlarge (`MLPEnlargeLayer.0`): BERT width to decoder width, ReLU in the RELU ablation. */
export class MlpEnlarge {
  readonly linear: Linear;

  constructor(
    store: ParamStore,
    inFeatures: number,
    outFeatures: number,
    readonly activation: ModelSpec['mlpActivation'],
  ) {
    this.linear = new Linear(store.scope('MLPEnlargeLayer.'), '0', outFeatures, inFeatures);
  }

  /** `[B,L,H_bert]` -> `[B,L,H_dec]`. */
  forward(x: tf.Tensor): tf.Tensor3D {
    const y = this.linear.apply(x);
    return (this.activation === 'relu' ? tf.relu(y) : y) as tf.Tensor3D;
  }
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

export class ECodeModel implements CodeRewritingModel {
  readonly variant: 'e-code' | 'no-expert';
  readonly special: CodeSpecialTokens;
  readonly codeVocabSize: number;
  readonly store: ParamStore;
  readonly seeds: SeedSequence;
  /** The five experts, or the No-expert variant's one BERT over the statement. */
  readonly expertEncoderGroup: ExpertEncoderGroup | OpenedExpertGroup;
  readonly integrationLayer: IntegrationLayer;
  readonly mlpEnlarge: MlpEnlarge;
  /** Inefficient-code encoder (GPT-Neo over the slow code). */
  readonly ICLayer: GPTNeoModel;
  /** Efficient-code decoder (GPT-Neo over `[start] + ec + [eos]`). */
  readonly ECLayer: GPTNeoModel;
  /** `MultiHeadedAttentionMechanism`: the EC states attend to the encoder memory. */
  readonly crossAttention: CrossAttention;
  /** Output decoder: `FinalOutputLayer.transformer` (GPT-Neo on inputs_embeds, LM head tied to its wte). */
  readonly FinalOutputLayer: GPTNeoModel;

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
    this.expertEncoderGroup =
      spec.variant === 'e-code'
        ? new ExpertEncoderGroup(s, expertCfg, spec, this.seeds)
        : new OpenedExpertGroup(s, expertCfg, spec, this.seeds);
    this.integrationLayer = new IntegrationLayer(s, bertConfig({ ...bertBase, ...spec.integration }), this.seeds);
    const d = spec.decoder.hiddenSize;
    this.mlpEnlarge = new MlpEnlarge(s, spec.integration.hiddenSize, d, spec.mlpActivation);
    const dec = gptNeoConfig({
      vocabSize: spec.codeVocabSize,
      ...spec.decoder,
      embedDropout: spec.dropout.decoder,
      residDropout: spec.dropout.decoder,
      attentionDropout: spec.dropout.decoder,
    });
    this.ICLayer = new GPTNeoModel(s.scope('ICLayer.'), dec, this.seeds);
    this.ECLayer = new GPTNeoModel(s.scope('ECLayer.'), dec, this.seeds);
    this.crossAttention = new CrossAttention(
      s.scope('MultiHeadedAttentionMechanism.'),
      { embedDim: d, numHeads: spec.crossAttentionHeads, dropout: spec.dropout.crossAttention },
      this.seeds,
    );
    this.FinalOutputLayer = new GPTNeoModel(s.scope('FinalOutputLayer.transformer.'), dec, this.seeds);
  }

  get variables(): Map<string, tf.Variable> {
    return this.store.variables;
  }

  /** Text side: expert encoder group -> integration layer -> MLP enlarge. */
  private encodeText(samples: EncodedSample[], training: boolean): { states: tf.Tensor3D; lengths: number[] } {
    return tf.tidy(() => {
      const experts = this.expertEncoderGroup.forward(samples, training); // [B,L,H_bert]
      const integrated = this.integrationLayer.forward(experts, training); // [B,L,H_bert]
      return { states: this.mlpEnlarge.forward(integrated), lengths: experts.lengths }; // [B,L,H_dec]
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
      const icStates = this.ICLayer.forward({ ids: ic.ids, valid: ic.valid }, training); // [B,T_ic,H_dec]
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
      const q = this.ECLayer.forward({ ids: p.ids, valid: p.valid }, training); // [B,T,H]
      const att = this.crossAttention.forward(q, enc.memory, enc.valid, training); // [B,T,H]
      const h = this.FinalOutputLayer.forward({ embeds: att, valid: p.valid }, training); // [B,T,H]
      return this.FinalOutputLayer.logits(h) as tf.Tensor3D; // [B,T,V]
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
        const q = this.ECLayer.forward({ ids, positions, cache: g.ecCache }, false);
        const att = this.crossAttention.attendMemory(q, g.memory);
        const h = this.FinalOutputLayer.forward({ embeds: att, positions, cache: g.outCache }, false);
        return tf.reshape(this.FinalOutputLayer.logits(h), [g.rows, this.codeVocabSize]) as tf.Tensor2D;
      }
      const t = step + 1;
      const ids = tf.tensor2d(g.history.flat(), [g.rows, t], 'int32');
      const q = this.ECLayer.forward({ ids }, false);
      const att = this.crossAttention.attendMemory(q, g.memory);
      const h = this.FinalOutputLayer.forward({ embeds: att }, false);
      const last = tf.slice(h, [0, t - 1, 0], [g.rows, 1, h.shape[2]]);
      return tf.reshape(this.FinalOutputLayer.logits(last), [g.rows, this.codeVocabSize]) as tf.Tensor2D;
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
