export * from './types.js';
export * from './tags.js';
export { TrackingError } from './errors.js';
export { FileStoreTracker, type FileStoreOptions } from './file-store.js';
export {
  validateKey,
  validateRunId,
  validateExperimentId,
  validateExperimentName,
  MAX_PARAM_VAL_LENGTH,
  MAX_TAG_VAL_LENGTH,
  MAX_ENTITY_KEY_LENGTH,
} from './validation.js';
export { splitLogBatch, MLFLOW_BATCH_LIMITS, type LogBatch, type BatchLimits } from './log-batch.js';
export { defaultSourceTags, gitCommit, currentUser } from './source-tags.js';
export { pathToFileUri, fileUriToPath } from './file-uri.js';
export { RestTracker, type RestTrackerOptions } from './rest-tracker.js';
export { MlflowHttp, TrackingUnreachableError, authHeadersFromEnv, type HttpOptions } from './rest-http.js';
export {
  createTracker,
  resolveTrackingUri,
  DEFAULT_TRACKING_URI,
  type CreateTrackerOptions,
} from './create-tracker.js';
export { flattenConfig, configToParams, logConfigParams, sanitizeKey, type ConfigParams } from './config-params.js';
/** Test support: a stub MLflow REST server on 127.0.0.1 (not a real MLflow server). */
export { StubMlflowServer, type StubOptions, type Fault } from './testing/stub-mlflow-server.js';
export { dumpFlatYaml, parseFlatYaml, type FlatYaml } from './pyyaml.js';
export { pythonFloatRepr, parsePythonFloat } from './python-float.js';
