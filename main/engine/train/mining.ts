// Online in-batch triplet mining from the batch's squared-distance matrix (plain numbers, outside the gradient tape).
import { UNLABELLED } from './dataset.ts';

export type MiningStrategy = 'semiHard' | 'batchHard';

/** Triplets as parallel index arrays into the batch. */
export interface TripletSet {
  anchor: Int32Array;
  positive: Int32Array;
  negative: Int32Array;
  /** Triplets whose negative lies in the semi-hard band ||a-p||^2 < ||a-n||^2 < ||a-p||^2 + alpha. */
  semiHard: number;
  /** Triplets whose nearest negative beyond ||a-p||^2 is already past the margin (zero loss). */
  easy: number;
  /** Triplets with no negative beyond ||a-p||^2, given the fallback negative. */
  hard: number;
}

function isNegative(labels: Int32Array, anchor: number, other: number): boolean {
  return labels[other] === UNLABELLED || labels[other] !== labels[anchor];
}

/**
 * FaceNet (Schroff et al. 2015) sec. 3.2: every anchor-positive pair of the batch is used, each with a
 * semi-hard negative, ||f(a)-f(p)||^2 < ||f(a)-f(n)||^2 < ||f(a)-f(p)||^2 + alpha (the semi-hard condition, kept inside the margin), the
 * hardest one in the band (smallest ||f(a)-f(n)||^2).
 * Fallback, per pair: when the band is empty the nearest negative beyond ||a-p||^2 is taken (it is past the
 * margin, so it adds no loss and only counts as inactive); when every negative is nearer than the positive,
 * the farthest of them is taken, the least hard one, because FaceNet reports that the hardest negatives make
 * training collapse early on. Unlabelled faces (label -1) are negatives for every anchor and never anchors.
 * @param distances B x B squared distances, row-major.
 */
export function semiHardTriplets(distances: ArrayLike<number>, labels: Int32Array, margin: number): TripletSet {
  const batch = labels.length;
  const anchor: number[] = [];
  const positive: number[] = [];
  const negative: number[] = [];
  let semiHard = 0;
  let easy = 0;
  let hard = 0;
  for (let a = 0; a < batch; a++) {
    if (labels[a] === UNLABELLED) continue;
    const row = a * batch;
    for (let p = 0; p < batch; p++) {
      if (p === a || labels[p] !== labels[a]) continue;
      const dap = distances[row + p];
      let beyond = -1;
      let beyondDistance = Infinity;
      let farthest = -1;
      let farthestDistance = -Infinity;
      for (let n = 0; n < batch; n++) {
        if (!isNegative(labels, a, n)) continue;
        const dan = distances[row + n];
        if (dan > dap && dan < beyondDistance) {
          beyond = n;
          beyondDistance = dan;
        }
        if (dan > farthestDistance) {
          farthest = n;
          farthestDistance = dan;
        }
      }
      if (farthest < 0) continue;
      anchor.push(a);
      positive.push(p);
      if (beyond >= 0) {
        negative.push(beyond);
        if (beyondDistance < dap + margin) semiHard++;
        else easy++;
      } else {
        negative.push(farthest);
        hard++;
      }
    }
  }
  return { anchor: Int32Array.from(anchor), positive: Int32Array.from(positive), negative: Int32Array.from(negative), semiHard, easy, hard };
}

/**
 * Batch-hard mining (Hermans, Beyer and Leibe 2017, "In Defense of the Triplet Loss", sec. 2, batch hard): one triplet per
 * anchor, with its farthest positive and its nearest negative in the batch.
 */
export function batchHardTriplets(distances: ArrayLike<number>, labels: Int32Array, margin: number): TripletSet {
  const batch = labels.length;
  const anchor: number[] = [];
  const positive: number[] = [];
  const negative: number[] = [];
  let semiHard = 0;
  let easy = 0;
  let hard = 0;
  for (let a = 0; a < batch; a++) {
    if (labels[a] === UNLABELLED) continue;
    const row = a * batch;
    let p = -1;
    let n = -1;
    for (let j = 0; j < batch; j++) {
      if (j === a) continue;
      if (labels[j] === labels[a]) {
        if (p < 0 || distances[row + j] > distances[row + p]) p = j;
      } else if (n < 0 || distances[row + j] < distances[row + n]) n = j;
    }
    if (p < 0 || n < 0) continue;
    anchor.push(a);
    positive.push(p);
    negative.push(n);
    const dap = distances[row + p];
    const dan = distances[row + n];
    if (dan <= dap) hard++;
    else if (dan < dap + margin) semiHard++;
    else easy++;
  }
  return { anchor: Int32Array.from(anchor), positive: Int32Array.from(positive), negative: Int32Array.from(negative), semiHard, easy, hard };
}

export function mineTriplets(strategy: MiningStrategy, distances: ArrayLike<number>, labels: Int32Array, margin: number): TripletSet {
  return strategy === 'batchHard' ? batchHardTriplets(distances, labels, margin) : semiHardTriplets(distances, labels, margin);
}
