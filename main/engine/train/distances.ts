// Differentiable L2 normalisation and squared-distance matrix, built only from ops with gradients on wasm.
import { tf } from '../face/backend.ts';
import { matMulPlain } from './mat-mul.ts';

/** Keeps the gradient finite for an all-zero row. */
const NORM_EPSILON = 1e-12;

/** FaceNet sec. 3.1: embeddings live on the unit hypersphere, ||f(x)||_2 = 1; each row divided by its L2 norm. */
export function l2NormaliseRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), NORM_EPSILON))) as tf.Tensor2D);
}

/**
 * ||e_i - e_j||^2 for all rows, as ||e_i||^2 + ||e_j||^2 - 2 e_i.e_j: one B x B x dim matMul instead of a
 * B x B x dim difference tensor.
 */
export function squaredDistanceMatrix(embeddings: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const squaredNorms = tf.sum(tf.square(embeddings), 1, true);
    const gram = matMulPlain(embeddings, tf.transpose(embeddings));
    return tf.sub(tf.add(squaredNorms, tf.transpose(squaredNorms)), tf.mul(gram, 2)) as tf.Tensor2D;
  });
}

/** Squared L2 distance between rows i and j of a row-major matrix. */
export function squaredDistance(vectors: Float32Array, dim: number, i: number, j: number): number {
  let sum = 0;
  const a = i * dim;
  const b = j * dim;
  for (let c = 0; c < dim; c++) {
    const d = vectors[a + c] - vectors[b + c];
    sum += d * d;
  }
  return sum;
}
