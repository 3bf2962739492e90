export { isHubId, parseHubId, formatHubId, COMMIT_HASH, type HubId } from './hub-id.js';
export { hubSettings, type HubSettings } from './env.js';
export { hubFile, HubError, type HubFile, type HubOptions, type HubErrorCode } from './download.js';
export { hubModel, resolveRef, WEIGHT_FILES, TOKENIZER_FILES, type HubModel, type ResolvedRef } from './model-files.js';
export { readTorchBin, UnsafePickleError, DTYPE_BYTES, type TorchTensor, type TorchDType } from './torch-bin.js';
export { startStubHub, type StubHub, type StubRepo } from './stub-hub.js';
