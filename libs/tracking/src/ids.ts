/** Identifiers as MLflow makes them: run ids are uuid4 hex, experiment ids 18-digit integers. */
import { randomBytes, randomUUID } from 'node:crypto';

export function newRunId(): string {
  return randomUUID().replace(/-/g, '');
}

export function newExperimentId(): string {
  const bytes = randomBytes(8);
  const n = bytes.readBigUInt64BE() & 0x7fffffffffffffffn;
  const s = (n % 900000000000000000n) + 100000000000000000n;
  return s.toString();
}
