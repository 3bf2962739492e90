export * from './types.js';
export {
  Sandbox,
  type CpuMeasurement,
  type PairedComparison,
  type InstructionCount,
  type CostResult,
} from './sandbox.js';
export { SandboxPool, type PoolOptions, type PoolReply } from './pool.js';
export { SandboxWorker, WorkerDiedError, type LauncherRequest } from './worker.js';
export { stdioOutputsMatch, callResultMatches, verdictOf, summarizeProgram, type CompareOptions } from './judge.js';
export { ResultCache, cacheKey, type CacheKeyParts } from './cache.js';
export { summarize, type SampleSummary } from './stats.js';
export {
  MissingToolError,
  detectHost,
  findBwrap,
  findPython,
  findValgrind,
  type HostInfo,
  type PythonInfo,
  type ValgrindInfo,
} from './host.js';
export { bwrapArgs, SANDBOX_ENV, INSIDE_UID } from './layout.js';
export { installLauncher } from './launcher.js';
export { runDoctor, formatDoctorTable, type DoctorRow } from './doctor.js';
export { parseTests } from './tests-file.js';
