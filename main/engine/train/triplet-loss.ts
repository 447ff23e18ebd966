// FaceNet triplet loss (Schroff et al. 2015, sec. 3.1, eq. 2) on L2-normalised embeddings, with rows picked by matMul.
import { tf } from '../face/backend.ts';
import { squaredDistanceMatrix } from './distances.ts';
import type { TripletSet } from './mining.ts';

/**
 * The triplets laid out per anchor: slot s of anchor a holds its s-th triplet. `select[a, j, s]` is +1 at the
 * positive and -1 at the negative, so D[a, :] . select[a, :, s] = ||a-p||^2 - ||a-n||^2. This is B x B x S
 * with S = most triplets per anchor (K-1 for P x K batches), not B x B x B, and it needs no tf.gather
 * (whose gradient, UnsortedSegmentSum, the wasm backend lacks).
 */
export interface TripletSelection {
  select: Float32Array;
  valid: Float32Array;
  batch: number;
  slots: number;
}

export function tripletSelection(triplets: TripletSet, batch: number): TripletSelection {
  const perAnchor = new Int32Array(batch);
  for (const a of triplets.anchor) perAnchor[a]++;
  const slots = Math.max(1, ...perAnchor);
  const select = new Float32Array(batch * batch * slots);
  const valid = new Float32Array(batch * slots);
  const used = new Int32Array(batch);
  for (let t = 0; t < triplets.anchor.length; t++) {
    const a = triplets.anchor[t];
    const s = used[a]++;
    select[(a * batch + triplets.positive[t]) * slots + s] += 1;
    select[(a * batch + triplets.negative[t]) * slots + s] -= 1;
    valid[a * slots + s] = 1;
  }
  return { select, valid, batch, slots };
}

/** max(0, ||f(a)-f(p)||^2 - ||f(a)-f(n)||^2 + alpha) per slot, zero for empty slots: shape [B, S]. */
function slotHinges(embeddings: tf.Tensor2D, selection: TripletSelection, margin: number): tf.Tensor2D {
  const { batch, slots } = selection;
  return tf.tidy(() => {
    const distances = squaredDistanceMatrix(embeddings);
    const select = tf.tensor3d(selection.select, [batch, batch, slots]);
    const valid = tf.tensor2d(selection.valid, [batch, slots]);
    // Plain tf.matMul here: only D needs a gradient, and its flagged product ([B,1,S] x [B,B,S]^T) is small.
    const gap = tf.reshape(tf.matMul(tf.reshape(distances, [batch, 1, batch]), select), [batch, slots]);
    return tf.mul(tf.relu(tf.add(gap, margin)), valid) as tf.Tensor2D;
  });
}

/** FaceNet eq. 2: L = sum over triplets of [||f(a)-f(p)||^2 - ||f(a)-f(n)||^2 + alpha]_+. */
export function tripletLossSum(embeddings: tf.Tensor2D, triplets: TripletSet, margin: number): tf.Scalar {
  return tf.tidy(() => tf.sum(slotHinges(embeddings, tripletSelection(triplets, embeddings.shape[0]), margin)) as tf.Scalar);
}

/**
 * The eq. 2 sum divided by the number of active (non-zero) triplets, counted outside the tape by
 * `tripletActivity`: the gradient keeps its scale as fewer triplets stay active.
 */
export function tripletLoss(embeddings: tf.Tensor2D, triplets: TripletSet, margin: number, activeCount: number): tf.Scalar {
  return tf.tidy(() => tf.div(tripletLossSum(embeddings, triplets, margin), Math.max(1, activeCount)) as tf.Scalar);
}

export interface TripletActivity {
  /** Per-triplet hinge loss, in triplet order. */
  losses: Float32Array;
  active: number;
  /** Active triplets over all triplets (0 when there are none). */
  activeFraction: number;
  /** Mean loss over active triplets (0 when none is active). */
  meanActiveLoss: number;
}

/** The eq. 2 terms from a B x B squared-distance matrix, in plain numbers. */
export function tripletActivity(distances: ArrayLike<number>, batch: number, triplets: TripletSet, margin: number): TripletActivity {
  const count = triplets.anchor.length;
  const losses = new Float32Array(count);
  let active = 0;
  let sum = 0;
  for (let t = 0; t < count; t++) {
    const row = triplets.anchor[t] * batch;
    const loss = Math.max(0, distances[row + triplets.positive[t]] - distances[row + triplets.negative[t]] + margin);
    losses[t] = loss;
    if (loss > 0) {
      active++;
      sum += loss;
    }
  }
  return { losses, active, activeFraction: count ? active / count : 0, meanActiveLoss: active ? sum / active : 0 };
}
