// The adapter head: a small identity-initialised network over frozen embeddings, with unit-length output,
// stored as one Float32Array plus JSON metadata.
import { z } from 'zod';
import { tf } from '../face/backend.ts';
import { l2NormaliseRows } from './distances.ts';
import { matMulPlain } from './mat-mul.ts';
import { normalDeviates, type Random } from '../math/random.ts';
import { packWeights, unpackWeights, type NamedArrays } from './weights.ts';

/**
 * linear:   y = norm(norm(x) W + b), W = I and b = 0 at start.
 * residual: y = norm(x' + relu(x' W1 + b1) W2) with x' = norm(x), W2 = 0 at start (so also the identity).
 */
export type AdapterKind = 'linear' | 'residual';
export type AdapterLoss = 'triplet' | 'center';

export const ADAPTER_FORMAT = 'face-atlas-adapter/1';

const weightSpecSchema = z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), offset: z.number().int().nonnegative() });

export const adapterMetaSchema = z.object({
  format: z.literal(ADAPTER_FORMAT),
  /** Embeddings of other models are never projected by this head. */
  embeddingModelId: z.string(),
  kind: z.enum(['linear', 'residual']),
  dim: z.number().int().positive(),
  hidden: z.number().int().nonnegative(),
  loss: z.enum(['triplet', 'center']),
  settings: z.record(z.string(), z.unknown()),
  metrics: z.unknown().optional(),
  steps: z.number().int().nonnegative(),
  trainedAt: z.string(),
  weights: z.array(weightSpecSchema),
});

export type AdapterMeta = z.infer<typeof adapterMetaSchema>;

export interface Adapter {
  meta: AdapterMeta;
  /** All weights, packed as described by meta.weights. */
  weights: Float32Array;
}

/** What the catalog stores: a BLOB and a JSON text. */
export interface SerializedAdapter {
  weights: Uint8Array;
  meta: string;
}

export function initialAdapterWeights(kind: AdapterKind, dim: number, hidden: number, random: Random): NamedArrays {
  if (kind === 'linear') {
    const identity = new Float32Array(dim * dim);
    for (let i = 0; i < dim; i++) identity[i * dim + i] = 1;
    return { w: { shape: [dim, dim], values: identity }, b: { shape: [dim], values: new Float32Array(dim) } };
  }
  return {
    // He initialisation for the ReLU layer; the zero W2 keeps the head the identity at step 0.
    w1: { shape: [dim, hidden], values: normalDeviates(dim * hidden, random, Math.sqrt(2 / dim)) },
    b1: { shape: [hidden], values: new Float32Array(hidden) },
    w2: { shape: [hidden, dim], values: new Float32Array(hidden * dim) },
  };
}

/** The head on a batch, with weights given as tensors or variables. */
export function adapterForward(kind: AdapterKind, weights: Record<string, tf.Tensor>, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const input = l2NormaliseRows(x);
    if (kind === 'linear') return l2NormaliseRows(tf.add(matMulPlain(input, weights.w), weights.b) as tf.Tensor2D);
    const hiddenLayer = tf.relu(tf.add(matMulPlain(input, weights.w1), weights.b1)) as tf.Tensor2D;
    return l2NormaliseRows(tf.add(input, matMulPlain(hiddenLayer, weights.w2)) as tf.Tensor2D);
  });
}

/** How far the head is from the identity: ||W - I||^2 + ||b||^2 (linear) or ||W2||^2 (residual). */
export function identityDeviation(kind: AdapterKind, weights: Record<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    if (kind === 'residual') return tf.sum(tf.square(weights.w2));
    const dim = weights.w.shape[0];
    return tf.add(tf.sum(tf.square(tf.sub(weights.w, tf.eye(dim)))), tf.sum(tf.square(weights.b))) as tf.Scalar;
  });
}

export function adapterArrays(adapter: Adapter): NamedArrays {
  return unpackWeights({ data: adapter.weights, specs: adapter.meta.weights });
}

export function makeAdapter(arrays: NamedArrays, meta: Omit<AdapterMeta, 'format' | 'weights'>): Adapter {
  const packed = packWeights(arrays);
  return { meta: { ...meta, format: ADAPTER_FORMAT, weights: packed.specs }, weights: packed.data };
}

/** Rows projected per tfjs call: bounds the temporary memory for a whole catalog at a few MB. */
const APPLY_CHUNK_ROWS = 4096;

/**
 * Projects N embeddings (row-major N x dim) through the head; output rows are unit length. Needs an
 * initialised tfjs backend.
 */
export function applyAdapter(vectors: Float32Array, adapter: Adapter): Float32Array {
  const { dim, kind } = adapter.meta;
  if (vectors.length % dim !== 0) throw new Error(`vectors length ${vectors.length} is not a multiple of the adapter's dim ${dim}`);
  const rows = vectors.length / dim;
  const out = new Float32Array(vectors.length);
  const arrays = adapterArrays(adapter);
  const weights: Record<string, tf.Tensor> = {};
  for (const [name, { shape, values }] of Object.entries(arrays)) weights[name] = tf.tensor(values, shape);
  try {
    for (let start = 0; start < rows; start += APPLY_CHUNK_ROWS) {
      const count = Math.min(APPLY_CHUNK_ROWS, rows - start);
      const projected = tf.tidy(() => adapterForward(kind, weights, tf.tensor2d(vectors.subarray(start * dim, (start + count) * dim), [count, dim])));
      out.set(projected.dataSync() as Float32Array, start * dim);
      projected.dispose();
    }
  } finally {
    for (const tensor of Object.values(weights)) tensor.dispose();
  }
  return out;
}

export function serializeAdapter(adapter: Adapter): SerializedAdapter {
  const bytes = new Uint8Array(new Uint8Array(adapter.weights.buffer, adapter.weights.byteOffset, adapter.weights.byteLength));
  return { weights: bytes, meta: JSON.stringify(adapter.meta) };
}

/** Validates the metadata and that the weights match it; throws with the reason otherwise. */
export function deserializeAdapter(serialized: SerializedAdapter): Adapter {
  const meta = adapterMetaSchema.parse(JSON.parse(serialized.meta));
  if (serialized.weights.byteLength % 4 !== 0) throw new Error(`adapter weights: ${serialized.weights.byteLength} bytes is not a whole number of float32`);
  // Copy into a fresh buffer: a BLOB's Buffer may sit at an offset that is not a multiple of 4.
  const weights = new Float32Array(new Uint8Array(serialized.weights).buffer);
  const expected = meta.kind === 'linear' ? { w: [meta.dim, meta.dim], b: [meta.dim] } : { w1: [meta.dim, meta.hidden], b1: [meta.hidden], w2: [meta.hidden, meta.dim] };
  const arrays = unpackWeights({ data: weights, specs: meta.weights });
  for (const [name, shape] of Object.entries(expected)) {
    if (!arrays[name] || arrays[name].shape.join('x') !== shape.join('x')) throw new Error(`adapter weight ${name}: expected shape [${shape}]`);
  }
  const used = meta.weights.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
  if (used !== weights.length) throw new Error(`adapter weights: ${weights.length} floats, metadata describes ${used}`);
  return { meta, weights };
}
