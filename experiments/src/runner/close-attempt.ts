/**
 * Ends an attempt whose `ecode run` process could not end it itself (SIGKILL, lost worker): its
 * run folder says RUNNING, its MLflow run is RUNNING. Both become KILLED, so only a later attempt
 * can end FINISHED and nothing looks still running.
 */
import { createTracker } from '@ecode/tracking';
import type { RunPaths } from './run-paths.js';
import { readRunStatus, writeJsonAtomic } from './run-status.js';

/** Tag set on the MLflow run of an attempt whose process was lost (why, in words). */
export const TAG_LOST = 'ecode.lost_worker';

export async function closeLostAttempt(
  paths: RunPaths,
  trackingUri: string,
  log: (l: string) => void,
  reason: { tag: string; error: string },
): Promise<void> {
  const prev = readRunStatus(paths.status);
  if (prev?.state !== 'RUNNING') return;
  if (prev.mlflowRunId) {
    const tracker = createTracker(prev.trackingUri ?? trackingUri);
    try {
      const run = await tracker.getRun(prev.mlflowRunId);
      if (run.info.status === 'RUNNING') {
        await tracker.setTags(prev.mlflowRunId, { [TAG_LOST]: reason.tag });
        await tracker.endRun(prev.mlflowRunId, 'KILLED');
        log(`MLflow run ${prev.mlflowRunId} of the lost attempt marked KILLED`);
      }
    } catch (err) {
      log(`could not mark the lost attempt's MLflow run ${prev.mlflowRunId} KILLED: ${(err as Error).message}`);
    }
  }
  await writeJsonAtomic(paths.status, {
    ...prev,
    state: 'KILLED',
    error: reason.error,
    endedAt: new Date().toISOString(),
  });
}
