/**
 * tfjs-wasm's Transpose takes ~0.9 ns/element here, but 4-16 ns when the output row stride is a
 * multiple of 1 KiB (cache-set aliasing: [1024, 256], [512, 256], [256, 1024], [4096, 256]), which
 * is exactly the weight and activation shapes of the models. Those (2-D and batched 2-D) go
 * through 32 x 32 tiles in JS instead (~2.3 ns/element); everything else to the stock kernel.
 */
import type { KernelEntry } from '../registry.js';
import { asWasm, f32 } from '../wasm-backend.js';

/**
 * A transpose that swaps two adjacent groups of axes, [batch, A, B, inner] -> [batch, B, A, inner]
 * (every transpose the models do: 2-D, [0,2,1], [0,2,1,3], ...), or null for other perms.
 */
export function blockSwapOf(
  shape: number[],
  perm: number[],
): { batch: number; a: number; b: number; inner: number } | null {
  const n = perm.length;
  let p = 0;
  while (p < n && perm[p] === p) p++;
  if (p === n) return null;
  const q = perm[p];
  const width = q - p;
  // perm = [0..p-1, q..r-1, p..q-1, r..n-1]
  let r = q;
  while (r < n && perm[p + (r - q)] === r) r++;
  for (let i = 0; i < width; i++) if (perm[p + (r - q) + i] !== p + i) return null;
  for (let i = r; i < n; i++) if (perm[i] !== i) return null;
  const prod = (from: number, to: number) => shape.slice(from, to).reduce((x, y) => x * y, 1);
  return { batch: prod(0, p), a: prod(p, q), b: prod(q, r), inner: prod(r, n) };
}

export const transposeConfig: KernelEntry = {
  kernelName: 'Transpose',
  wrap: (stock) => (args) => {
    const backend = asWasm(args.backend);
    const x = args.inputs.x!;
    const perm = args.attrs.perm as number[];
    const swap = x.dtype === 'float32' ? blockSwapOf(x.shape, perm) : null;
    if (!swap || swap.inner !== 1 || swap.a % 256 !== 0) return stock(args);
    const out = backend.makeOutput(
      perm.map((i) => x.shape[i]),
      x.dtype,
    );
    const xf = f32(backend, x);
    const of = f32(backend, out);
    const { batch, a, b } = swap;
    const plane = a * b;
    const T = 32;
    for (let n = 0; n < batch; n++) {
      const base = n * plane;
      for (let i0 = 0; i0 < a; i0 += T) {
        const i1 = Math.min(a, i0 + T);
        for (let j0 = 0; j0 < b; j0 += T) {
          const j1 = Math.min(b, j0 + T);
          for (let j = j0; j < j1; j++) {
            const o = base + j * a;
            for (let i = i0; i < i1; i++) of[o + i] = xf[base + i * b + j];
          }
        }
      }
    }
    return out;
  },
};
