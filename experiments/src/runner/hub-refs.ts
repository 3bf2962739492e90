/**
 * Hub ids in a config (`hf:<org>/<name>[@<rev>][/<file>]`) resolved to files in the shared Hugging
 * Face cache before a run reads them. The run's hash comes from the config text, so hashing never
 * needs the network; the commit each id resolved to is recorded here (run folder `hub.json`, MLflow
 * params `hub.<key>.commit`).
 */
import { resolve } from 'node:path';
import { resolveRef, type HubModel, type HubOptions } from '@ecode/hub';
import type { ExperimentConfig } from '@ecode/config';

export interface ResolvedHubRef {
  /** Config key, e.g. `model.init.gptNeo`. */
  key: string;
  id: string;
  repo: string;
  revision: string;
  commit: string;
  file: string;
  path: string;
}

/**
 * Returns the config with every hub id replaced by the absolute path of its cached file (local
 * paths are made absolute against `configDir`, as the stages read them), and the resolved ids.
 */
export async function resolveHubRefs(
  config: ExperimentConfig,
  configDir: string,
  opts: HubOptions = {},
): Promise<{ config: ExperimentConfig; refs: ResolvedHubRef[] }> {
  const out = structuredClone(config);
  const refs: ResolvedHubRef[] = [];
  /** `whole`: what a repo id without a file means (the weights, or a tokenizer file by its standard name). */
  const one = async (
    key: string,
    value: string | undefined,
    whole: string | ((m: HubModel) => HubModel['weights']),
  ) => {
    if (value === undefined) return undefined;
    const r = await resolveRef(value, (p) => resolve(configDir, p), whole, opts, key);
    if (r.hub) refs.push({ key, ...r.hub, id: value, path: r.path });
    return r.path;
  };
  const init = out.model.init;
  init.bert = await one('model.init.bert', init.bert, (m) => m.weights);
  init.gptNeo = await one('model.init.gptNeo', init.gptNeo, (m) => m.weights);
  const code = out.tokenizer.code.files;
  if (code) {
    code.vocab = (await one('tokenizer.code.files.vocab', code.vocab, 'vocab.json'))!;
    code.merges = (await one('tokenizer.code.files.merges', code.merges, 'merges.txt'))!;
  }
  const text = out.tokenizer.text.files;
  if (text) text.vocab = (await one('tokenizer.text.files.vocab', text.vocab, 'vocab.txt'))!;
  if (init.bert === undefined) delete init.bert;
  if (init.gptNeo === undefined) delete init.gptNeo;
  return { config: out, refs };
}

/** MLflow params for the resolved ids. */
export function hubParams(refs: ResolvedHubRef[]): Record<string, string> {
  const p: Record<string, string> = {};
  for (const r of refs) {
    p[`hub.${r.key}.commit`] = r.commit;
    p[`hub.${r.key}.file`] = `${r.repo}/${r.file}`;
  }
  return p;
}
