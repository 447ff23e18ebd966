// Out-of-sample t-SNE placement: a face left out of a sampled fit goes to the weighted mean of its nearest fitted faces.
import { calibrateRow } from './affinities.ts';
import { TSNE_PLACEMENT_PERPLEXITY } from './constants.ts';
import type { NeighbourGraph } from './knn.ts';

/**
 * Position of each query = sum_j w_j y_j over its nearest fitted faces j, with w_j the Gaussian
 * weights of t-SNE's input similarity (Eq. 1 of van der Maaten & Hinton 2008) calibrated to a small
 * perplexity, so the nearest few dominate. t-SNE has no parametric map to apply to new points; a
 * neighbour-weighted mean is the usual start of out-of-sample t-SNE, here used without the further
 * gradient steps (a face among its own identity's fitted faces lands inside their cluster).
 */
export function placeByNeighbours(
  graph: NeighbourGraph,
  fittedPositions: Float32Array,
  perplexity = TSNE_PLACEMENT_PERPLEXITY,
): Float32Array {
  const { n, k, indices, distances } = graph;
  const weights = new Float64Array(k);
  const out = new Float32Array(n * 2);
  for (let q = 0; q < n; q++) {
    calibrateRow(distances, q * k, k, perplexity, weights, 0);
    let x = 0;
    let y = 0;
    for (let t = 0; t < k; t++) {
      const j = indices[q * k + t];
      x += weights[t] * fittedPositions[2 * j];
      y += weights[t] * fittedPositions[2 * j + 1];
    }
    out[2 * q] = x;
    out[2 * q + 1] = y;
  }
  return out;
}
