import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RestTracker, StubMlflowServer } from '@ecode/tracking';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { trackingFlushCommand } from './tracking-flush.js';
import { captureIo } from './test-io.js';

describe('ecode tracking flush', () => {
  it('replays a spool written while the server was down', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ecode-flush-'));
    const server = await new StubMlflowServer().start();
    try {
      const spoolPath = path.join(tmp, 'spool.jsonl');
      await server.stop();
      const offline = new RestTracker({
        uri: server.uri,
        spoolPath,
        log: () => {},
        maxRetries: 0,
        sourceTags: () => ({}),
      });
      const run = await offline.startRun({ experimentId: await offline.getOrCreateExperiment('later') });
      await run.end('FINISHED');
      await server.restart();
      const cap = captureIo();
      const code = await runCli(
        [trackingFlushCommand],
        ['tracking', 'flush', '--uri', server.uri, '--spool', spoolPath],
        cap.io,
      );
      expect(cap.out()).toMatch(/replayed 3 call\(s\).*0 left/);
      expect(code).toBe(0);
      expect([...server.runs.values()].map((r) => r.info.status)).toEqual(['FINISHED']);
    } finally {
      await server.stop();
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });

  it('refuses a file store URI', async () => {
    const cap = captureIo();
    const code = await runCli([trackingFlushCommand], ['tracking', 'flush', '--uri', 'file:./mlruns'], cap.io);
    expect(code).toBe(2);
    expect(cap.err()).toMatch(/file store/);
  });
});
