// Out-of-sample t-SNE placement: a face left out of a sampled fit goes to the weighted median of its nearest fitted faces.
import { calibrateRow } from './affinities.ts';
import { PLACEMENT_PERPLEXITY, WEISZFELD_STEPS } from './constants.ts';
import type { NeighbourLists } from '../math/neighbours.ts';

/**
 * Position of each query: the weighted geometric median of its nearest fitted faces' positions y_j,
 * with w_j the Gaussian weights of t-SNE's input similarity (Eq. 1 of van der Maaten & Hinton 2008)
 * calibrated to a small perplexity, so the nearest few dominate. It starts from the weighted mean
 * sum_j w_j y_j and takes Weiszfeld steps y <- sum_j (w_j / |y - y_j|) y_j / sum_j (w_j / |y - y_j|).
 * Why not the mean alone: a wrong neighbour (another identity) can sit anywhere on the map, and even
 * 8% of the weight on it dragged the mean three cluster radii away (25k faces, 5k fitted); the median
 * stays with the majority. t-SNE has no parametric map for new points; this is its placement without
 * further gradient steps.
 */
export function placeByNeighbours(
  graph: NeighbourLists,
  fittedPositions: Float32Array,
  perplexity = PLACEMENT_PERPLEXITY,
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
    for (let step = 0; step < WEISZFELD_STEPS; step++) {
      let sumX = 0;
      let sumY = 0;
      let sumWeight = 0;
      for (let t = 0; t < k; t++) {
        const j = indices[q * k + t];
        const distance = Math.hypot(x - fittedPositions[2 * j], y - fittedPositions[2 * j + 1]);
        // On a data point the median update is undefined; a floor keeps that point's pull finite.
        const pull = weights[t] / Math.max(distance, 1e-9);
        sumX += pull * fittedPositions[2 * j];
        sumY += pull * fittedPositions[2 * j + 1];
        sumWeight += pull;
      }
      x = sumX / sumWeight;
      y = sumY / sumWeight;
    }
    out[2 * q] = x;
    out[2 * q + 1] = y;
  }
  return out;
}
