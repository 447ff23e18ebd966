// Radius-limited k nearest neighbours of every face: exact blocked dot products for small n, HNSW above.
import { EXACT_KNN_MAX_FACES, HNSW_EF_RETRY, HNSW_EF_SEARCH_MIN, HNSW_PROJECTED_DIM, HNSW_SEARCH_BELOW } from './constants.ts';
import { createHnswIndex, type HnswParams } from './hnsw.ts';

/**
 * Row i's neighbours sit at [i*k, i*k + counts[i]), nearest first, the row itself excluded; only
 * neighbours within the radius are kept.
 */
export interface NeighbourLists {
  n: number;
  k: number;
  radius: number;
  indices: Int32Array;
  /** L2 distances matching `indices`. */
  distances: Float32Array;
  counts: Int32Array;
  method: 'exact' | 'hnsw';
}

export interface NeighbourOptions extends HnswParams {
  /** Force a method; by default exact up to EXACT_KNN_MAX_FACES rows, HNSW above. */
  method?: 'exact' | 'hnsw';
  /** HNSW search beam; default max(2k, HNSW_EF_SEARCH_MIN). Default projectedDim: HNSW_PROJECTED_DIM. */
  efSearch?: number;
  /**
   * Search every row instead of starting from HNSW's own bottom-layer links. Slower, but the lists are
   * then close to the true k nearest; the links are chosen for navigability and include some longer
   * edges a true kNN list would drop, harmless as merge candidates but not as votes or density counts.
   */
  searchAll?: boolean;
}

export function findNeighbours(
  vectors: Float32Array,
  n: number,
  dim: number,
  k: number,
  radius: number,
  options: NeighbourOptions = {},
): NeighbourLists {
  const method = options.method ?? (n <= EXACT_KNN_MAX_FACES ? 'exact' : 'hnsw');
  return method === 'exact'
    ? exactNeighbours(vectors, n, dim, k, radius)
    : approximateNeighbours(vectors, n, dim, k, radius, options);
}

const BLOCK = 128;

/**
 * Exact neighbours, O(n^2 dim): each pair's dot product once (upper triangle, cache-sized blocks);
 * ||a-b||^2 = 2 - 2 a.b for unit rows, so the radius test is a.b >= 1 - r^2/2. Each row keeps a
 * bounded max-heap of its k nearest squared distances.
 */
export function exactNeighbours(vectors: Float32Array, n: number, dim: number, k: number, radius: number): NeighbourLists {
  k = Math.max(0, Math.min(k, n - 1));
  const indices = new Int32Array(n * k).fill(-1);
  const heap = new Float32Array(n * k).fill(Infinity);
  const counts = new Int32Array(n);
  const minDot = 1 - (radius * radius) / 2;

  const offer = (i: number, j: number, d2: number): void => {
    const base = i * k;
    const c = counts[i];
    if (c < k) {
      // sift up
      let pos = c;
      counts[i] = c + 1;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (heap[base + parent] >= d2) break;
        heap[base + pos] = heap[base + parent];
        indices[base + pos] = indices[base + parent];
        pos = parent;
      }
      heap[base + pos] = d2;
      indices[base + pos] = j;
      return;
    }
    if (d2 >= heap[base]) return;
    // replace the root (the farthest kept) and sift down
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= k) break;
      const right = left + 1;
      const child = right < k && heap[base + right] > heap[base + left] ? right : left;
      if (heap[base + child] <= d2) break;
      heap[base + pos] = heap[base + child];
      indices[base + pos] = indices[base + child];
      pos = child;
    }
    heap[base + pos] = d2;
    indices[base + pos] = j;
  };

  const offerPair = (i: number, j: number, dot: number): void => {
    const d2 = Math.max(0, 2 - 2 * dot);
    offer(i, j, d2);
    offer(j, i, d2);
  };

  if (k > 0) {
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const i1 = Math.min(n, i0 + BLOCK);
      for (let j0 = i0; j0 < n; j0 += BLOCK) {
        const j1 = Math.min(n, j0 + BLOCK);
        for (let i = i0; i < i1; i++) {
          const a = i * dim;
          let j = j0 === i0 ? i + 1 : j0;
          // 1x4 micro-kernel: each a[d] load serves four dot products.
          for (; j + 3 < j1; j += 4) {
            const b0 = j * dim;
            const b1 = b0 + dim;
            const b2 = b1 + dim;
            const b3 = b2 + dim;
            let s0 = 0;
            let s1 = 0;
            let s2 = 0;
            let s3 = 0;
            for (let d = 0; d < dim; d++) {
              const x = vectors[a + d];
              s0 += x * vectors[b0 + d];
              s1 += x * vectors[b1 + d];
              s2 += x * vectors[b2 + d];
              s3 += x * vectors[b3 + d];
            }
            if (s0 >= minDot) offerPair(i, j, s0);
            if (s1 >= minDot) offerPair(i, j + 1, s1);
            if (s2 >= minDot) offerPair(i, j + 2, s2);
            if (s3 >= minDot) offerPair(i, j + 3, s3);
          }
          for (; j < j1; j++) {
            const b = j * dim;
            let s = 0;
            for (let d = 0; d < dim; d++) s += vectors[a + d] * vectors[b + d];
            if (s >= minDot) offerPair(i, j, s);
          }
        }
      }
    }
  }

  const distances = new Float32Array(n * k).fill(Infinity);
  sortRows(indices, heap, distances, counts, k);
  return { n, k, radius, indices, distances, counts, method: 'exact' };
}

/** Heap order -> nearest first (ties by row number, for determinism); squared -> plain distance. */
function sortRows(indices: Int32Array, squared: Float32Array, distances: Float32Array, counts: Int32Array, k: number): void {
  const order: number[] = [];
  const rowIdx: number[] = [];
  const rowD: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    const base = i * k;
    const c = counts[i];
    order.length = c;
    rowIdx.length = c;
    rowD.length = c;
    for (let t = 0; t < c; t++) {
      order[t] = t;
      rowIdx[t] = indices[base + t];
      rowD[t] = squared[base + t];
    }
    order.sort((x, y) => rowD[x] - rowD[y] || rowIdx[x] - rowIdx[y]);
    for (let t = 0; t < c; t++) {
      indices[base + t] = rowIdx[order[t]];
      distances[base + t] = Math.sqrt(rowD[order[t]]);
    }
  }
}

/**
 * Neighbours from an HNSW index built over all rows (inserted in row order, seeded, so repeatable).
 * Candidates are the links HNSW itself made in its bottom layer while inserting (free, and chosen to keep
 * the graph connected); a row left with fewer than HNSW_SEARCH_BELOW neighbours within the radius is also
 * searched. Each row is in the index, so a search that does not return the row itself got lost between
 * well-separated identities (greedy search has no gradient there) and is retried with a wider beam.
 * All distances are exact.
 */
export function approximateNeighbours(
  vectors: Float32Array,
  n: number,
  dim: number,
  k: number,
  radius: number,
  options: NeighbourOptions = {},
): NeighbourLists {
  k = Math.max(0, Math.min(k, n - 1));
  const indices = new Int32Array(n * k).fill(-1);
  const distances = new Float32Array(n * k).fill(Infinity);
  const counts = new Int32Array(n);
  if (k === 0) return { n, k, radius, indices, distances, counts, method: 'hnsw' };

  const projectedDim = options.projectedDim ?? (dim > HNSW_PROJECTED_DIM ? HNSW_PROJECTED_DIM : 0);
  const index = createHnswIndex(dim, n, { ...options, projectedDim }, { vectors, n });
  index.add(vectors, n, 0);
  const links = options.searchAll ? null : index.bottomLayerLinks();
  const ef = options.efSearch ?? Math.max(2 * k, HNSW_EF_SEARCH_MIN);

  const candidate: number[] = [];
  const candidateDistance: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const query = vectors.subarray(i * dim, (i + 1) * dim);
    candidate.length = 0;
    candidateDistance.length = 0;
    let within = 0;
    if (links) {
      for (let e = links.offsets[i]; e < links.offsets[i + 1]; e++) {
        const j = links.targets[e];
        const d = index.distanceTo(query, j);
        if (j === i || d > radius) continue;
        candidate.push(j);
        candidateDistance.push(d);
        within++;
      }
    }
    if (within < HNSW_SEARCH_BELOW) {
      // k + 1: the row itself is its own nearest hit.
      let hit = index.search(query, k + 1, ef);
      if (!hit.labels.includes(i)) hit = index.search(query, k + 1, Math.max(HNSW_EF_RETRY, ef));
      for (let t = 0; t < hit.labels.length; t++) {
        const j = hit.labels[t];
        if (j === i || hit.distances[t] > radius || candidate.includes(j)) continue;
        candidate.push(j);
        candidateDistance.push(hit.distances[t]);
      }
    }
    order.length = candidate.length;
    for (let t = 0; t < order.length; t++) order[t] = t;
    order.sort((x, y) => candidateDistance[x] - candidateDistance[y] || candidate[x] - candidate[y]);
    const c = Math.min(k, order.length);
    for (let t = 0; t < c; t++) {
      indices[i * k + t] = candidate[order[t]];
      distances[i * k + t] = candidateDistance[order[t]];
    }
    counts[i] = c;
  }
  return { n, k, radius, indices, distances, counts, method: 'hnsw' };
}
