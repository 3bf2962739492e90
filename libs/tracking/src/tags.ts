/** Tag keys: MLflow's own (mlflow/utils/mlflow_tags.py) and the ones ecode sets on every run. */
export const MLFLOW_RUN_NAME = 'mlflow.runName';
export const MLFLOW_USER = 'mlflow.user';
export const MLFLOW_SOURCE_NAME = 'mlflow.source.name';
export const MLFLOW_SOURCE_TYPE = 'mlflow.source.type';
export const MLFLOW_GIT_COMMIT = 'mlflow.source.git.commit';
export const MLFLOW_GIT_BRANCH = 'mlflow.source.git.branch';
export const MLFLOW_GIT_REPO_URL = 'mlflow.source.git.repoURL';
export const MLFLOW_RUN_NOTE = 'mlflow.note.content';
export const MLFLOW_PARENT_RUN_ID = 'mlflow.parentRunId';

/** Canonical hash of the resolved config; the runner skips a FINISHED run with the same hash. */
export const TAG_CONFIG_HASH = 'ecode.config_hash';
/** Variant name (e-code, no-expert, relu, heads-8, gpt-neo). */
export const TAG_VARIANT = 'ecode.variant';
/** tfjs backend the run trained on (cpu, wasm, webgpu). */
export const TAG_BACKEND = 'ecode.backend';
/**
 * What computed on that backend: on wasm `native (OpenBLAS <kernel set>, N threads)` or
 * `wasm XNNPACK + JS (native off: <why>)`; other backends their own kernels.
 */
export const TAG_KERNELS = 'ecode.kernels';
/**
 * The WebGPU adapter a `webgpu` run computed on (GPUAdapterInfo's vendor, architecture and
 * description) and whether it is a software rasteriser (`true` / `false`; SwiftShader, lavapipe).
 */
export const TAG_GPU_VENDOR = 'ecode.gpu.vendor';
export const TAG_GPU_ARCHITECTURE = 'ecode.gpu.architecture';
export const TAG_GPU_DESCRIPTION = 'ecode.gpu.description';
export const TAG_GPU_SOFTWARE = 'ecode.gpu.software';
/** Error text of a FAILED run. */
export const TAG_ERROR = 'ecode.error';
/** Comma-separated param keys whose values were cut to MLflow's 6000-character limit. */
export const TAG_TRUNCATED_PARAMS = 'ecode.truncated_params';
/** Set when artifacts could not go to the tracking server and were kept on this machine. */
export const TAG_LOCAL_ARTIFACTS = 'ecode.local_artifacts';
