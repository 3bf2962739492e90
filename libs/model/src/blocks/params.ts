/**
 * Named trainable parameters. Every module creates its weights through a `ParamStore` under its
 * Hugging Face prefix, so the store's names are the checkpoint tensor names.
 */
import * as tf from '@tensorflow/tfjs';
import { SeedSequence } from './ops.js';

let variableCounter = 0;
/** While set, `create` records shapes and makes empty placeholder variables (see `parameterShapes`). */
let shapeRecorder: Map<string, number[]> | null = null;

/** Runs `build` with every parameter created as an empty placeholder; returns the real shapes. */
export function recordParameterShapes(build: () => { dispose?: () => void } | void): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  shapeRecorder = shapes;
  try {
    build()?.dispose?.();
  } finally {
    shapeRecorder = null;
  }
  return shapes;
}

export type Init = { kind: 'normal'; std: number; zeroRow?: number } | { kind: 'zeros' } | { kind: 'ones' };

export class ParamStore {
  readonly variables = new Map<string, tf.Variable>();
  private readonly seeds: SeedSequence;

  constructor(seed: number) {
    this.seeds = new SeedSequence(seed);
  }

  /** Creates the variable `name` (names must be unique) with a seeded initialisation. */
  create(name: string, shape: number[], init: Init): tf.Variable {
    if (this.variables.has(name)) throw new Error(`ParamStore: parameter '${name}' is defined twice`);
    const seed = this.seeds.next();
    if (shapeRecorder) {
      shapeRecorder.set(name, shape.slice());
      const empty = tf.variable(tf.zeros([0]), false, `${name}__${variableCounter++}`);
      this.variables.set(name, empty);
      return empty;
    }
    const value = tf.tidy(() => {
      if (init.kind === 'zeros') return tf.zeros(shape);
      if (init.kind === 'ones') return tf.ones(shape);
      const t = tf.randomNormal(shape, 0, init.std, 'float32', seed);
      if (init.zeroRow === undefined) return t;
      const mask = tf.oneHot([init.zeroRow], shape[0]).reshape([shape[0], 1]);
      return tf.mul(t, tf.sub(1, mask));
    });
    const v = tf.variable(value, true, `${name}__${variableCounter++}`);
    value.dispose();
    this.variables.set(name, v);
    return v;
  }

  /** A view that prefixes names (`prefix + name`). */
  scope(prefix: string): ParamScope {
    return new ParamScope(this, prefix);
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

export class ParamScope {
  constructor(
    readonly store: ParamStore,
    readonly prefix: string,
  ) {}
  create(name: string, shape: number[], init: Init): tf.Variable {
    return this.store.create(this.prefix + name, shape, init);
  }
  scope(prefix: string): ParamScope {
    return new ParamScope(this.store, this.prefix + prefix);
  }
}

/** HF's default initialiser range for BERT and GPT-Neo. */
export const INIT_STD = 0.02;
export const normal = (std = INIT_STD, zeroRow?: number): Init => ({ kind: 'normal', std, zeroRow });
export const zeros: Init = { kind: 'zeros' };
export const ones: Init = { kind: 'ones' };
