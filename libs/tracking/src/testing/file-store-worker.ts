/**
 * A second process writing to a shared file store, for the concurrency test:
 * `node --import tsx file-store-worker.ts <root> <experiment name> <runs> <points>`.
 */
import { FileStoreTracker } from '../file-store.js';

const [root, name, runs, points] = process.argv.slice(2);
const tracker = new FileStoreTracker({ root, sourceTags: () => ({ 'mlflow.user': `worker-${process.pid}` }) });
const expId = await tracker.getOrCreateExperiment(name);
for (let r = 0; r < Number(runs); r++) {
  const run = await tracker.startRun({
    experimentId: expId,
    runName: `p${process.pid}-r${r}`,
    tags: { 'ecode.config_hash': `h${r}` },
  });
  await run.logParams({ worker: String(process.pid), index: r });
  for (let i = 0; i < Number(points); i++) await run.logMetric('loss', 1 / (i + 1), i);
  await run.end('FINISHED');
}
process.stdout.write(expId + '\n');
