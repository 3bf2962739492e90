/**
 * The GPT-Neo baseline: one `GPTNeoForCausalLM` (HF names under `transformer.`) over
 * `statementCode + ic + [start] + ec + [eos]`, loss only on the answer (`ec + [eos]`).
 *
 * The statement must be in the code vocabulary: samples carry `statementCode`, the statement
 * text tokenised by the code (BPE) tokenizer. The prompt is truncated from the left so the
 * answer (training) or `maxNewTokens` (generation) fits the decoder's positions.
 */
import * as tf from '@tensorflow/tfjs';
import { padRows } from './batch.js';
import type {
  CodeSpecialTokens,
  EncodedSample,
  GenerationState,
  LossResult,
  CodeRewritingModel,
} from '../contracts.js';
import { disposeNeoCache, emptyNeoCache, GPTNeoModel, gptNeoConfig, NeoKVCache } from '../blocks/gpt-neo.js';
import { meanLoss, perRowLoss, Targets } from './lm-loss.js';
import { SeedSequence, TransposeCache, withTransposeCache } from '../blocks/ops.js';
import { ParamStore } from '../blocks/params.js';
import { ModelSpec, validateSpec } from './spec.js';

class BaselineGeneration implements GenerationState {
  step = 0;
  readonly weights = new TransposeCache();
  constructor(
    readonly rows: number,
    /** Prompt per row (left-padded inside the cache). */
    readonly prompts: number[][],
    readonly history: number[][],
    readonly cache: NeoKVCache | null,
  ) {}
  dispose(): void {
    this.weights.dispose();
    if (this.cache) disposeNeoCache(this.cache);
  }
}

export class GPTNeoBaseline implements CodeRewritingModel {
  readonly variant = 'gpt-neo' as const;
  readonly special: CodeSpecialTokens;
  readonly codeVocabSize: number;
  readonly store: ParamStore;
  readonly seeds: SeedSequence;
  readonly lm: GPTNeoModel;

  constructor(readonly spec: ModelSpec) {
    validateSpec(spec);
    this.special = spec.special;
    this.codeVocabSize = spec.codeVocabSize;
    this.store = new ParamStore(spec.seed);
    this.seeds = new SeedSequence(spec.seed + 1);
    const cfg = gptNeoConfig({
      vocabSize: spec.codeVocabSize,
      ...spec.decoder,
      embedDropout: spec.dropout.decoder,
      residDropout: spec.dropout.decoder,
      attentionDropout: spec.dropout.decoder,
    });
    this.lm = new GPTNeoModel(this.store.scope('transformer.'), cfg, this.seeds);
  }

  get variables(): Map<string, tf.Variable> {
    return this.store.variables;
  }

  /** `statementCode + ic`, keeping at most `room` tokens (the most recent ones). */
  prompt(s: EncodedSample, room: number): number[] {
    if (!s.statementCode)
      throw new Error(
        `GPT-Neo baseline: sample '${s.id}' has no statementCode (the statement tokenised by the code tokenizer)`,
      );
    const p = s.statementCode.slice(0, this.spec.maxStatementCodeTokens).concat(s.ic.slice(0, this.spec.maxIcTokens));
    return room <= 0 ? [] : p.slice(Math.max(0, p.length - room));
  }

  private rows(samples: EncodedSample[]): { rows: number[][]; answerStart: number[] } {
    const max = this.spec.decoder.maxPositions;
    const rows: number[][] = [];
    const answerStart: number[] = [];
    for (const s of samples) {
      const answer = [this.special.start, ...s.ec, this.special.eos].slice(0, max);
      const p = this.prompt(s, max - answer.length);
      rows.push(p.concat(answer));
      answerStart.push(p.length);
    }
    return { rows, answerStart };
  }

  private logits(samples: EncodedSample[], training: boolean): { logits: tf.Tensor3D; targets: Targets } {
    const { rows, answerStart } = this.rows(samples);
    const p = padRows(rows, this.special.pad);
    const logits = tf.tidy(
      () => this.lm.logits(this.lm.forward({ ids: p.ids, valid: p.valid }, training)) as tf.Tensor3D,
    );
    p.ids.dispose();
    const targets = rows.map((r, b) => {
      const t = new Array<number>(p.width).fill(-1);
      // Position i predicts r[i+1]; only answer tokens (after the start token) are labels.
      for (let i = answerStart[b]; i + 1 < r.length; i++) if (r[i + 1] !== this.special.pad) t[i] = r[i + 1];
      return t;
    });
    return { logits, targets };
  }

  loss(samples: EncodedSample[], training: boolean): LossResult {
    const { logits, targets } = this.logits(samples, training);
    const r = meanLoss(logits, targets);
    logits.dispose();
    return r;
  }

  perSampleLoss(samples: EncodedSample[]): tf.Tensor1D {
    const { logits, targets } = this.logits(samples, false);
    const r = perRowLoss(logits, targets);
    logits.dispose();
    return r;
  }

  startGeneration(
    samples: EncodedSample[],
    opts: { repeats: number; maxNewTokens: number; useCache: boolean },
  ): GenerationState {
    const repeats = Math.max(1, opts.repeats);
    const room = this.spec.decoder.maxPositions - (opts.maxNewTokens + 1);
    const prompts = samples.flatMap((s) => Array.from({ length: repeats }, () => this.prompt(s, room)));
    const rows = prompts.length;
    const d = this.spec.decoder;
    let cache: NeoKVCache | null = null;
    if (opts.useCache) {
      cache = emptyNeoCache(rows, d.numLayers, d.numHeads, d.hiddenSize / d.numHeads);
      if (prompts.some((p) => p.length > 0)) {
        const p = padRows(prompts, this.special.pad, true);
        tf.tidy(() => {
          this.lm.forward({ ids: p.ids, positions: p.positions, valid: p.valid, cache: cache! }, false);
        });
        p.ids.dispose();
      }
    }
    return new BaselineGeneration(
      rows,
      prompts,
      prompts.map(() => []),
      cache,
    );
  }

  nextLogits(state: GenerationState, tokens: Int32Array): tf.Tensor2D {
    const g = state as BaselineGeneration;
    if (!(g instanceof BaselineGeneration)) throw new Error('nextLogits: state was not made by this model');
    if (tokens.length !== g.rows) throw new Error(`nextLogits: ${tokens.length} tokens for ${g.rows} rows`);
    tokens.forEach((t, i) => g.history[i].push(t));
    g.step++;
    return withTransposeCache(g.weights, () => this.step(g, tokens));
  }

  private step(g: BaselineGeneration, tokens: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      if (g.cache) {
        const positions = g.prompts.map((p) => [p.length + g.step - 1]);
        const ids = tf.tensor2d(tokens, [g.rows, 1], 'int32');
        const h = this.lm.forward({ ids, positions, valid: positions.map(() => [1]), cache: g.cache }, false);
        return tf.reshape(this.lm.logits(h), [g.rows, this.codeVocabSize]) as tf.Tensor2D;
      }
      const full = g.prompts.map((p, i) => p.concat(g.history[i]));
      const p = padRows(full, this.special.pad, true);
      const h = this.lm.forward({ ids: p.ids, positions: p.positions, valid: p.valid }, false);
      const last = tf.slice(h, [0, p.width - 1, 0], [g.rows, 1, h.shape[2]]);
      return tf.reshape(this.lm.logits(last), [g.rows, this.codeVocabSize]) as tf.Tensor2D;
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
