/**
 * How Hugging Face checkpoints map onto E-code's parameters, as the original does: a BERT checkpoint
 * goes into every expert (`TitleLayer.`, ... or No-expert's `OpenedExpertGroupLayer.`), a GPT-Neo
 * checkpoint into every code stack (`ICLayer.`, `ECLayer.`, `FinalOutputLayer.transformer.`; the
 * baseline's `transformer.`). Also the dry-run of such a load (`planLoad`) for `checkpoint inspect`.
 */
import { createModel } from '../ecode/create-model.js';
import { EXPERT_NAMES } from '../ecode/ecode.js';
import { recordParameterShapes } from '../blocks/params.js';
import type { ModelSpec, ModelVariant } from '../ecode/spec.js';

export type CheckpointKind = 'bert' | 'gpt-neo' | 'ecode';

export interface PretrainedTarget {
  /** The module that receives the checkpoint, e.g. `TitleLayer`. */
  target: string;
  prefixMap: Record<string, string>;
}

/** Where a BERT or GPT-Neo checkpoint goes in a variant (empty: nowhere, e.g. BERT into gpt-neo). */
export function pretrainedTargets(variant: ModelVariant, kind: 'bert' | 'gpt-neo'): PretrainedTarget[] {
  if (kind === 'bert') {
    if (variant === 'gpt-neo') return [];
    const targets = variant === 'e-code' ? [...EXPERT_NAMES] : ['OpenedExpertGroupLayer'];
    return targets.map((t) => ({ target: t, prefixMap: { 'bert.': `${t}.`, '': `${t}.` } }));
  }
  if (variant === 'gpt-neo') return [{ target: 'transformer', prefixMap: { 'transformer.': 'transformer.' } }];
  return [
    { target: 'ICLayer', prefixMap: { 'transformer.': 'ICLayer.' } },
    { target: 'ECLayer', prefixMap: { 'transformer.': 'ECLayer.' } },
    { target: 'FinalOutputLayer', prefixMap: { 'transformer.': 'FinalOutputLayer.transformer.' } },
  ];
}

/** A checkpoint's kind from its tensor names. */
export function checkpointKind(names: Iterable<string>): CheckpointKind | undefined {
  const all = [...names];
  if (all.some((n) => n.startsWith('ICLayer.') || n.startsWith('FinalOutputLayer.'))) return 'ecode';
  if (all.some((n) => /(^|\.)h\.0\.attn\.attention\./.test(n) || n.endsWith('wte.weight'))) return 'gpt-neo';
  if (all.some((n) => /(^|\.)encoder\.layer\.0\.attention\.self\./.test(n))) return 'bert';
  return undefined;
}

/** Parameter names and shapes of a model, without allocating its weights. */
export function parameterShapes(spec: ModelSpec): Map<string, number[]> {
  return recordParameterShapes(() => createModel(spec));
}

export function mapName(name: string, prefixMap: Record<string, string> | undefined): string {
  if (!prefixMap) return name;
  let best: string | null = null;
  for (const p of Object.keys(prefixMap)) if (name.startsWith(p) && (best === null || p.length > best.length)) best = p;
  return best === null ? name : prefixMap[best] + name.slice(best.length);
}

export interface LoadPlan {
  target: string;
  /** Model parameters of the target module that would get a tensor. */
  matched: number;
  /** Parameters of the target module that would get nothing. */
  missing: string[];
  /** Checkpoint tensors that go nowhere. */
  unexpected: string[];
  mismatched: { name: string; parameter: string; checkpoint: number[]; model: number[] }[];
}

/** What loading a checkpoint with `prefixMap` would do, without loading anything. */
export function planLoad(
  checkpoint: Map<string, number[]>,
  model: Map<string, number[]>,
  target: PretrainedTarget,
): LoadPlan {
  const plan: LoadPlan = { target: target.target, matched: 0, missing: [], unexpected: [], mismatched: [] };
  const hit = new Set<string>();
  for (const [name, shape] of checkpoint) {
    const p = mapName(name, target.prefixMap);
    const want = model.get(p);
    if (!want) {
      plan.unexpected.push(name);
      continue;
    }
    hit.add(p);
    if (want.length !== shape.length || want.some((d, i) => d !== shape[i]))
      plan.mismatched.push({ name, parameter: p, checkpoint: shape, model: want });
    else plan.matched++;
  }
  const prefixes = [...new Set(Object.values(target.prefixMap))];
  for (const p of model.keys()) if (!hit.has(p) && prefixes.some((x) => p.startsWith(x))) plan.missing.push(p);
  return plan;
}
