/** MLflow tags that say how a sweep's run was made (beside the config hash and variant). */
import type { Sweep, SweepRun } from '@ecode/config';

/** MLflow tags of a sweep's run: the command-line overrides as given, and its grid point. */
export function sweepRunTags(sweep: Sweep, run: SweepRun): Record<string, string> {
  const tags: Record<string, string> = {};
  if (sweep.overrides.length) tags['ecode.overrides'] = sweep.overrides.join(' ');
  if (run.point.length)
    tags['ecode.point'] = JSON.stringify(Object.fromEntries(run.point.map((p) => [p.key, p.value])));
  return tags;
}
