// Chinese whispers (Biemann 2006) on the face graph thresholded at the distance threshold, as in dlib's
// chinese_whispers: every face starts as its own label and repeatedly takes the label with the largest
// total edge weight among its neighbours.
import { CHINESE_WHISPERS_K, CHINESE_WHISPERS_MAX_PASSES, CLUSTER_NEIGHBOURS } from './constants.ts';
import { prepareConstraints, type PreparedConstraints } from './constraints.ts';
import { buildFaceGraph, type FaceGraph } from './graph.ts';
import { findNeighbours } from '../math/neighbours.ts';
import { finishLabels } from './labels.ts';
import { createRng, shuffleInPlace } from '../math/random.ts';
import type { ClusterInput, ClusterOptions, ClusterResult, Clusterer } from './types.ts';

/**
 * Runs the label propagation on must-link groups as single nodes (edges between groups add up).
 * Each pass visits all nodes in a seeded random order (dlib picks random nodes instead; a shuffled pass
 * visits each once and lets us stop when a pass changes nothing). Every edge weighs 1 and each node
 * also votes for its own label with its own weight (dlib's face example adds the i == j edge).
 * Ties go to the smallest label. A node never takes a label held by a cannot-link partner, so a
 * cannot-link pair never shares a label: the invariant holds at the start (all labels differ) and
 * every move keeps it.
 */
export function chineseWhispers(graph: FaceGraph, constraints: PreparedConstraints, seed: number, maxPasses = CHINESE_WHISPERS_MAX_PASSES): Int32Array {
  const { n } = graph;
  const { group } = constraints;
  // Nodes are must-link groups, named by their smallest row.
  const nodeOf = new Int32Array(n);
  const nodeRows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (group[i] === i) {
      nodeOf[i] = nodeRows.length;
      nodeRows.push(i);
    }
  }
  for (let i = 0; i < n; i++) nodeOf[i] = nodeOf[group[i]];
  const nodes = nodeRows.length;
  const selfWeight = new Float64Array(nodes);
  for (let i = 0; i < n; i++) selfWeight[nodeOf[i]]++;

  // Node adjacency with summed weights (CSR); without must-links the face graph is already it.
  let adjOffsets = graph.offsets;
  let adjTargets = graph.targets;
  let adjWeights: Float64Array | null = null;
  if (constraints.hasMustLink) {
    const weights = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const a = nodeOf[i];
      for (let e = graph.offsets[i]; e < graph.offsets[i + 1]; e++) {
        const b = nodeOf[graph.targets[e]];
        if (a !== b) weights.set(a * nodes + b, (weights.get(a * nodes + b) ?? 0) + 1);
      }
    }
    const entries = [...weights.entries()].sort((x, y) => x[0] - y[0]);
    adjOffsets = new Int32Array(nodes + 1);
    adjTargets = new Int32Array(entries.length);
    adjWeights = new Float64Array(entries.length);
    entries.forEach(([key, w], e) => {
      adjOffsets[Math.floor(key / nodes) + 1]++;
      adjTargets[e] = key % nodes;
      adjWeights![e] = w;
    });
    for (let v = 0; v < nodes; v++) adjOffsets[v + 1] += adjOffsets[v];
  }
  const cannot: number[][] = Array.from({ length: nodes }, () => []);
  for (const [a, b] of constraints.cannotLink) {
    cannot[nodeOf[a]].push(nodeOf[b]);
    cannot[nodeOf[b]].push(nodeOf[a]);
  }

  const label = new Int32Array(nodes);
  for (let v = 0; v < nodes; v++) label[v] = v;
  const score = new Float64Array(nodes);
  const touched: number[] = [];
  const order = new Int32Array(nodes);
  for (let v = 0; v < nodes; v++) order[v] = v;
  const rng = createRng(seed);
  for (let pass = 0; pass < maxPasses; pass++) {
    shuffleInPlace(order, rng.next);
    let changed = 0;
    for (const v of order) {
      const start = adjOffsets[v];
      const end = adjOffsets[v + 1];
      if (start === end) continue;
      touched.length = 0;
      const own = label[v];
      score[own] = selfWeight[v];
      touched.push(own);
      for (let e = start; e < end; e++) {
        const l = label[adjTargets[e]];
        if (score[l] === 0) touched.push(l);
        score[l] += adjWeights ? adjWeights[e] : 1;
      }
      for (const u of cannot[v]) score[label[u]] = -Infinity;
      let best = own;
      for (const l of touched) if (score[l] > score[best] || (score[l] === score[best] && l < best)) best = l;
      for (const l of touched) score[l] = 0;
      for (const u of cannot[v]) score[label[u]] = 0;
      if (best !== own) {
        label[v] = best;
        changed++;
      }
    }
    if (changed === 0) break;
  }
  const key = new Int32Array(n);
  for (let i = 0; i < n; i++) key[i] = label[nodeOf[i]];
  return key;
}

export const chineseWhispersClusterer: Clusterer = {
  name: 'chinese-whispers',
  cluster(input: ClusterInput, options: ClusterOptions): ClusterResult {
    const constraints = prepareConstraints(input);
    const lists = findNeighbours(input.vectors, input.n, input.dim, options.k ?? CHINESE_WHISPERS_K, CLUSTER_NEIGHBOURS, {
      radius: options.threshold,
      seed: options.seed,
      searchAll: true,
    });
    const key = chineseWhispers(buildFaceGraph(lists), constraints, options.seed ?? 1);
    return finishLabels(key, options.minClusterSize ?? 1);
  },
};
