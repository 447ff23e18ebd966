// The undirected face graph: kNN lists made symmetric (an edge when either face lists the other).
import type { NeighbourLists } from '../math/neighbours.ts';

export interface FaceGraph {
  n: number;
  /** Edges of face i are targets/distances[offsets[i] .. offsets[i+1]), each undirected edge stored both ways. */
  offsets: Int32Array;
  targets: Int32Array;
  distances: Float32Array;
  /** Edges are no longer than this L2 distance. */
  maxDistance: number;
}

export function buildFaceGraph(lists: NeighbourLists, maxDistance = lists.radius): FaceGraph {
  const { n, k, indices, distances: listDistances, counts } = lists;
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < counts[i]; t++) {
      if (listDistances[i * k + t] > maxDistance) break;
      degree[i]++;
      degree[indices[i * k + t]]++;
    }
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]);
  const distances = new Float32Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < counts[i]; t++) {
      const d = listDistances[i * k + t];
      if (d > maxDistance) break;
      const j = indices[i * k + t];
      targets[fill[i]] = j;
      distances[fill[i]++] = d;
      targets[fill[j]] = i;
      distances[fill[j]++] = d;
    }
  }
  // Drop the duplicate when both faces list each other; compact in place.
  const seen = new Int32Array(n).fill(-1);
  const compactOffsets = new Int32Array(n + 1);
  let w = 0;
  for (let i = 0; i < n; i++) {
    compactOffsets[i] = w;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const j = targets[e];
      if (seen[j] === i) continue;
      seen[j] = i;
      targets[w] = j;
      distances[w++] = distances[e];
    }
  }
  compactOffsets[n] = w;
  return { n, offsets: compactOffsets, targets: targets.slice(0, w), distances: distances.slice(0, w), maxDistance };
}
