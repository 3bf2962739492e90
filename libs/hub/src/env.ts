/** The environment variables huggingface_hub reads, read the same way. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HubSettings {
  /** `HF_ENDPOINT`, default https://huggingface.co (no trailing slash). */
  endpoint: string;
  /** `HF_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else ~/.cache/huggingface/hub. */
  cacheDir: string;
  /** `HF_TOKEN`, else the token file (`HF_TOKEN_PATH`, else `$HF_HOME/token`). */
  token?: string;
  /** `HF_HUB_OFFLINE=1`: the cache only. */
  offline: boolean;
}

const TRUE = new Set(['1', 'on', 'yes', 'true']);

function hfHome(env: NodeJS.ProcessEnv): string {
  return env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface');
}

/** Reads the settings from `env` (default: the process environment). */
export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
  const endpoint = (env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  // The rules of huggingface_hub (and of @huggingface/hub's getHFHubCachePath, which the tests
  // compare against): HF_HUB_CACHE, the older HUGGINGFACE_HUB_CACHE, then $HF_HOME/hub.
  const cacheDir = env.HF_HUB_CACHE ?? env.HUGGINGFACE_HUB_CACHE ?? join(hfHome(env), 'hub');
  let token = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim() || undefined;
  if (!token) {
    const file = env.HF_TOKEN_PATH ?? join(hfHome(env), 'token');
    try {
      token = readFileSync(file, 'utf8').trim() || undefined;
    } catch {
      token = undefined;
    }
  }
  return { endpoint, cacheDir, token, offline: TRUE.has((env.HF_HUB_OFFLINE ?? '').toLowerCase()) };
}
