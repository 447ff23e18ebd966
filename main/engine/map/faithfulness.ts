// How well a layout keeps identities together: the share of each face's nearest neighbours that are the same person.
import { MAP_NEIGHBOURS } from './constants.ts';
import { neighboursOfRows } from '../math/neighbours.ts';
import { seededRandom, shuffleInPlace } from '../math/random.ts';

export interface NeighbourIdentityOptions {
  /** Estimate from this many seeded random query points instead of all n (large sets). */
  sampleSize?: number;
  seed?: number;
}

/**
 * Mean over points of the fraction of their k nearest neighbours (Euclidean, the point itself left
 * out) that carry the point's label. Works for a 2-D map (dim = 2) and for the embedding space alike,
 * so the two numbers are comparable. With a group of size s, a point can score at most (s - 1) / k.
 */
export function neighbourIdentity(
  points: Float32Array,
  dim: number,
  labels: ArrayLike<number | string>,
  k = 10,
  options: NeighbourIdentityOptions = {},
): number {
  const n = labels.length;
  if (points.length !== n * dim) throw new Error(`expected ${n} x ${dim} values, got ${points.length}`);
  if (n < 2) return Number.NaN;
  let rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  if (options.sampleSize !== undefined && options.sampleSize < n) {
    rows = shuffleInPlace(rows, seededRandom(options.seed ?? 1)).slice(0, options.sampleSize);
  }
  const graph = neighboursOfRows(points, n, dim, rows, k, MAP_NEIGHBOURS, options.seed ?? 1);
  let total = 0;
  for (let q = 0; q < rows.length; q++) {
    const label = labels[rows[q]];
    let same = 0;
    for (let t = 0; t < graph.k; t++) if (labels[graph.indices[q * graph.k + t]] === label) same++;
    total += same / graph.k;
  }
  return total / rows.length;
}
