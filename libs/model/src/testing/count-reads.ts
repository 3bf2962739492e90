/** For tests: how often tensor data is read back to the host (`data()` / `dataSync()`) while `f` runs. */
import * as tf from '@tensorflow/tfjs';

export async function countReads<T>(f: () => Promise<T>): Promise<{ value: T; reads: number }> {
  const engine = tf.engine() as unknown as Record<'read' | 'readSync', (...a: unknown[]) => unknown>;
  const [read, readSync] = [engine.read, engine.readSync];
  let reads = 0;
  engine.read = function (this: unknown, ...a: unknown[]) {
    reads++;
    return read.apply(this, a);
  };
  engine.readSync = function (this: unknown, ...a: unknown[]) {
    reads++;
    return readSync.apply(this, a);
  };
  try {
    return { value: await f(), reads };
  } finally {
    engine.read = read;
    engine.readSync = readSync;
  }
}
