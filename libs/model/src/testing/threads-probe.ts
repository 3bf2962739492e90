/**
 * Child-process probe for backend.test.ts: starts wasm with ECODE_WASM_THREADS threads, runs one
 * forward+backward of a tiny E-code model and prints the thread count and a checksum of the loss
 * and every gradient (as exact float32 bit patterns). Exits by itself: the pool must not hold it.
 */
import { initBackend } from '../backend/backend.js';
import { tinyEcodeStep } from './tiny-ecode-step.js';

const info = await initBackend('wasm', () => {});
const { loss, checksum } = await tinyEcodeStep(3, true);
console.log(JSON.stringify({ threads: info.threads, native: info.native?.active, checksum, loss }));
