import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTracker, resolveTrackingUri } from './create-tracker.js';
import { FileStoreTracker } from './file-store.js';
import { RestTracker } from './rest-tracker.js';

describe('createTracker', () => {
  it('chooses the store from the URI', () => {
    const dir = path.join(os.tmpdir(), 'ecode-ct', 'mlruns');
    const a = createTracker(`file://${dir}`);
    expect(a).toBeInstanceOf(FileStoreTracker);
    expect((a as FileStoreTracker).root).toBe(dir);
    const b = createTracker('file:./mlruns');
    expect((b as FileStoreTracker).root).toBe(path.resolve('mlruns'));
    expect((createTracker('some/dir') as FileStoreTracker).root).toBe(path.resolve('some/dir'));
    const c = createTracker('http://127.0.0.1:5000/');
    expect(c).toBeInstanceOf(RestTracker);
    expect(c.uri).toBe('http://127.0.0.1:5000');
    expect(() => createTracker('databricks://x')).toThrow(/not supported/);
  });

  it('falls back to $MLFLOW_TRACKING_URI, then ./mlruns', () => {
    expect(resolveTrackingUri(undefined, { MLFLOW_TRACKING_URI: 'http://h:1' })).toBe('http://h:1');
    expect(resolveTrackingUri(undefined, {})).toBe('file:./mlruns');
    expect(createTracker(undefined, { env: { MLFLOW_TRACKING_URI: 'https://m.example' } }).kind).toBe('rest');
  });
});
