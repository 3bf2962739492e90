/**
 * Child-process probe for native.test.ts: starts wasm (with ECODE_NATIVE / ECODE_NATIVE_ADDON as
 * the parent set them), prints the backend's log line, whether the native kernels are active and
 * why not, and the loss and a gradient checksum of one forward+backward of a tiny E-code model.
 */
import { initBackend } from '../backend/backend.js';
import { tinyEcodeStep } from './tiny-ecode-step.js';

const lines: string[] = [];
const info = await initBackend('wasm', (l) => lines.push(l));
const { loss, checksum } = await tinyEcodeStep(2, false);
console.log(
  JSON.stringify({
    log: lines[0],
    active: info.native?.active ?? false,
    reason: info.native?.reason,
    loss,
    checksum,
  }),
);
