// Average-linkage agglomerative clustering with a distance threshold, on the sparse kNN face graph,
// merging the closest pair of clusters first (a heap with lazy deletion) under user constraints.
import {
  AVERAGE_LINKAGE_EXACT_PAIRS,
  AVERAGE_LINKAGE_K,
  AVERAGE_LINKAGE_RADIUS_MARGIN,
  AVERAGE_LINKAGE_SAMPLED_PAIRS,
} from './constants.ts';
import { CannotLinkSets, prepareConstraints, type PreparedConstraints } from './constraints.ts';
import { DisjointSet } from './disjoint-set.ts';
import { buildFaceGraph, type FaceGraph } from './graph.ts';
import { findNeighbours } from './knn.ts';
import { finishLabels } from './labels.ts';
import { PairHeap } from './pair-heap.ts';
import { createRng } from './random.ts';
import type { ClusterInput, ClusterOptions, ClusterResult, Clusterer } from './types.ts';

/** Face-pair edges between two clusters, summed. Shared by both clusters' adjacency maps. */
interface ClusterLink {
  distanceSum: number;
  edges: number;
  /** Sum over these edges of max(bound_i, bound_j). */
  edgeBoundSum: number;
}

/** Per cluster: faces, the sum and the minimum of the faces' bounds (FaceGraph.bound). */
interface ClusterStats {
  size: Int32Array;
  boundSum: Float64Array;
  minBound: Float32Array;
}

/**
 * Average linkage is the mean L2 distance over all |A||B| face pairs; the graph holds only some pairs
 * (within the radius, at most k per face). A missing pair (i, j) is at least max(b_i, b_j) apart, b being
 * each face's bound, and
 *   sum over all pairs of max(b_i, b_j) >= max(|B| sum_A b, |A| sum_B b),
 * so the missing pairs sum to at least that minus the same max over the present edges (and at least
 * missing * the smallest bound). The result is a lower bound of the true average distance that is tight
 * both for small clusters (bound = radius) and inside dense ones (bound = k-th neighbour distance), and is
 * exact average linkage (UPGMA) when the graph is complete.
 */
function averageDistance(link: ClusterLink, a: number, b: number, stats: ClusterStats): number {
  const { size, boundSum, minBound } = stats;
  const pairs = size[a] * size[b];
  const missing = pairs - link.edges;
  if (missing <= 0) return link.distanceSum / link.edges;
  const allPairsBound = Math.max(size[b] * boundSum[a], size[a] * boundSum[b]);
  const missingBound = Math.max(allPairsBound - link.edgeBoundSum, missing * Math.min(minBound[a], minBound[b]));
  return (link.distanceSum + missingBound) / pairs;
}

/** The embeddings, for checking a candidate merge against the average over all its face pairs. */
export interface AverageCheck {
  vectors: Float32Array;
  dim: number;
  /** Cluster pairs with at most this many face pairs are checked exactly... */
  maxPairs: number;
  /** ...larger ones by the mean over this many face pairs drawn at random (seeded). */
  samples: number;
  seed?: number;
}

/** Heap records keyed by the lower bound, or by the checked average. */
const BOUND = 0;
const CHECKED = 1;

/**
 * Merges clusters while the closest pair's average distance is <= threshold. Must-link groups start as
 * one cluster; two clusters holding a cannot-link pair are never merged. Returns each face's cluster
 * root (a row number).
 *
 * The heap is keyed by the lower bound above. With `exact`, a popped candidate is re-keyed by its
 * average over all face pairs computed from the embeddings (exactly for small clusters, from a seeded
 * sample of face pairs for large ones) and merges only when it comes out on top again: since
 * bound <= average, small clusters merge in exactly the order of true average linkage, and the graph
 * only limits which clusters are candidates.
 */
export function mergeByAverageLinkage(
  graph: FaceGraph,
  constraints: PreparedConstraints,
  threshold: number,
  exact?: AverageCheck,
): Int32Array {
  const { n, offsets, targets, distances, bound } = graph;
  const clusters = new DisjointSet(n);
  for (let i = 0; i < n; i++) if (constraints.group[i] !== i) clusters.unionInto(constraints.group[i], i);
  const rootOf = (row: number): number => clusters.find(row);

  const stats: ClusterStats = { size: new Int32Array(n), boundSum: new Float64Array(n), minBound: new Float32Array(n).fill(Infinity) };
  const { size, boundSum, minBound } = stats;
  for (let i = 0; i < n; i++) {
    const r = rootOf(i);
    size[r]++;
    boundSum[r] += bound[i];
    minBound[r] = Math.min(minBound[r], bound[i]);
  }
  const adjacency: Array<Map<number, ClusterLink> | undefined> = new Array(n);
  for (let i = 0; i < n; i++) {
    const ri = rootOf(i);
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const j = targets[e];
      if (j < i) continue;
      const rj = rootOf(j);
      if (ri === rj) continue;
      const mapI = (adjacency[ri] ??= new Map());
      let link = mapI.get(rj);
      if (!link) {
        link = { distanceSum: 0, edges: 0, edgeBoundSum: 0 };
        mapI.set(rj, link);
        (adjacency[rj] ??= new Map()).set(ri, link);
      }
      link.distanceSum += distances[e];
      link.edges++;
      link.edgeBoundSum += Math.max(bound[i], bound[j]);
    }
  }

  // Members of each cluster (small lists appended to large ones on merge).
  const members: Array<number[] | undefined> = new Array(n);
  for (let i = 0; i < n; i++) (members[rootOf(i)] ??= []).push(i);
  const rng = createRng(exact?.seed ?? 1);
  const distance = (i: number, j: number): number => {
    const { vectors, dim } = exact!;
    let dot = 0;
    for (let d = 0, x = i * dim, y = j * dim; d < dim; d++) dot += vectors[x + d] * vectors[y + d];
    return Math.sqrt(Math.max(0, 2 - 2 * dot));
  };
  /** The average over all face pairs, exact for small pairs of clusters, else from sampled face pairs. */
  const checkedAverage = (a: number, b: number): number => {
    const ma = members[a]!;
    const mb = members[b]!;
    let sum = 0;
    if (ma.length * mb.length <= exact!.maxPairs) {
      for (const i of ma) for (const j of mb) sum += distance(i, j);
      return sum / (ma.length * mb.length);
    }
    for (let s = 0; s < exact!.samples; s++) sum += distance(ma[rng.int(ma.length)], mb[rng.int(mb.length)]);
    return sum / exact!.samples;
  };

  const cannot = new CannotLinkSets(n, constraints.cannotLink, rootOf);
  const stamp = new Int32Array(n);
  const heap = new PairHeap();
  const offer = (a: number, b: number, link: ClusterLink): void => {
    const d = averageDistance(link, a, b, stats);
    // Pairs above the threshold wait: their distance is pushed again whenever either cluster changes.
    if (d <= threshold) heap.push(d, a, b, stamp[a], stamp[b]);
  };
  for (let r = 0; r < n; r++) {
    const map = adjacency[r];
    if (map) for (const [c, link] of map) if (r < c) offer(r, c, link);
  }

  // A pair whose face pairs are all edges already has its exact average.
  const edgesBetween = (a: number, b: number): number => adjacency[a]!.get(b)!.edges;

  while (heap.size > 0) {
    const a = heap.topA;
    const b = heap.topB;
    const current = heap.topStampA === stamp[a] && heap.topStampB === stamp[b];
    const known = heap.topFlag === CHECKED;
    const bound = heap.topKey;
    heap.pop();
    if (!current || clusters.parent[a] !== a || clusters.parent[b] !== b) continue;
    if (cannot.blocked(a, b, rootOf)) continue;
    if (!known && exact && edgesBetween(a, b) < size[a] * size[b]) {
      // The bound is a true lower bound, so a sampled mean below it is sampling error.
      const d = Math.max(checkedAverage(a, b), bound);
      if (d <= threshold) heap.push(d, a, b, stamp[a], stamp[b], CHECKED);
      continue;
    }

    // The cluster with more neighbours survives, so fewer map entries move.
    const sizeOfMap = (r: number): number => adjacency[r]?.size ?? 0;
    const [keep, gone] = sizeOfMap(a) >= sizeOfMap(b) ? [a, b] : [b, a];
    const keepMap = adjacency[keep]!;
    const goneMap = adjacency[gone]!;
    keepMap.delete(gone);
    goneMap.delete(keep);
    for (const [c, link] of goneMap) {
      const cMap = adjacency[c]!;
      cMap.delete(gone);
      const existing = keepMap.get(c);
      if (existing) {
        existing.distanceSum += link.distanceSum;
        existing.edges += link.edges;
        existing.edgeBoundSum += link.edgeBoundSum;
      } else {
        keepMap.set(c, link);
        cMap.set(keep, link);
      }
    }
    adjacency[gone] = undefined;
    clusters.parent[gone] = keep;
    const [big, small] = members[keep]!.length >= members[gone]!.length ? [members[keep]!, members[gone]!] : [members[gone]!, members[keep]!];
    for (const i of small) big.push(i);
    members[keep] = big;
    members[gone] = undefined;
    size[keep] += size[gone];
    boundSum[keep] += boundSum[gone];
    minBound[keep] = Math.min(minBound[keep], minBound[gone]);
    cannot.merge(keep, gone);
    stamp[keep]++;
    stamp[gone]++;
    for (const [c, link] of keepMap) offer(keep, c, link);
  }

  const key = new Int32Array(n);
  for (let i = 0; i < n; i++) key[i] = rootOf(i);
  return key;
}

export const averageLinkage: Clusterer = {
  name: 'average-linkage',
  cluster(input: ClusterInput, options: ClusterOptions): ClusterResult {
    const constraints = prepareConstraints(input);
    const radius = Math.min(2, options.threshold + AVERAGE_LINKAGE_RADIUS_MARGIN);
    const lists = findNeighbours(input.vectors, input.n, input.dim, options.k ?? AVERAGE_LINKAGE_K, radius, {
      seed: options.seed,
    });
    const key = mergeByAverageLinkage(buildFaceGraph(lists), constraints, options.threshold, {
      vectors: input.vectors,
      dim: input.dim,
      maxPairs: AVERAGE_LINKAGE_EXACT_PAIRS,
      samples: AVERAGE_LINKAGE_SAMPLED_PAIRS,
      seed: options.seed,
    });
    return finishLabels(key, options.minClusterSize ?? 1);
  },
};
