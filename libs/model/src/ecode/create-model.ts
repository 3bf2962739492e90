/** `createModel(spec)`: the code-rewriting model for a spec's variant, with seeded initial weights. */
import type { CodeRewritingModel } from '../contracts.js';
import { ECodeModel } from './ecode.js';
import { GPTNeoBaseline } from './gpt-neo-baseline.js';
import { ModelSpec, validateSpec } from './spec.js';

export function createModel(spec: ModelSpec): CodeRewritingModel {
  validateSpec(spec);
  return spec.variant === 'gpt-neo' ? new GPTNeoBaseline(spec) : new ECodeModel(spec);
}
