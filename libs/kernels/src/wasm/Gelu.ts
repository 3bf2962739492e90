/** Exact GELU: outputs y and phi = Phi(x) (saved for the gradient). */
import type * as tf from '@tensorflow/tfjs';
import { Gelu } from '../names.js';
import type { KernelEntry } from '../registry.js';
import { asWasm, f32, type KernelArgs } from '../wasm-backend.js';

/** erf with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), in float64. */
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

function gelu(a: KernelArgs<'x'>): tf.TensorInfo[] {
  const b = asWasm(a.backend);
  const x = a.inputs.x!;
  const y = b.makeOutput(x.shape, 'float32');
  const p = b.makeOutput(x.shape, 'float32');
  const xv = f32(b, x);
  const yv = f32(b, y);
  const pv = f32(b, p);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    const phi = 0.5 * (1 + erf(v * Math.SQRT1_2));
    pv[i] = phi;
    yv[i] = v * phi;
  }
  return [y, p];
}

export const geluConfig: KernelEntry = { kernelName: Gelu, kernelFunc: gelu as KernelEntry['kernelFunc'] };
