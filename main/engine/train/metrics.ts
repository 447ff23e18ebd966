// Held-out face metrics: pair verification with a cross-validated threshold (LFW protocol) and 1-NN identification.
import { squaredDistance } from './distances.ts';
import { seededRandom, shuffleInPlace } from '../math/random.ts';

export interface VerificationResult {
  /** Mean accuracy over folds (0..1); NaN when there are too few pairs. */
  accuracy: number;
  std: number;
  pairs: number;
  folds: number;
}

/** The distance threshold (same person when distance <= threshold) with the best accuracy on `indices`. */
export function bestThreshold(distances: ArrayLike<number>, same: ArrayLike<number>, indices: readonly number[]): number {
  const order = indices.slice().sort((a, b) => distances[a] - distances[b]);
  let correct = order.reduce((sum, i) => sum + (same[i] ? 0 : 1), 0);
  let best = correct;
  let threshold = order.length ? distances[order[0]] - 1 : 0;
  for (let k = 0; k < order.length; ) {
    const value = distances[order[k]];
    // Pairs at the same distance fall on the same side of any threshold.
    while (k < order.length && distances[order[k]] === value) correct += same[order[k++]] ? 1 : -1;
    if (correct > best) {
      best = correct;
      threshold = k < order.length ? (value + distances[order[k]]) / 2 : value + 1;
    }
  }
  return threshold;
}

/** LFW protocol: the threshold for each fold is chosen on the other folds; mean +- std of fold accuracies. */
export function verificationAccuracy(distances: ArrayLike<number>, same: ArrayLike<number>, folds: number, seed: number): VerificationResult {
  const pairs = distances.length;
  const foldCount = Math.min(folds, pairs);
  if (foldCount < 2) return { accuracy: NaN, std: NaN, pairs, folds: 0 };
  const order = shuffleInPlace(Array.from({ length: pairs }, (_, i) => i), seededRandom(seed));
  const foldOf = new Int32Array(pairs);
  order.forEach((pair, position) => (foldOf[pair] = position % foldCount));
  const accuracies: number[] = [];
  for (let fold = 0; fold < foldCount; fold++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < pairs; i++) (foldOf[i] === fold ? test : train).push(i);
    const threshold = bestThreshold(distances, same, train);
    const correct = test.reduce((sum, i) => sum + ((distances[i] <= threshold) === Boolean(same[i]) ? 1 : 0), 0);
    accuracies.push(correct / test.length);
  }
  const mean = accuracies.reduce((a, b) => a + b, 0) / foldCount;
  const std = Math.sqrt(accuracies.reduce((sum, a) => sum + (a - mean) ** 2, 0) / foldCount);
  return { accuracy: mean, std, pairs, folds: foldCount };
}

export interface FacePairs {
  first: Int32Array;
  second: Int32Array;
  same: Uint8Array;
}

/**
 * Every same-person pair in `pool` that involves a probe, and as many seeded random different-person pairs
 * that involve a probe (fewer when the pool has fewer).
 */
export function verificationPairs(codes: Int32Array, probes: readonly number[], pool: readonly number[], seed: number): FacePairs {
  const isProbe = new Set(probes);
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < pool.length; i++) {
    for (let j = i + 1; j < pool.length; j++) {
      const a = pool[i];
      const b = pool[j];
      if (codes[a] === codes[b] && (isProbe.has(a) || isProbe.has(b))) {
        first.push(a);
        second.push(b);
      }
    }
  }
  const sameCount = first.length;
  const random = seededRandom(seed);
  const seen = new Set<string>();
  for (let tries = 0, added = 0; added < sameCount && tries < sameCount * 50; tries++) {
    const a = probes[Math.floor(random() * probes.length)];
    const b = pool[Math.floor(random() * pool.length)];
    if (codes[a] === codes[b]) continue;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    first.push(a);
    second.push(b);
    added++;
  }
  const same = new Uint8Array(first.length);
  same.fill(1, 0, sameCount);
  return { first: Int32Array.from(first), second: Int32Array.from(second), same };
}

export interface IdentificationResult {
  /** Probes whose nearest other face in the gallery is the same person (0..1); NaN without probes. */
  accuracy: number;
  /** Probes that have at least one other face of their person in the gallery. */
  probes: number;
}

/** Leave-one-out 1-NN: each probe against every other gallery face. */
export function identificationAccuracy(vectors: Float32Array, dim: number, codes: Int32Array, probes: readonly number[], gallery: readonly number[]): IdentificationResult {
  const galleryCount = new Map<number, number>();
  for (const g of gallery) galleryCount.set(codes[g], (galleryCount.get(codes[g]) ?? 0) + 1);
  const inGallery = new Set(gallery);
  let counted = 0;
  let correct = 0;
  for (const probe of probes) {
    const sameInGallery = (galleryCount.get(codes[probe]) ?? 0) - (inGallery.has(probe) ? 1 : 0);
    if (sameInGallery < 1) continue;
    let nearest = -1;
    let nearestDistance = Infinity;
    for (const g of gallery) {
      if (g === probe) continue;
      const d = squaredDistance(vectors, dim, probe, g);
      if (d < nearestDistance) {
        nearestDistance = d;
        nearest = g;
      }
    }
    counted++;
    if (codes[nearest] === codes[probe]) correct++;
  }
  return { accuracy: counted ? correct / counted : NaN, probes: counted };
}

export interface FaceMetrics {
  identification: number;
  verification: number;
  verificationStd: number;
  identificationProbes: number;
  pairs: number;
}

/** Both metrics for the probes of one pool (the pool is also the identification gallery). */
export function evaluateEmbeddings(vectors: Float32Array, dim: number, codes: Int32Array, probes: readonly number[], pool: readonly number[], folds: number, seed: number): FaceMetrics {
  const pairs = verificationPairs(codes, probes, pool, seed);
  const distances = Float64Array.from(pairs.first, (a, k) => squaredDistance(vectors, dim, a, pairs.second[k]));
  const verification = verificationAccuracy(distances, pairs.same, folds, seed + 1);
  const identification = identificationAccuracy(vectors, dim, codes, probes, pool);
  return {
    identification: identification.accuracy,
    verification: verification.accuracy,
    verificationStd: verification.std,
    identificationProbes: identification.probes,
    pairs: verification.pairs,
  };
}
