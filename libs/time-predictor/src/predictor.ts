/**
 * A trained time predictor on disk and in use. Folder layout:
 *   model.safetensors  (encoder + head, HF BERT names; the spec in the metadata)
 *   tokenizer/         (byte-level BPE, Hugging Face files)
 *   predictor.json     (spec, target normalisation, what it was trained on, its typical error)
 * `TimePredictor.predict` works on any text, so it also prices programs that do not compile;
 * `predictUncompiled` labels such estimates as predicted, for reports that keep them apart.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadWeightsFile, saveWeights } from '@ecode/model';
import { loadTokenizer, saveTokenizer, ByteLevelBpeTokenizer } from '@ecode/tokenizer';
import type { TimeView } from './config.js';
import { costScores, type CostModel } from './cost-model.js';
import { TimePredictorModel, type PredictorSpec } from './predictor-model.js';
import { encodeCodes, predictLogFromTokens, type TargetNorm } from './train-predictor.js';

export const PREDICTOR_FORMAT = 'ecode-time-predictor';

/** How far off the predictor typically is, measured on held-out problems. */
export interface TypicalError {
  /** The view it was measured on. */
  view: TimeView;
  n: number;
  /** Median |ln pred - ln true|; `factor` = exp of it (predictions are typically within ×/÷ factor). */
  medianAbsLog: number;
  factor: number;
  maeUs: number;
  maeLog: number;
  pairwiseAccuracy: number;
}

export interface PredictorInfo {
  format: typeof PREDICTOR_FORMAT;
  version: 1;
  spec: PredictorSpec;
  norm: TargetNorm;
  /** What the target is: CPU µs (user + sys) of the program on its largest tests. */
  target: { unit: 'us'; costMeasure: string; repeats: number; largestTests: number };
  trainedOn: { views: TimeView[]; rows: number; problems: number; seed: number };
  typicalError?: TypicalError;
  /** The cost model whose score is added to the encoder's prediction (trained with `training.costModel`). */
  costModel?: CostModel;
  createdAt: string;
}

export interface PredictedTime {
  timeUs: number;
  logTime: number;
}

export class TimePredictor {
  constructor(
    readonly model: TimePredictorModel,
    readonly tokenizer: ByteLevelBpeTokenizer,
    readonly info: PredictorInfo,
  ) {}

  /** Predicted CPU µs for each program (any text: broken code gets an estimate too). */
  predict(codes: string[]): PredictedTime[] {
    const logs = predictLogFromTokens(
      this.model,
      this.tokenizer.startId,
      this.info.norm,
      encodeCodes(this.tokenizer, codes),
      32,
      this.info.costModel ? costScores(this.info.costModel, codes) : undefined,
    );
    return logs.map((l) => ({ logTime: l, timeUs: Math.exp(l) }));
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await saveWeights(this.model.variables, { spec: this.info.spec, path: join(dir, 'model.safetensors') });
    saveTokenizer(this.tokenizer, join(dir, 'tokenizer'));
    await writeFile(join(dir, 'predictor.json'), JSON.stringify(this.info, null, 2) + '\n');
  }

  /** Loads a predictor folder written by `save` (call `initBackend` from @ecode/model first for speed). */
  static async load(dir: string): Promise<TimePredictor> {
    let info: PredictorInfo;
    try {
      info = JSON.parse(await readFile(join(dir, 'predictor.json'), 'utf8')) as PredictorInfo;
    } catch (e) {
      throw new Error(
        `${dir}: not a time-predictor folder (cannot read predictor.json: ${(e as Error).message}); train one with 'ecode timedb train <config>'`,
      );
    }
    if (info.format !== PREDICTOR_FORMAT)
      throw new Error(
        `${join(dir, 'predictor.json')}: format is '${String(info.format)}', expected '${PREDICTOR_FORMAT}'`,
      );
    const tokenizer = loadTokenizer(join(dir, 'tokenizer'));
    if (!(tokenizer instanceof ByteLevelBpeTokenizer))
      throw new Error(`${join(dir, 'tokenizer')}: expected a byte-level BPE tokenizer`);
    const model = new TimePredictorModel(info.spec, 0);
    await loadWeightsFile(model.variables, join(dir, 'model.safetensors'), { requireAll: true });
    return new TimePredictor(model, tokenizer, info);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** A cost the evaluation could not measure (the program does not compile), estimated and labelled. */
export interface UncompiledEstimate {
  timeUs: number;
  label: 'predicted';
  /** Typical multiplicative error of the predictor on held-out problems (×/÷), when known. */
  typicalFactor?: number;
}

/**
 * Estimates the CPU µs of programs that could not be run (e.g. they do not compile), for an
 * evaluation that reports them separately and labelled as predicted.
 */
export function predictUncompiled(predictor: TimePredictor, codes: string[]): UncompiledEstimate[] {
  const factor = predictor.info.typicalError?.factor;
  return predictor.predict(codes).map((p) => ({
    timeUs: p.timeUs,
    label: 'predicted' as const,
    ...(factor !== undefined ? { typicalFactor: factor } : {}),
  }));
}

/** One line for people: the prediction with the model's typical error. */
export function formatPrediction(p: PredictedTime, info: PredictorInfo): string {
  const t =
    p.timeUs >= 1e6
      ? `${(p.timeUs / 1e6).toFixed(2)} s`
      : p.timeUs >= 1e3
        ? `${(p.timeUs / 1e3).toFixed(1)} ms`
        : `${p.timeUs.toFixed(0)} µs`;
  const e = info.typicalError;
  const err = e
    ? `typical error ×/÷ ${e.factor.toFixed(2)} (median over ${e.n} held-out programs, view ${e.view}; MAE ${Math.round(e.maeUs)} µs)`
    : 'typical error unknown (no held-out evaluation recorded)';
  return `predicted CPU time ${t} (${Math.round(p.timeUs)} µs) on the largest tests; ${err}`;
}
