/**
 * The one description of tfjs-backend-webgpu's internals (WebGPUBackend of tfjs 4.22, pinned) that
 * the webgpu kernels use, and `dispatchFused`: one compute dispatch with several outputs.
 *
 * Why not `runWebGPUProgram`: tfjs's programs have exactly one output (binding 0), so a fused
 * kernel with three outputs (AdamW's param, m, v) would take three dispatches or a packed output
 * and three slices. `dispatchFused` encodes the dispatch into the backend's own command encoder
 * and compute pass, exactly as `recordAndSubmit` does (same pass, same deferred-submit batching,
 * same ownership marks so that disposal waits for the submit), so it orders correctly with every
 * tfjs kernel around it. Programs declare their own bindings: inputs `var<storage, read>` from
 * binding 0, then outputs `var<storage, read_write>`, then one uniform buffer.
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of GPUDevice and friends used here (no dependency on @webgpu/types). */
interface GpuPipeline {
  getBindGroupLayout(i: number): unknown;
}
interface GpuDevice {
  limits: { maxStorageBuffersPerShaderStage: number; maxComputeWorkgroupsPerDimension: number };
  createShaderModule(d: { code: string; label?: string }): unknown;
  createComputePipeline(d: {
    layout: 'auto';
    label?: string;
    compute: { module: unknown; entryPoint: string };
  }): GpuPipeline;
  createBindGroup(d: { layout: unknown; entries: { binding: number; resource: unknown }[] }): unknown;
}
interface GpuPass {
  setPipeline(p: GpuPipeline): void;
  setBindGroup(i: number, g: unknown): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
}
export interface WebgpuBackend {
  device: GpuDevice;
  tensorMap: { get(dataId: object): { dtype: tf.DataType; resource: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): tf.TensorInfo;
  uploadToGPU(dataId: object): void;
  /** Frees a tensor's data (after the pending submit when queued work still reads it). */
  disposeData(dataId: object): boolean;
  makeUniforms(u: { type: 'float32' | 'int32' | 'uint32'; data: number[] }[]): unknown;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  commandEncoder: { beginComputePass(d: object): GpuPass };
  computePassEncoder: GpuPass | null;
  commandQueueOwnedIds: WeakSet<object>;
  dispatchCountInPass: number;
  activeTimers: unknown[] | null;
}

export const asWebgpu = (backend: unknown) => backend as WebgpuBackend;

/** Storage buffers one shader stage may bind (8 unless the device asked for more). */
export const storageBindings = (b: WebgpuBackend) => b.device.limits.maxStorageBuffersPerShaderStage;

/** Threads per workgroup of the fused programs (WebGPU guarantees 256). */
export const WORKGROUP = 256;

/** Workgroups for a grid-stride loop over `n` elements: one per 256 elements, at most 1024. */
export const gridFor = (n: number) => Math.max(1, Math.min(Math.ceil(n / WORKGROUP), 1024));

export interface FusedDispatch {
  /** For the pipeline cache and error messages: one name per distinct WGSL source. */
  key: string;
  code: () => string;
  inputs: tf.TensorInfo[];
  outputs: { shape: number[]; dtype: tf.DataType }[];
  /** The uniform struct's fields in declaration order (4-byte scalars only). */
  uniforms: { type: 'float32' | 'uint32'; value: number }[];
  workgroups: number;
}

const pipelines = new WeakMap<GpuDevice, Map<string, GpuPipeline>>();

function pipelineFor(b: WebgpuBackend, key: string, code: () => string): GpuPipeline {
  let cache = pipelines.get(b.device);
  if (!cache) pipelines.set(b.device, (cache = new Map()));
  let p = cache.get(key);
  if (!p) {
    const module = b.device.createShaderModule({ code: code(), label: key });
    p = b.device.createComputePipeline({ layout: 'auto', label: key, compute: { module, entryPoint: 'main' } });
    cache.set(key, p);
  }
  return p;
}

/** Encodes one dispatch of `d` on the backend's command stream; returns the new output tensors. */
export function dispatchFused(b: WebgpuBackend, d: FusedDispatch): tf.TensorInfo[] {
  const bindings = d.inputs.length + d.outputs.length;
  if (bindings > storageBindings(b))
    throw new Error(`${d.key}: ${bindings} storage buffers, the device allows ${storageBindings(b)} per shader`);
  for (const t of d.inputs) {
    if (b.tensorMap.get(t.dataId).dtype !== 'float32')
      throw new Error(`${d.key}: input [${t.shape}] is ${t.dtype}, expected float32`);
    b.uploadToGPU(t.dataId);
  }
  const outs = d.outputs.map((o) => b.makeTensorInfo(o.shape, o.dtype));
  for (const o of outs) b.uploadToGPU(o.dataId);
  const pipeline = pipelineFor(b, d.key, d.code);
  const entries: { binding: number; resource: unknown }[] = [...d.inputs, ...outs].map((t, i) => ({
    binding: i,
    resource: { buffer: b.tensorMap.get(t.dataId).resource },
  }));
  if (d.uniforms.length > 0)
    entries.push({
      binding: entries.length,
      resource: b.makeUniforms(d.uniforms.map((u) => ({ type: u.type, data: [u.value] }))),
    });
  const bindGroup = b.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  for (const t of [...d.inputs, ...outs]) b.commandQueueOwnedIds.add(t.dataId);
  b.ensureCommandEncoderReady();
  if (!b.computePassEncoder) b.computePassEncoder = b.commandEncoder.beginComputePass({});
  b.computePassEncoder.setPipeline(pipeline);
  b.computePassEncoder.setBindGroup(0, bindGroup);
  b.computePassEncoder.dispatchWorkgroups(d.workgroups);
  b.dispatchCountInPass++;
  // tfjs's batching: submit every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE dispatches, and per program
  // while a profiler (tf.profile / tf.time) is timing programs.
  if (
    b.activeTimers != null ||
    (tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= b.dispatchCountInPass
  ) {
    b.endComputePassEncoder();
    b.submitQueue();
  }
  return outs;
}
