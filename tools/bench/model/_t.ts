import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@ecode/model';
await initBackend('wasm', () => {}, { wasmThreads: 1 });
const x = tf.randomNormal([1024, 1024]);
for (const [name, f] of [['tanh', () => tf.tanh(x)], ['exp', () => tf.exp(x)], ['mul', () => tf.mul(x, x)], ['sigmoid', () => tf.sigmoid(x)], ['transpose', () => tf.transpose(tf.reshape(x, [4096, 256]))], ['transpose1028', () => tf.transpose(tf.slice(tf.reshape(x, [4096, 256]), [0, 0], [1028, 256]))]] as const) {
  for (let i = 0; i < 3; i++) f().dispose();
  const t0 = performance.now(); for (let i = 0; i < 20; i++) f().dispose(); console.log(name, ((performance.now() - t0) / 20).toFixed(2), 'ms');
}
