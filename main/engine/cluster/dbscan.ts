// DBSCAN (Ester et al. 1996) on the face graph, as Immich clusters faces: eps = the distance threshold,
// minPts = the faces within eps (the face itself included) that make a core face.
import { CLUSTER_NEIGHBOURS, DBSCAN_K, DBSCAN_MIN_FACES } from './constants.ts';
import { joinMustLinks, prepareConstraints, splitCannotLinkViolations, type PreparedConstraints } from './constraints.ts';
import { DisjointSet } from './disjoint-set.ts';
import { buildFaceGraph, type FaceGraph } from './graph.ts';
import { findNeighbours } from '../math/neighbours.ts';
import { finishLabels } from './labels.ts';
import type { ClusterInput, ClusterOptions, ClusterResult, Clusterer } from './types.ts';

/**
 * Core faces are joined through their eps-edges (connected components); a border face joins the
 * cluster of its nearest core neighbour; the rest is noise (-1). The graph keeps at most k neighbours
 * per face, so a face is core when min(its true count, k) + 1 >= minPts: exact while k >= minPts - 1.
 * Then must-linked faces are brought together and clusters holding a cannot-link pair are split.
 */
export function dbscan(graph: FaceGraph, constraints: PreparedConstraints, minFaces: number): Int32Array {
  const { n, offsets, targets, distances } = graph;
  const core = new Uint8Array(n);
  for (let i = 0; i < n; i++) core[i] = offsets[i + 1] - offsets[i] + 1 >= minFaces ? 1 : 0;
  const components = new DisjointSet(n);
  for (let i = 0; i < n; i++) {
    if (!core[i]) continue;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) if (core[targets[e]]) components.union(i, targets[e]);
  }
  const key = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (core[i]) {
      key[i] = components.find(i);
      continue;
    }
    let nearest = -1;
    let best = Infinity;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const j = targets[e];
      if (core[j] && (distances[e] < best || (distances[e] === best && j < nearest))) {
        best = distances[e];
        nearest = j;
      }
    }
    if (nearest >= 0) key[i] = components.find(nearest);
  }
  joinMustLinks(key, constraints);
  return splitCannotLinkViolations(key, graph, constraints);
}

export const dbscanClusterer: Clusterer = {
  name: 'dbscan',
  cluster(input: ClusterInput, options: ClusterOptions): ClusterResult {
    const constraints = prepareConstraints(input);
    const minFaces = options.minClusterSize ?? DBSCAN_MIN_FACES;
    const k = Math.max(options.k ?? DBSCAN_K, minFaces - 1);
    const lists = findNeighbours(input.vectors, input.n, input.dim, k, CLUSTER_NEIGHBOURS, { radius: options.threshold, seed: options.seed, searchAll: true });
    // minPts already decided what is noise; a cluster split by cannot-links may be smaller.
    return finishLabels(dbscan(buildFaceGraph(lists), constraints, minFaces), 1);
  },
};
