/**
 * Gradient replicas: worker threads that each hold a copy of the model and compute the gradients
 * of gradient shards (shards.ts) in parallel with the training thread. wasm is one thread per
 * instance, so a second core needs a second instance: every replica runs its own tfjs (wasm, one
 * thread). Weights and gradients move through SharedArrayBuffers (one memcpy each way per step,
 * no structured clones); only the shard's samples and small replies go through messages.
 *
 * The training thread keeps the only optimizer: after each update it publishes the weights, and a
 * replica loads them before its next shard. Replicas compute exactly what the training thread
 * would (same code, same backend, dropout seeded per shard), so results do not depend on whether
 * shards ran here or in a replica.
 */
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import type { EncodedSample } from '../contracts.js';
import { withFloat32Views } from '@ecode/kernels';
import type { ModelSpec } from '../ecode/spec.js';

/** One trainable variable's place in the flat weight and gradient buffers. */
export interface VariableSlot {
  key: string;
  shape: number[];
  offset: number;
  size: number;
}

export interface ReplicaShardResult {
  loss: number;
  tokens: number;
  /** Gradient values by variable key (views on the replica's shared buffer; null: no gradient). */
  grads: Map<string, Float32Array<ArrayBufferLike> | null>;
}

/** Messages to a replica. */
export type ToReplica =
  | { kind: 'init'; spec: ModelSpec; backend: string }
  | { kind: 'buffers'; params: SharedArrayBuffer; grads: SharedArrayBuffer }
  | { kind: 'shard'; version: number; samples: EncodedSample[]; dropoutSeed: number; seededDropout: boolean };

/** Messages from a replica. */
export type FromReplica =
  | { kind: 'ready'; layout: { key: string; shape: number[] }[] }
  | { kind: 'ok' }
  | { kind: 'shard'; loss: number; tokens: number; present: Uint8Array }
  | { kind: 'error'; message: string; stack?: string };

/** Lays out the trainable variables (in the given order) in one flat float32 buffer. */
export function layoutOf(entries: { key: string; shape: number[] }[]): { slots: VariableSlot[]; total: number } {
  let offset = 0;
  const slots = entries.map(({ key, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const slot = { key, shape: [...shape], offset, size };
    offset += size;
    return slot;
  });
  return { slots, total: offset };
}

function workerEntry(): { code: string; url: string } {
  const self = new URL(import.meta.url);
  const ts = self.pathname.endsWith('.ts');
  const url = new URL(ts ? './replica-worker.ts' : './replica-worker.js', self).href;
  // Loader hooks are per thread: a TS source tree registers tsx inside the worker first.
  const code = ts
    ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`
    : `import(${JSON.stringify(url)})`;
  return { code, url };
}

class Replica {
  private pending: { resolve: (m: FromReplica) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  gradView: Float32Array<ArrayBufferLike> = new Float32Array(0);

  constructor(
    readonly index: number,
    readonly worker: Worker,
  ) {
    // An idle replica never keeps the process alive (a forgotten dispose cannot hang an exit).
    worker.unref();
    worker.on('message', (m: FromReplica) => {
      const p = this.pending;
      this.pending = null;
      worker.unref();
      if (!p) return;
      if (m.kind === 'error') {
        const e = new Error(`gradient replica ${index}: ${m.message}`);
        if (m.stack) e.stack = `${e.message}\n(replica stack) ${m.stack}`;
        p.reject(e);
      } else p.resolve(m);
    });
    const fail = (e: Error) => {
      this.failure = e;
      const p = this.pending;
      this.pending = null;
      p?.reject(e);
    };
    worker.on('error', (e) => fail(new Error(`gradient replica ${index} crashed: ${e.message}`)));
    worker.on('exit', (code) => fail(new Error(`gradient replica ${index} exited (code ${code})`)));
  }

  request(msg: ToReplica): Promise<FromReplica> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error(`gradient replica ${this.index} is busy`));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(msg);
    });
  }
}

export interface StartReplicasOptions {
  /** Backend of the replicas (default wasm; each replica computes with one thread). */
  backend?: 'wasm' | 'cpu';
}

/** A pool of gradient replicas of one model spec. Dispose it to stop the threads. */
export class GradientReplicas {
  private version = 0;
  private publishedVersion = -1;
  private disposed = false;

  private constructor(
    private readonly replicas: Replica[],
    readonly slots: VariableSlot[],
    private readonly paramView: Float32Array<ArrayBufferLike>,
  ) {}

  /** Starts `count` replicas of `spec` (each creates the model, then waits for weights). */
  static async start(spec: ModelSpec, count: number, options: StartReplicasOptions = {}): Promise<GradientReplicas> {
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`GradientReplicas: count must be an integer >= 1, got ${count}`);
    const backend = options.backend ?? 'wasm';
    const { code } = workerEntry();
    const replicas = Array.from({ length: count }, (_, i) => new Replica(i, new Worker(code, { eval: true })));
    try {
      const readies = await Promise.all(replicas.map((r) => r.request({ kind: 'init', spec, backend })));
      const layouts = readies.map((m) => (m.kind === 'ready' ? m.layout : null));
      if (layouts.some((l) => l === null)) throw new Error('GradientReplicas: unexpected reply to init');
      const { slots, total } = layoutOf(layouts[0]!);
      const params = new SharedArrayBuffer(total * 4);
      await Promise.all(
        replicas.map((r) => {
          const grads = new SharedArrayBuffer(total * 4);
          r.gradView = new Float32Array(grads);
          return r.request({ kind: 'buffers', params, grads });
        }),
      );
      return new GradientReplicas(replicas, slots, new Float32Array(params));
    } catch (e) {
      await Promise.all(replicas.map((r) => r.worker.terminate()));
      throw e;
    }
  }

  get count(): number {
    return this.replicas.length;
  }

  /** Checks that `entries` (the trainer's trainable variables, in order) match the replicas' layout. */
  checkLayout(entries: [string, tf.Variable][]): void {
    const problems: string[] = [];
    if (entries.length !== this.slots.length)
      problems.push(`${entries.length} trainable variables here, ${this.slots.length} in the replicas`);
    entries.forEach(([key, v], i) => {
      const s = this.slots[i];
      if (s && (s.key !== key || s.shape.join(',') !== v.shape.join(',')))
        problems.push(`#${i}: here ${key} [${v.shape}], replica ${s.key} [${s.shape}]`);
    });
    if (problems.length)
      throw new Error(`GradientReplicas: the replicas hold another model: ${problems.slice(0, 3).join('; ')}`);
  }

  /** Marks the weights as changed (call after each optimizer update); published lazily. */
  weightsChanged(): void {
    this.version += 1;
  }

  private publish(entries: [string, tf.Variable][]): void {
    if (this.publishedVersion === this.version) return;
    withFloat32Views(
      entries.map(([, v]) => v),
      (views) => {
        views.forEach((view, i) => this.paramView.set(view, this.slots[i].offset));
      },
    );
    this.publishedVersion = this.version;
  }

  /**
   * Computes shards in parallel: shard i goes to replica i. `entries` are the trainer's current
   * weights (published to the replicas first when they changed). The returned gradient views stay
   * valid until the same replica computes again.
   */
  computeShards(
    entries: [string, tf.Variable][],
    shards: { samples: EncodedSample[]; dropoutSeed: number }[],
    seededDropout: boolean,
  ): Promise<ReplicaShardResult>[] {
    if (this.disposed) throw new Error('GradientReplicas: used after dispose');
    if (shards.length > this.replicas.length)
      throw new Error(`GradientReplicas: ${shards.length} shards for ${this.replicas.length} replicas`);
    this.publish(entries);
    return shards.map(async (s, i) => {
      const r = this.replicas[i];
      const reply = await r.request({
        kind: 'shard',
        version: this.version,
        samples: s.samples,
        dropoutSeed: s.dropoutSeed,
        seededDropout,
      });
      if (reply.kind !== 'shard') throw new Error(`gradient replica ${i}: unexpected reply`);
      const grads = new Map<string, Float32Array<ArrayBufferLike> | null>();
      this.slots.forEach((slot, j) => {
        grads.set(slot.key, reply.present[j] ? r.gradView.subarray(slot.offset, slot.offset + slot.size) : null);
      });
      return { loss: reply.loss, tokens: reply.tokens, grads };
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.replicas.map((r) => r.worker.terminate()));
  }
}
