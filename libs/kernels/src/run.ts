/**
 * The one dispatch of the layer. `runKernel(name, inputs, attrs)` runs the backend's kernel when
 * one is registered, else the kernel's composed reference (tf ops, any backend). Kernels whose
 * gradient is registered (`tf.registerGradient`, by kernel name, with inputs/outputs to save) are
 * recorded on the tape as one node whose value is output 0; the other outputs are only what the
 * gradient saves. (tfjs's own taping of a multi-output kernel would hand the gradient a zero-filled
 * tensor for every unused output, e.g. the `[N, V]` softmax of the cross-entropy.)
 */
import * as tf from '@tensorflow/tfjs';
import type { AttrsOf, InputsOf, KernelName } from './names.js';

export type Reference = (inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) => tf.Tensor | tf.Tensor[];

const references = new Map<string, Reference>();

/** Registers the composed reference implementation of a kernel (tf ops, any backend). */
export function registerReference(kernelName: string, reference: Reference): void {
  references.set(kernelName, reference);
}

/** Whether `kernelName` runs as a kernel on the current backend (else as its reference). */
export function hasBackendKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** Runs a kernel's composed reference (every output), whatever the backend has. */
export function runReference(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap = {},
): tf.Tensor | tf.Tensor[] {
  const reference = references.get(kernelName);
  if (!reference)
    throw new Error(
      `${kernelName}: backend '${tf.getBackend()}' has no such kernel and there is no composed reference`,
    );
  // Intermediates of the composed ops are freed here; the outputs are kept.
  return tf.tidy(() => reference(inputs, attrs));
}

function forward(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor[] {
  const out = hasBackendKernel(kernelName)
    ? (tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor | tf.Tensor[])
    : runReference(kernelName, inputs, attrs);
  return Array.isArray(out) ? out : [out];
}

/** Every output of a kernel (the backend's, else the reference's), untaped: for composed references. */
export function runKernelOutputs(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap = {},
): tf.Tensor[] {
  return forward(kernelName, inputs, attrs);
}

interface CustomKernelEngine {
  isTapeOn(): boolean;
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => ReturnType<tf.GradConfig['gradFunc']>;
    inputs: tf.NamedTensorMap;
    attrs: tf.NamedAttrMap;
  }): tf.Tensor;
}

/**
 * Runs a kernel of the layer (see the module comment). Returns output 0 for kernels with a
 * registered gradient, else every output (one tensor or an array).
 */
export function runKernel<K extends KernelName>(
  kernelName: K,
  inputs: InputsOf<K>,
  attrs: AttrsOf<K>,
): tf.Tensor | tf.Tensor[];
export function runKernel(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs?: tf.NamedAttrMap,
): tf.Tensor | tf.Tensor[];
export function runKernel(
  kernelName: string,
  inputs: Record<string, tf.Tensor | undefined>,
  attrs: object = {},
): tf.Tensor | tf.Tensor[] {
  const ins: tf.NamedTensorMap = {};
  for (const k in inputs) if (inputs[k] !== undefined) ins[k] = inputs[k]!;
  const at = attrs as tf.NamedAttrMap;
  const grad = tf.getGradient(kernelName);
  const engine = tf.engine() as unknown as CustomKernelEngine;
  if (!grad) {
    const outs = forward(kernelName, ins, at);
    return outs.length === 1 ? outs[0] : outs;
  }
  if (!engine.isTapeOn()) {
    const outs = forward(kernelName, ins, at);
    for (let i = 1; i < outs.length; i++) outs[i].dispose();
    return outs[0];
  }
  return engine.runKernelFunc({
    forwardFunc: (_backend, save) => {
      const outs = forward(kernelName, ins, at);
      save([...(grad.inputsToSave ?? []).map((n) => ins[n]), ...outs.filter((_, i) => grad.outputsToSave?.[i])]);
      return outs[0];
    },
    backwardsFunc: (dy, saved) => grad.gradFunc(dy, saved, at),
    inputs: ins,
    attrs: at,
  });
}
