/**
 * Parameter holders shaped like PyTorch's `nn.Linear` and `nn.LayerNorm`: each creates its
 * `weight` (and `bias`) under `<name>.` in the scope, so the holder's place in a block is its
 * checkpoint name, and `apply` runs the one `@ecode/kernels` op (`linear`, `layerNorm`).
 */
import type * as tf from '@tensorflow/tfjs';
import { layerNorm, linear } from './ops.js';
import { normal, ones, ParamScope, zeros, type Init } from './params.js';

export class Linear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | undefined;

  /** `weight [out, in]` (PyTorch layout), then `bias [out]` unless `bias: false`. */
  constructor(
    scope: ParamScope,
    name: string,
    outFeatures: number,
    inFeatures: number,
    opts: { bias?: boolean; init?: Init } = {},
  ) {
    this.weight = scope.create(`${name}.weight`, [outFeatures, inFeatures], opts.init ?? normal());
    this.bias = opts.bias === false ? undefined : scope.create(`${name}.bias`, [outFeatures], zeros);
  }

  /** `x W^T + b`: `[..., in]` -> `[..., out]`. */
  apply(x: tf.Tensor): tf.Tensor {
    return linear(x, this.weight, this.bias);
  }
}

export class LayerNorm {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    scope: ParamScope,
    name: string,
    size: number,
    readonly eps: number,
  ) {
    this.weight = scope.create(`${name}.weight`, [size], ones);
    this.bias = scope.create(`${name}.bias`, [size], zeros);
  }

  /** Normalises the last axis: `[..., size]` -> `[..., size]`. */
  apply(x: tf.Tensor): tf.Tensor {
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}
