/** `createModel(spec)`: the Seq2SeqModel for a spec's variant, with seeded initial weights. */
import type { Seq2SeqModel } from './contracts.js';
import { ECodeModel } from './ecode.js';
import { GPTNeoBaseline } from './gpt-neo-baseline.js';
import { ModelSpec, validateSpec } from './spec.js';

export type EcodeModel = ECodeModel | GPTNeoBaseline;

export function createModel(spec: ModelSpec): EcodeModel & Seq2SeqModel {
  validateSpec(spec);
  return spec.variant === 'gpt-neo' ? new GPTNeoBaseline(spec) : new ECodeModel(spec);
}
