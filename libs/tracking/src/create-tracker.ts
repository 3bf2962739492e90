/**
 * `createTracker(uri)`: pick the store from a tracking URI as MLflow does: `http(s)://` is the REST
 * client, `file:` or a plain path is the file store; no URI means $MLFLOW_TRACKING_URI, else
 * `./mlruns`.
 */
import { TrackingError } from './errors.js';
import { FileStoreTracker, type FileStoreOptions } from './file-store.js';
import { authHeadersFromEnv } from './rest-http.js';
import { RestTracker, type RestTrackerOptions } from './rest-tracker.js';
import type { Tracker } from './types.js';

export const DEFAULT_TRACKING_URI = 'file:./mlruns';

export interface CreateTrackerOptions {
  file?: Omit<FileStoreOptions, 'root'>;
  rest?: Omit<RestTrackerOptions, 'uri'>;
  env?: NodeJS.ProcessEnv;
}

export function resolveTrackingUri(uri?: string, env: NodeJS.ProcessEnv = process.env): string {
  return uri || env.MLFLOW_TRACKING_URI || DEFAULT_TRACKING_URI;
}

export function createTracker(uri?: string, options: CreateTrackerOptions = {}): Tracker {
  const env = options.env ?? process.env;
  const resolved = resolveTrackingUri(uri, env);
  if (/^https?:\/\//i.test(resolved)) {
    return new RestTracker({ uri: resolved, headers: authHeadersFromEnv(env), ...options.rest });
  }
  if (resolved.startsWith('file:') || !/^[a-z][a-z0-9+.-]*:/i.test(resolved) || /^[a-z]:[\\/]/i.test(resolved)) {
    const root =
      resolved.startsWith('file:') && !resolved.startsWith('file://') ? resolved.slice('file:'.length) : resolved;
    return new FileStoreTracker({ ...options.file, root });
  }
  throw new TrackingError(
    `tracking URI '${resolved}' is not supported: use http(s)://host:port for an MLflow server, or file:./mlruns / a folder path for the file store (databricks:, sqlite: and others are not)`,
    'INVALID_PARAMETER_VALUE',
  );
}
