/** Test helper: starts tfjs's wasm backend (single-threaded) with this layer's wasm lists. */
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from '../setup.js';

export async function startWasm(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  registerWasmKernels({ blasThreads: 1 });
  if (!(await tf.setBackend('wasm'))) throw new Error('startWasm: tf.setBackend("wasm") failed');
  await tf.ready();
}
