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
  pushErrorScope(filter: 'validation'): void;
  popErrorScope(): Promise<{ message: string } | null>;
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

/** Workgroups for one workgroup per row (rows past the limit loop: see `ROW_LOOP`). */
export const rowGrid = (b: WebgpuBackend, rows: number) =>
  Math.max(1, Math.min(rows, b.device.limits.maxComputeWorkgroupsPerDimension));

/** Threads per row of the row-wise programs (layer norm, softmaxes). */
export const ROW_WORKGROUP = 64;

/**
 * WGSL helpers of the row-wise programs: `wgSum` / `wgMax` reduce one value per thread over the
 * workgroup (every thread gets the result; call from uniform control flow).
 */
export const ROW_REDUCE = /* wgsl */ `
var<workgroup> red: array<f32, ${ROW_WORKGROUP}>;
fn wgSum(v: f32, li: u32) -> f32 {
  workgroupBarrier();
  red[li] = v;
  workgroupBarrier();
  for (var w = ${ROW_WORKGROUP / 2}u; w > 0u; w = w >> 1u) {
    if (li < w) { red[li] = red[li] + red[li + w]; }
    workgroupBarrier();
  }
  return red[0];
}
fn wgMax(v: f32, li: u32) -> f32 {
  workgroupBarrier();
  red[li] = v;
  workgroupBarrier();
  for (var w = ${ROW_WORKGROUP / 2}u; w > 0u; w = w >> 1u) {
    if (li < w) { red[li] = max(red[li], red[li + w]); }
    workgroupBarrier();
  }
  return red[0];
}`;

/** The entry point of a row-wise program: `body` runs per row `r` (u32), threads `li` (u32); uniforms `u.rows`, `u.d`. */
export const rowMain = (body: string) => /* wgsl */ `
@compute @workgroup_size(${ROW_WORKGROUP})
fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var r = wid.x; r < u.rows; r = r + nwg.x) {
${body}
  }
}`;

/** Storage declarations: `read` names from binding 0, then `write` names. */
export function declareBuffers(read: [string, 'f32' | 'i32'][], write: string[]): string {
  return [
    ...read.map(([x, t], i) => `@group(0) @binding(${i}) var<storage, read> ${x}: array<${t}>;`),
    ...write.map((x, i) => `@group(0) @binding(${read.length + i}) var<storage, read_write> ${x}: array<f32>;`),
    `@group(0) @binding(${read.length + write.length}) var<uniform> u: U;`,
  ].join('\n');
}

/**
 * The entry point of an element-wise program: `body` runs per element `i` (u32) in a grid-stride
 * loop; the uniform struct starts with `n: u32, stride: u32` (`flatUniforms`).
 */
export const flatMain = (body: string) => /* wgsl */ `
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  for (var i = gid.x; i < u.n; i = i + u.stride) {
${body}
  }
}`;

/** The leading uniforms (`n`, `stride`) and the workgroups of an element-wise program over `n`. */
export function flatLayout(n: number): { uniforms: FusedDispatch['uniforms']; workgroups: number } {
  const workgroups = gridFor(n);
  return {
    uniforms: [
      { type: 'uint32', value: n },
      { type: 'uint32', value: workgroups * WORKGROUP },
    ],
    workgroups,
  };
}

/** The leading uniforms (`rows`, `d`) and the workgroups of a row-wise program over `x [..., d]`. */
export function rowLayout(
  b: WebgpuBackend,
  shape: number[],
): { uniforms: FusedDispatch['uniforms']; workgroups: number; rows: number; d: number } {
  const d = shape.length === 0 ? 1 : shape[shape.length - 1];
  const rows = d === 0 ? 0 : shape.reduce((a, c) => a * c, 1) / d;
  return {
    uniforms: [
      { type: 'uint32', value: rows },
      { type: 'uint32', value: d },
    ],
    workgroups: rowGrid(b, rows),
    rows,
    d,
  };
}

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
const compileErrors = new Map<string, string>();

function pipelineFor(b: WebgpuBackend, key: string, code: () => string): GpuPipeline {
  let cache = pipelines.get(b.device);
  if (!cache) pipelines.set(b.device, (cache = new Map()));
  let p = cache.get(key);
  if (!p) {
    // WebGPU reports a bad shader asynchronously (the dispatch itself then silently does nothing):
    // keep the message, print it, and fail every later dispatch of this program with it.
    b.device.pushErrorScope('validation');
    const module = b.device.createShaderModule({ code: code(), label: key });
    p = b.device.createComputePipeline({ layout: 'auto', label: key, compute: { module, entryPoint: 'main' } });
    void b.device.popErrorScope().then((e) => {
      if (!e) return;
      compileErrors.set(key, e.message);
      console.error(`[ecode/kernels] webgpu program ${key} is invalid: ${e.message}`);
    });
    cache.set(key, p);
  }
  const error = compileErrors.get(key);
  if (error) throw new Error(`${key}: the WebGPU program does not compile: ${error}`);
  return p;
}

/** Encodes one dispatch of `d` on the backend's command stream; returns the new output tensors. */
export function dispatchFused(b: WebgpuBackend, d: FusedDispatch): tf.TensorInfo[] {
  const buffers = d.inputs.length + d.outputs.length;
  if (buffers > storageBindings(b))
    throw new Error(`${d.key}: ${buffers} storage buffers, the device allows ${storageBindings(b)} per shader`);
  for (const t of d.inputs) {
    const dtype = b.tensorMap.get(t.dataId).dtype;
    if (dtype !== 'float32' && dtype !== 'int32')
      throw new Error(`${d.key}: input [${t.shape}] is ${dtype}, expected float32 or int32`);
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
