// Triplet and center loss against hand-computed values, and their tfjs gradients against finite differences.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../main/engine/face/backend.ts';
import { centerLoss, updateCenters } from '../../main/engine/train/center-loss.ts';
import { l2NormaliseRows, squaredDistanceMatrix } from '../../main/engine/train/distances.ts';
import type { TripletSet } from '../../main/engine/train/mining.ts';
import { seededRandom, normalDeviates } from '../../main/engine/math/random.ts';
import { tripletActivity, tripletLoss, tripletLossSum } from '../../main/engine/train/triplet-loss.ts';
import { conv2dSame } from '../../main/engine/train/conv-embedder.ts';

beforeAll(async () => {
  await initBackend();
});

function triplets(list: [number, number, number][]): TripletSet {
  return {
    anchor: Int32Array.from(list, (t) => t[0]),
    positive: Int32Array.from(list, (t) => t[1]),
    negative: Int32Array.from(list, (t) => t[2]),
    semiHard: 0,
    easy: 0,
    hard: 0,
  };
}

/**
 * Unit vectors: a0 (1,0) a1 (0.6,0.8) b0 (0.8,0.6) b1 (0,1) c0 (-1,0). Squared distances:
 * a0a1 0.8, a0b0 0.4, a0b1 2, a1b0 0.08, a1b1 0.4, b0b1 0.8, b0c0 3.6.
 * With alpha 0.2:
 *   (a0,a1,b0): 0.8 - 0.4 + 0.2 = 0.6       (a1,a0,b1): 0.8 - 0.4 + 0.2 = 0.6
 *   (b0,b1,c0): 0.8 - 3.6 + 0.2 < 0 -> 0    (b0,b1,a1): 0.8 - 0.08 + 0.2 = 0.92
 *   (a0,a1,b1): 0.8 - 2 + 0.2 < 0 -> 0
 * Sum 2.12; 3 of 5 active; mean over active 2.12 / 3.
 */
const points = [
  [1, 0],
  [0.6, 0.8],
  [0.8, 0.6],
  [0, 1],
  [-1, 0],
];
const handTriplets = triplets([
  [0, 1, 2],
  [1, 0, 3],
  [2, 3, 4],
  [2, 3, 1],
  [0, 1, 3],
]);

describe('triplet loss (FaceNet eq. 2)', () => {
  it('matches hand-computed values on five 2-D points', async () => {
    const e = tf.tensor2d(points);
    const distances = squaredDistanceMatrix(e);
    const activity = tripletActivity(await distances.data(), 5, handTriplets, 0.2);
    expect(Array.from(activity.losses)).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.6, 5), 0, expect.closeTo(0.92, 5), 0]);
    expect(activity.active).toBe(3);
    expect(activity.activeFraction).toBeCloseTo(0.6, 6);
    expect(activity.meanActiveLoss).toBeCloseTo(2.12 / 3, 5);
    const sum = tripletLossSum(e, handTriplets, 0.2);
    const mean = tripletLoss(e, handTriplets, 0.2, activity.active);
    expect((await sum.data())[0]).toBeCloseTo(2.12, 5);
    expect((await mean.data())[0]).toBeCloseTo(2.12 / 3, 5);
    tf.dispose([e, distances, sum, mean]);
  });

  it('has tfjs gradients that agree with central finite differences', async () => {
    const random = seededRandom(11);
    const values = normalDeviates(6 * 3, random);
    const set = triplets([
      [0, 1, 2],
      [0, 1, 3],
      [1, 0, 4],
      [2, 3, 0],
      [3, 2, 5],
      [4, 5, 1],
      [5, 4, 2],
    ]);
    const loss = (e: tf.Tensor2D) => tripletLossSum(l2NormaliseRows(e), set, 1.0);
    const e = tf.tensor2d(values, [6, 3]);
    // Keep away from hinge kinks, where finite differences are not defined.
    const distances = squaredDistanceMatrix(l2NormaliseRows(e));
    const hinges = tripletActivity(await distances.data(), 6, set, 1.0).losses;
    expect(hinges.some((h) => h > 0.05)).toBe(true);
    for (let t = 0; t < hinges.length; t++) {
      const row = set.anchor[t] * 6;
      const d = await distances.data();
      expect(Math.abs(d[row + set.positive[t]] - d[row + set.negative[t]] + 1.0)).toBeGreaterThan(1e-2);
    }
    const analytic = await tf.grad((x: tf.Tensor) => loss(x as tf.Tensor2D))(e).data();
    const numeric = finiteDifferences((v) => tf.tidy(() => loss(tf.tensor2d(v, [6, 3])).dataSync()[0]), values);
    for (let i = 0; i < values.length; i++) expect(analytic[i]).toBeCloseTo(numeric[i], 2);
    expect(Math.max(...numeric.map(Math.abs))).toBeGreaterThan(0.05);
    tf.dispose([e, distances]);
  });
});

/**
 * Features x1 (1,0) y=0, x2 (0,1) y=1, x3 (0,1) y=0, x4 (0.8,0.6) unlabelled; W = ln3 I, b = 0, s = 1.
 * Softmax: x1 logits (ln3, 0) -> -log(3/4) = ln(4/3); x2 likewise ln(4/3); x3 logits (0, ln3) with y=0 ->
 * -log(1/4) = ln 4. L_S / m = (2 ln(4/3) + ln 4) / 3 = 0.6538862.
 * Centres c0 (0.5,0), c1 (0,0.5): ||x1-c0||^2 0.25, ||x2-c1||^2 0.25, ||x3-c0||^2 0.25+1 = 1.25; L_C / m =
 * 0.5 * 1.75 / 3 = 0.2916667. lambda 0.1: total 0.6538862 + 0.0291667 = 0.6830529.
 */
describe('softmax + center loss (Wen et al. 2016 eq. 1, 2, 5)', () => {
  const features = [
    [1, 0],
    [0, 1],
    [0, 1],
    [0.8, 0.6],
  ];
  const labels = Int32Array.from([0, 1, 0, -1]);
  const centers = Float32Array.from([0.5, 0, 0, 0.5]);

  it('matches hand-computed values on four 2-D features', async () => {
    const x = tf.tensor2d(features);
    const weights = tf.tensor2d([
      [Math.log(3), 0],
      [0, Math.log(3)],
    ]);
    const bias = tf.zeros([2]) as tf.Tensor1D;
    const terms = centerLoss(x, labels, { weights, bias, scale: 1 }, centers, 0.1);
    expect((await terms.softmax.data())[0]).toBeCloseTo((2 * Math.log(4 / 3) + Math.log(4)) / 3, 5);
    expect((await terms.softmax.data())[0]).toBeCloseTo(0.6538862, 5);
    expect((await terms.center.data())[0]).toBeCloseTo(0.2916667, 5);
    expect((await terms.total.data())[0]).toBeCloseTo(0.6830529, 5);
    tf.dispose([x, weights, bias, terms.total, terms.softmax, terms.center]);
  });

  /**
   * Eq. 4 with alpha 0.5. Class 0 (x1, x3): sum (c0 - x) = (-0.5,0) + (0.5,-1) = (0,-1), / (1+2) -> (0,-1/3);
   * c0 = (0.5,0) - 0.5 (0,-1/3) = (0.5, 1/6). Class 1 (x2): (0,-0.5) / 2 = (0,-0.25); c1 = (0, 0.625).
   * Class 2 is not in the batch and stays (1,1).
   */
  it('updates centres by the eq. 4 rule', () => {
    const next = updateCenters(Float32Array.from([0.5, 0, 0, 0.5, 1, 1]), 2, Float32Array.from(features.flat()), labels, 0.5);
    const expected = [0.5, 1 / 6, 0, 0.625, 1, 1];
    expected.forEach((value, i) => expect(next[i]).toBeCloseTo(value, 6));
  });

  it('has tfjs gradients (features and classifier) that agree with finite differences', async () => {
    const random = seededRandom(5);
    const x0 = normalDeviates(5 * 3, random);
    const w0 = normalDeviates(3 * 4, random, 0.5);
    const batchLabels = Int32Array.from([0, 1, 2, 3, 1]);
    const centres = normalDeviates(4 * 3, random, 0.3);
    const bias = tf.tensor1d([0.1, -0.2, 0, 0.3]);
    const loss = (x: tf.Tensor, w: tf.Tensor) =>
      centerLoss(l2NormaliseRows(x as tf.Tensor2D), batchLabels, { weights: w as tf.Tensor2D, bias, scale: 4 }, centres, 0.7).total;
    const value = (xv: Float32Array, wv: Float32Array) =>
      tf.tidy(() => {
        const terms = centerLoss(l2NormaliseRows(tf.tensor2d(xv, [5, 3])), batchLabels, { weights: tf.tensor2d(wv, [3, 4]), bias, scale: 4 }, centres, 0.7);
        return terms.total.dataSync()[0];
      });
    const x = tf.tensor2d(x0, [5, 3]);
    const w = tf.tensor2d(w0, [3, 4]);
    const [gx, gw] = tf.grads(loss)([x, w]);
    const numericX = finiteDifferences((v) => value(v, w0), x0);
    const numericW = finiteDifferences((v) => value(x0, v), w0);
    const analyticX = await gx.data();
    const analyticW = await gw.data();
    for (let i = 0; i < x0.length; i++) expect(analyticX[i]).toBeCloseTo(numericX[i], 2);
    for (let i = 0; i < w0.length; i++) expect(analyticW[i]).toBeCloseTo(numericW[i], 2);
    expect(Math.max(...numericX.map(Math.abs))).toBeGreaterThan(0.05);
    tf.dispose([x, w, gx, gw, bias]);
  });
});

describe('conv2dSame (end-to-end embedder)', () => {
  it('has input and filter gradients that agree with finite differences (no Conv2DBackpropFilter on wasm)', async () => {
    const random = seededRandom(9);
    const x0 = normalDeviates(2 * 4 * 4 * 2, random);
    const w0 = normalDeviates(3 * 3 * 2 * 3, random);
    const r = tf.tensor4d(normalDeviates(2 * 4 * 4 * 3, random), [2, 4, 4, 3]);
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(conv2dSame(x, w), r)) as tf.Scalar;
    const value = (xv: Float32Array, wv: Float32Array) => tf.tidy(() => f(tf.tensor4d(xv, [2, 4, 4, 2]), tf.tensor4d(wv, [3, 3, 2, 3])).dataSync()[0]);
    const x = tf.tensor4d(x0, [2, 4, 4, 2]);
    const w = tf.tensor4d(w0, [3, 3, 2, 3]);
    const [gx, gw] = tf.grads(f)([x, w]);
    const numericX = finiteDifferences((v) => value(v, w0), x0);
    const numericW = finiteDifferences((v) => value(x0, v), w0);
    const analyticX = await gx.data();
    const analyticW = await gw.data();
    for (let i = 0; i < x0.length; i++) expect(analyticX[i]).toBeCloseTo(numericX[i], 1);
    for (let i = 0; i < w0.length; i++) expect(analyticW[i]).toBeCloseTo(numericW[i], 1);
    tf.dispose([x, w, gx, gw, r]);
  });
});

function finiteDifferences(f: (v: Float32Array) => number, at: Float32Array, step = 3e-3): number[] {
  return Array.from(at, (_, i) => {
    const plus = at.slice();
    const minus = at.slice();
    plus[i] += step;
    minus[i] -= step;
    return (f(plus) - f(minus)) / (2 * step);
  });
}
