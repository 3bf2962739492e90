/** A whole model repo: its weights (safetensors preferred), config.json and tokenizer files. */
import { hubFile, type HubFile, type HubOptions } from './download.js';
import { formatHubId, parseHubId, isHubId, type HubId } from './hub-id.js';
import { HubError } from './download.js';

/** Weight files in order of preference (huggingface_hub / transformers pick safetensors first). */
export const WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin'] as const;
/** Tokenizer files looked for by their standard names. */
export const TOKENIZER_FILES = [
  'vocab.json',
  'merges.txt',
  'vocab.txt',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
] as const;

export interface HubModel {
  repo: string;
  revision: string;
  commit: string;
  weights: HubFile;
  config?: HubFile;
  /** By file name. */
  tokenizer: Record<string, HubFile>;
}

/**
 * Resolves a model repo once (the first file fixes the commit, so every file comes from the same
 * commit even when a branch moves meanwhile).
 */
export async function hubModel(id: HubId, opts: HubOptions = {}): Promise<HubModel> {
  let rev = id.revision;
  let weights: HubFile | undefined;
  for (const f of WEIGHT_FILES) {
    weights = await hubFile({ repo: id.repo, revision: rev, file: f }, { ...opts, optional: true });
    if (weights) break;
  }
  if (!weights)
    throw new HubError(
      'not-found',
      `${formatHubId(id)}: the repo has neither ${WEIGHT_FILES.join(' nor ')} (sharded checkpoints are not supported)`,
    );
  rev = weights.commit;
  const config = await hubFile({ repo: id.repo, revision: rev, file: 'config.json' }, { ...opts, optional: true });
  const tokenizer: Record<string, HubFile> = {};
  for (const f of TOKENIZER_FILES) {
    const t = await hubFile({ repo: id.repo, revision: rev, file: f }, { ...opts, optional: true });
    if (t) tokenizer[f] = t;
  }
  return { repo: id.repo, revision: id.revision ?? 'main', commit: weights.commit, weights, config, tokenizer };
}

/** What a config value named: a local path as it is, or a hub id resolved to a cached file. */
export interface ResolvedRef {
  path: string;
  /** Present for hub ids. */
  hub?: { id: string; repo: string; revision: string; commit: string; file: string };
}

/**
 * Resolves a checkpoint or tokenizer reference: local paths through `local(path)`, hub ids with a
 * file to that file, hub ids of a whole repo to `whole`: a file name (e.g. `vocab.txt`) or a pick
 * from the repo's files (e.g. its weights).
 */
export async function resolveRef(
  ref: string,
  local: (p: string) => string,
  whole: string | ((m: HubModel) => HubFile),
  opts: HubOptions = {},
  where = 'reference',
): Promise<ResolvedRef> {
  if (!isHubId(ref)) return { path: local(ref) };
  const id = parseHubId(ref, where);
  const f = id.file
    ? await hubFile(id, opts)
    : typeof whole === 'string'
      ? await hubFile({ ...id, file: whole }, opts)
      : whole(await hubModel(id, opts));
  return { path: f.path, hub: { id: ref, repo: f.repo, revision: f.revision, commit: f.commit, file: f.file } };
}
