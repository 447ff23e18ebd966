// Textbook agglomeration, O(n^3), as the oracle for the graph-based average linkage.
import { finishLabels } from '../../main/engine/cluster/labels.ts';
import type { MergeLimit } from '../../main/engine/cluster/merge-limit.ts';
import type { SyntheticFaces } from '../../main/engine/math/synthetic.ts';

/**
 * Always merges the closest pair of clusters by root-mean-square pair distance, while it is within the
 * threshold; with a size-aware `limit`, the pair lowest relative to its own limit, while within it.
 */
export function naiveAverageLinkage(faces: SyntheticFaces, threshold: number, limit?: MergeLimit): Int32Array {
  const { vectors, n, dim } = faces;
  const sq = (i: number, j: number): number => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (vectors[i * dim + d] - vectors[j * dim + d]) ** 2;
    return s;
  };
  let clusters: number[][] = Array.from({ length: n }, (_, i) => [i]);
  for (;;) {
    let best = Infinity;
    let pair: [number, number] = [-1, -1];
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        let sum = 0;
        for (const i of clusters[a]) for (const j of clusters[b]) sum += sq(i, j);
        const d = Math.sqrt(sum / (clusters[a].length * clusters[b].length));
        const lim = limit ? Math.min(threshold, limit(clusters[a].length, clusters[b].length)) : threshold;
        const key = limit ? d / lim : d;
        if (d <= lim && key < best) {
          best = key;
          pair = [a, b];
        }
      }
    }
    if (pair[0] < 0) break;
    const [a, b] = pair;
    clusters[a] = clusters[a].concat(clusters[b]);
    clusters = clusters.filter((_, c) => c !== b);
  }
  const key = new Int32Array(n);
  clusters.forEach((members, c) => members.forEach((i) => (key[i] = c)));
  return finishLabels(key).labels;
}
