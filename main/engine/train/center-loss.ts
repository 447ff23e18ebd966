// Softmax cross-entropy + center loss (Wen, Zhang, Li and Qiao 2016, "A Discriminative Feature Learning
// Approach for Deep Face Recognition"), with the class centres updated by the paper's per-batch rule.
import { tf } from '../face/backend.ts';
import { UNLABELLED } from './dataset.ts';
import { matMulPlain } from './mat-mul.ts';

/** One-hot rows [B, classes]; unlabelled faces get a zero row and so add nothing to either term. */
export function oneHotRows(labels: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => {
    if (label !== UNLABELLED) out[i * classes + label] = 1;
  });
  return out;
}

function labelledCount(labels: Int32Array): number {
  let count = 0;
  for (const label of labels) if (label !== UNLABELLED) count++;
  return count;
}

/** The softmax classifier over the adapter's unit-length output: logits = s (x W + b). */
export interface SoftmaxClassifier {
  weights: tf.Tensor2D;
  bias: tf.Tensor1D;
  scale: number;
}

export interface CenterLossTerms {
  /** Eq. 5 total: L_S + lambda L_C, both divided by the labelled faces m of the batch. */
  total: tf.Scalar;
  softmax: tf.Scalar;
  center: tf.Scalar;
}

/**
 * Eq. 1: L_S = -sum_i log softmax(W x_i + b)_{y_i}; eq. 2: L_C = 1/2 sum_i ||x_i - c_{y_i}||^2; eq. 5:
 * L = L_S + lambda L_C. Both sums are divided by m, which leaves lambda's meaning unchanged. The centres
 * enter as constants: the paper moves them by the eq. 4 rule (`updateCenters`), not by this gradient.
 * @param centers classes x dim, row-major.
 */
export function centerLoss(
  features: tf.Tensor2D,
  labels: Int32Array,
  classifier: SoftmaxClassifier,
  centers: Float32Array,
  lambda: number,
): CenterLossTerms {
  const [batch, dim] = features.shape;
  const classes = classifier.weights.shape[1];
  const m = Math.max(1, labelledCount(labels));
  const [total, softmax, center] = tf.tidy(() => {
    const oneHot = tf.tensor2d(oneHotRows(labels, classes), [batch, classes]);
    const logits = tf.mul(tf.add(matMulPlain(features, classifier.weights), classifier.bias), classifier.scale);
    const logProbabilities = tf.sub(logits, tf.logSumExp(logits, 1, true));
    const softmaxLoss = tf.div(tf.neg(tf.sum(tf.mul(oneHot, logProbabilities))), m);
    const ownCenters = tf.matMul(oneHot, tf.tensor2d(centers, [classes, dim]));
    const labelled = tf.sum(oneHot, 1, true);
    const centerTerm = tf.div(tf.mul(tf.sum(tf.mul(tf.square(tf.sub(features, ownCenters)), labelled)), 0.5), m);
    return [tf.add(softmaxLoss, tf.mul(centerTerm, lambda)), softmaxLoss, centerTerm] as tf.Scalar[];
  });
  return { total, softmax, center };
}

/**
 * Eq. 4 and Algorithm 1: delta c_j = sum_i [y_i = j](c_j - x_i) / (1 + sum_i [y_i = j]), then
 * c_j <- c_j - alpha delta c_j, for the classes present in the batch. Returns new centres.
 * @param centers classes x dim, row-major; @param features batch x dim, row-major.
 */
export function updateCenters(centers: Float32Array, dim: number, features: Float32Array, labels: Int32Array, alpha: number): Float32Array {
  const classes = centers.length / dim;
  const sums = new Float64Array(centers.length);
  const counts = new Int32Array(classes);
  labels.forEach((label, i) => {
    if (label === UNLABELLED) return;
    counts[label]++;
    for (let c = 0; c < dim; c++) sums[label * dim + c] += centers[label * dim + c] - features[i * dim + c];
  });
  const next = centers.slice();
  for (let j = 0; j < classes; j++) {
    if (counts[j] === 0) continue;
    for (let c = 0; c < dim; c++) next[j * dim + c] = centers[j * dim + c] - (alpha * sums[j * dim + c]) / (1 + counts[j]);
  }
  return next;
}

/** Class means of `features`: the starting centres, so the first batches pull towards where each class already is. */
export function classMeans(features: Float32Array, dim: number, labels: Int32Array, classes: number): Float32Array {
  const sums = new Float32Array(classes * dim);
  const counts = new Int32Array(classes);
  labels.forEach((label, i) => {
    if (label === UNLABELLED) return;
    counts[label]++;
    for (let c = 0; c < dim; c++) sums[label * dim + c] += features[i * dim + c];
  });
  for (let j = 0; j < classes; j++) for (let c = 0; c < dim; c++) if (counts[j]) sums[j * dim + c] /= counts[j];
  return sums;
}
