/** `ecode tracking flush`: replay MLflow calls spooled while the tracking server was unreachable. */
import { createTracker, resolveTrackingUri } from '@ecode/tracking';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../cli.js';

export const trackingFlushCommand: Command = {
  name: 'tracking flush',
  summary: 'Replay MLflow calls spooled while the tracking server was unreachable',
  usage: [
    '[--uri http(s)://host:port] [--spool FILE]',
    '',
    'When the MLflow server stops answering mid-run, ecode keeps every tracking call in a JSONL',
    'spool (default .ecode/mlflow-spool/<host>.jsonl) and says so. This sends them, in order.',
    '',
    'Options:',
    '  --uri URI     the MLflow server (default: $MLFLOW_TRACKING_URI)',
    '  --spool FILE  the spool file to replay',
  ].join('\n'),
  options: { uri: { type: 'string' }, spool: { type: 'string' } },
  maxArgs: 0,
  async run(ctx) {
    const uri = resolveTrackingUri(ctx.values.uri as string | undefined);
    if (!/^https?:\/\//.test(uri)) {
      throw new UsageError(
        `'${uri}' is a file store, which never spools; give --uri http(s)://... or set MLFLOW_TRACKING_URI`,
      );
    }
    const tracker = createTracker(uri, {
      rest: {
        spoolPath: ctx.values.spool as string | undefined,
        log: (line) => ctx.stderr.write(line + '\n'),
      },
    });
    const result = await tracker.flushSpool();
    ctx.stdout.write(
      `replayed ${result.replayed} call(s) to ${uri}; ${result.remaining} left in ${result.spoolPath}\n`,
    );
    return result.remaining === 0 ? EXIT_OK : EXIT_FAILED;
  },
};
