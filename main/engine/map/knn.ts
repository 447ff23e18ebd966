// k nearest neighbours in embedding space: exact (blocked brute force) for small sets, HNSW for large ones.
import hnswlib from 'hnswlib-node';
import { EXACT_KNN_MAX_PAIRS, HNSW_EF_CONSTRUCTION, HNSW_M } from './constants.ts';
import { selectRows } from '../math/vectors.ts';

/** k neighbours per row, row-major (n x k), ascending Euclidean (not squared) distance. */
export interface NeighbourGraph {
  n: number;
  k: number;
  indices: Int32Array;
  distances: Float32Array;
}

function squaredNorms(data: Float32Array, n: number, dim: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let d = i * dim, end = d + dim; d < end; d++) sum += data[d] * data[d];
    norms[i] = sum;
  }
  return norms;
}

/** Keeps the k smallest distances of one row as a max-heap (root = current k-th best) at `base`. */
function heapOffer(dist: Float64Array, idx: Int32Array, base: number, k: number, d: number, j: number): void {
  if (d >= dist[base]) return;
  let pos = 0;
  for (;;) {
    const left = 2 * pos + 1;
    if (left >= k) break;
    const right = left + 1;
    const child = right < k && dist[base + right] > dist[base + left] ? right : left;
    if (dist[base + child] <= d) break;
    dist[base + pos] = dist[base + child];
    idx[base + pos] = idx[base + child];
    pos = child;
  }
  dist[base + pos] = d;
  idx[base + pos] = j;
}

/** Turns the per-row heaps of squared distances into ascending rows of Euclidean distances. */
function sortedGraph(n: number, k: number, dist: Float64Array, idx: Int32Array): NeighbourGraph {
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  const order = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let t = 0; t < k; t++) order[t] = t;
    order.sort((a, b) => dist[base + a] - dist[base + b] || idx[base + a] - idx[base + b]);
    for (let t = 0; t < k; t++) {
      indices[base + t] = idx[base + order[t]];
      distances[base + t] = Math.sqrt(Math.max(0, dist[base + order[t]]));
    }
  }
  return { n, k, indices, distances };
}

function emptyHeaps(rows: number, k: number): { dist: Float64Array; idx: Int32Array } {
  const dist = new Float64Array(rows * k).fill(Infinity);
  const idx = new Int32Array(rows * k).fill(-1);
  return { dist, idx };
}

/** Exact kNN of every row among the others (self excluded); each pair's distance is computed once. */
export function exactNeighbours(data: Float32Array, n: number, dim: number, k: number): NeighbourGraph {
  k = Math.min(k, n - 1);
  const norms = squaredNorms(data, n, dim);
  const { dist, idx } = emptyHeaps(n, k);
  for (let i = 0; i < n; i++) {
    const ai = i * dim;
    for (let j = i + 1; j < n; j++) {
      const bj = j * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += data[ai + d] * data[bj + d];
      // ||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b: one multiply-add per dimension.
      const sq = norms[i] + norms[j] - 2 * dot;
      heapOffer(dist, idx, i * k, k, sq, j);
      heapOffer(dist, idx, j * k, k, sq, i);
    }
  }
  return sortedGraph(n, k, dist, idx);
}

/** Exact kNN of each query row among the rows of `data`. */
export function exactNeighboursAmong(
  queries: Float32Array,
  queryCount: number,
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
): NeighbourGraph {
  k = Math.min(k, n);
  const queryNorms = squaredNorms(queries, queryCount, dim);
  const norms = squaredNorms(data, n, dim);
  const { dist, idx } = emptyHeaps(queryCount, k);
  for (let q = 0; q < queryCount; q++) {
    const aq = q * dim;
    for (let j = 0; j < n; j++) {
      const bj = j * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += queries[aq + d] * data[bj + d];
      heapOffer(dist, idx, q * k, k, queryNorms[q] + norms[j] - 2 * dot, j);
    }
  }
  return sortedGraph(queryCount, k, dist, idx);
}

function buildHnsw(data: Float32Array, n: number, dim: number, seed: number): hnswlib.HierarchicalNSW {
  const index = new hnswlib.HierarchicalNSW('l2', dim);
  index.initIndex(n, HNSW_M, HNSW_EF_CONSTRUCTION, seed >>> 0);
  // Single-threaded insertion in index order keeps the graph, and so the result, reproducible.
  for (let i = 0; i < n; i++) index.addPoint(Array.from(data.subarray(i * dim, i * dim + dim)), i);
  return index;
}

function searchHnsw(
  index: hnswlib.HierarchicalNSW,
  queries: Float32Array,
  queryCount: number,
  dim: number,
  k: number,
  selfIds: Int32Array | null,
): NeighbourGraph {
  index.setEf(Math.max(2 * k, 64));
  const indices = new Int32Array(queryCount * k);
  const distances = new Float32Array(queryCount * k);
  for (let q = 0; q < queryCount; q++) {
    const self = selfIds === null ? -1 : selfIds[q];
    const result = index.searchKnn(Array.from(queries.subarray(q * dim, q * dim + dim)), self >= 0 ? k + 1 : k);
    // hnswlib returns squared L2 distances; sort ascending with the label as a tie-break.
    const order = result.neighbors.map((_, t) => t);
    order.sort((a, b) => result.distances[a] - result.distances[b] || result.neighbors[a] - result.neighbors[b]);
    let written = 0;
    for (const t of order) {
      if (written === k) break;
      if (result.neighbors[t] === self) continue;
      indices[q * k + written] = result.neighbors[t];
      distances[q * k + written] = Math.sqrt(Math.max(0, result.distances[t]));
      written++;
    }
  }
  return { n: queryCount, k, indices, distances };
}

/** kNN of every row among the others: exact while n^2/2 pairs stay under EXACT_KNN_MAX_PAIRS, HNSW above. */
export function nearestNeighbours(data: Float32Array, n: number, dim: number, k: number, seed: number): NeighbourGraph {
  k = Math.min(k, n - 1);
  if ((n * n) / 2 <= EXACT_KNN_MAX_PAIRS) return exactNeighbours(data, n, dim, k);
  const selfIds = new Int32Array(n);
  for (let i = 0; i < n; i++) selfIds[i] = i;
  return searchHnsw(buildHnsw(data, n, dim, seed), data, n, dim, k, selfIds);
}

/** kNN of each query row among `data`: exact while the pair count is small, HNSW above. */
export function nearestNeighboursAmong(
  queries: Float32Array,
  queryCount: number,
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  seed: number,
): NeighbourGraph {
  k = Math.min(k, n);
  if (queryCount * n <= EXACT_KNN_MAX_PAIRS) return exactNeighboursAmong(queries, queryCount, data, n, dim, k);
  return searchHnsw(buildHnsw(data, n, dim, seed), queries, queryCount, dim, k, null);
}

/** kNN of the listed rows among all n rows, each row itself excluded (for sampled quality measures). */
export function nearestNeighboursOfRows(
  data: Float32Array,
  n: number,
  dim: number,
  rows: Int32Array,
  k: number,
  seed: number,
): NeighbourGraph {
  k = Math.min(k, n - 1);
  if (rows.length * n > EXACT_KNN_MAX_PAIRS) {
    return searchHnsw(buildHnsw(data, n, dim, seed), selectRows(data, dim, rows), rows.length, dim, k, rows);
  }
  // Exact: one extra neighbour, then drop the row itself (a duplicate may sort before it).
  const graph = exactNeighboursAmong(selectRows(data, dim, rows), rows.length, data, n, dim, k + 1);
  const indices = new Int32Array(rows.length * k);
  const distances = new Float32Array(rows.length * k);
  for (let q = 0; q < rows.length; q++) {
    let written = 0;
    for (let t = 0; t <= k && written < k; t++) {
      const j = graph.indices[q * (k + 1) + t];
      if (j === rows[q] && t - written === 0) continue;
      indices[q * k + written] = j;
      distances[q * k + written++] = graph.distances[q * (k + 1) + t];
    }
  }
  return { n: rows.length, k, indices, distances };
}

/** Answers kNN queries against a fixed set of rows, building the HNSW graph once when queries are many. */
export class NeighbourIndex {
  private hnsw: hnswlib.HierarchicalNSW | null = null;

  constructor(
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly dim: number,
    private readonly seed: number,
  ) {}

  /** kNN among the indexed rows of each query row; `expectedQueries` says how many will come in all. */
  query(queries: Float32Array, queryCount: number, k: number, expectedQueries = queryCount): NeighbourGraph {
    k = Math.min(k, this.n);
    if (this.hnsw === null && Math.max(expectedQueries, queryCount) * this.n <= EXACT_KNN_MAX_PAIRS) {
      return exactNeighboursAmong(queries, queryCount, this.data, this.n, this.dim, k);
    }
    this.hnsw ??= buildHnsw(this.data, this.n, this.dim, this.seed);
    return searchHnsw(this.hnsw, queries, queryCount, this.dim, k, null);
  }
}
