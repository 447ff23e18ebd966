// k nearest neighbours of row-major vectors, for clustering and the map alike: an exact blocked scan for small
// sets and an HNSW index (hnsw.ts) above. Each caller passes its own tunables (a NeighbourTuning: clustering's
// CLUSTER_NEIGHBOURS, the map's MAP_NEIGHBOURS), which live with how they were chosen in shared/settings.ts.
import { createHnswIndex, type EmbeddingIndex, type HnswParams } from './hnsw.ts';
import { selectRows } from './vectors.ts';

/**
 * Row i's neighbours sit at [i*k, i*k + counts[i]), nearest first (ties by row number), as Euclidean (not
 * squared) distances; unfilled slots hold -1 and Infinity. Only neighbours within `radius` are kept.
 */
export interface NeighbourLists {
  /** Rows (or queries) listed. */
  n: number;
  k: number;
  radius: number;
  indices: Int32Array;
  distances: Float32Array;
  counts: Int32Array;
  method: 'exact' | 'hnsw';
}

export interface HnswTuning extends Omit<HnswParams, 'seed'> {
  /** Smallest search beam; a search for k rows uses max(2k, this). */
  efSearchMin: number;
  /**
   * Beam for a row whose own search did not return the row itself (a search lost between well-separated
   * identities: greedy search has no gradient there); absent: no second search.
   */
  efRetry?: number;
  /**
   * Take each row's candidates from the links HNSW made in its bottom layer while inserting (free, chosen
   * to keep the graph connected) and search only rows with fewer than this many of them within the radius;
   * absent: search every row.
   */
  searchBelow?: number;
}

export interface NeighbourTuning {
  /** Exact scan while its distance evaluations (n^2 / 2 for a set against itself, queries x rows otherwise) stay at or under this. */
  exactMaxPairs: number;
  hnsw: HnswTuning;
}

export interface NeighbourOptions {
  /** Keep only neighbours within this L2 distance (default: no limit). */
  radius?: number;
  /** Force a method; by default exact while the pair count is within the tuning's exactMaxPairs. */
  method?: 'exact' | 'hnsw';
  /** Seeds the HNSW build (repeatable for a seed). */
  seed?: number;
  /**
   * Search every row instead of starting from HNSW's own bottom-layer links. Slower, but the lists are
   * then close to the true k nearest; the links are chosen for navigability and include some longer
   * edges a true kNN list would drop, harmless as merge candidates but not as votes or density counts.
   */
  searchAll?: boolean;
}

/** The k nearest other rows of every row (a row is never its own neighbour). */
export function findNeighbours(
  vectors: Float32Array,
  n: number,
  dim: number,
  k: number,
  tuning: NeighbourTuning,
  options: NeighbourOptions = {},
): NeighbourLists {
  const method = options.method ?? ((n * n) / 2 <= tuning.exactMaxPairs ? 'exact' : 'hnsw');
  return method === 'exact'
    ? exactNeighbours(vectors, n, dim, k, options.radius)
    : hnswNeighbours(vectors, n, dim, k, tuning.hnsw, options);
}

function emptyLists(n: number, k: number, radius: number, method: NeighbourLists['method']): NeighbourLists {
  return {
    n,
    k,
    radius,
    indices: new Int32Array(n * k).fill(-1),
    distances: new Float32Array(n * k).fill(Infinity),
    counts: new Int32Array(n),
    method,
  };
}

function squaredNorms(vectors: Float32Array, n: number, dim: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let d = i * dim, end = d + dim; d < end; d++) sum += vectors[d] * vectors[d];
    norms[i] = sum;
  }
  return norms;
}

const BLOCK = 128;

/**
 * Exact neighbours of every row among the others, O(n^2 dim): each pair's dot product once (upper
 * triangle, cache-sized blocks); ||a-b||^2 = ||a||^2 + ||b||^2 - 2 a.b.
 */
export function exactNeighbours(vectors: Float32Array, n: number, dim: number, k: number, radius = Infinity): NeighbourLists {
  return exactScan(vectors, n, vectors, n, dim, Math.max(0, Math.min(k, n - 1)), radius, true, null);
}

/**
 * Exact neighbours of each query row among the `n` rows of `data`. `exclude[q]`, when given, is a row of
 * `data` that query q must not list (the query's own row).
 */
export function exactNeighboursAmong(
  queries: Float32Array,
  queryCount: number,
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  options: { radius?: number; exclude?: Int32Array } = {},
): NeighbourLists {
  const exclude = options.exclude ?? null;
  k = Math.max(0, Math.min(k, exclude ? n - 1 : n));
  return exactScan(queries, queryCount, data, n, dim, k, options.radius ?? Infinity, false, exclude);
}

/**
 * The blocked scan behind both: `symmetric` (queries are data) visits each pair once and offers it to both
 * rows. Each row keeps a bounded max-heap of its k nearest squared distances.
 */
function exactScan(
  queries: Float32Array,
  queryCount: number,
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  radius: number,
  symmetric: boolean,
  exclude: Int32Array | null,
): NeighbourLists {
  const lists = emptyLists(queryCount, k, radius, 'exact');
  const { indices, counts } = lists;
  const heap = new Float64Array(queryCount * k).fill(Infinity);
  const queryNorms = squaredNorms(queries, queryCount, dim);
  const norms = symmetric ? queryNorms : squaredNorms(data, n, dim);
  const maxSquared = radius * radius;

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
    const d2 = Math.max(0, queryNorms[i] + norms[j] - 2 * dot);
    if (d2 > maxSquared) return;
    if (symmetric) {
      offer(i, j, d2);
      offer(j, i, d2);
    } else if (exclude === null || exclude[i] !== j) offer(i, j, d2);
  };

  if (k > 0) {
    for (let i0 = 0; i0 < queryCount; i0 += BLOCK) {
      const i1 = Math.min(queryCount, i0 + BLOCK);
      for (let j0 = symmetric ? i0 : 0; j0 < n; j0 += BLOCK) {
        const j1 = Math.min(n, j0 + BLOCK);
        for (let i = i0; i < i1; i++) {
          const a = i * dim;
          let j = symmetric && j0 === i0 ? i + 1 : j0;
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
              const x = queries[a + d];
              s0 += x * data[b0 + d];
              s1 += x * data[b1 + d];
              s2 += x * data[b2 + d];
              s3 += x * data[b3 + d];
            }
            offerPair(i, j, s0);
            offerPair(i, j + 1, s1);
            offerPair(i, j + 2, s2);
            offerPair(i, j + 3, s3);
          }
          for (; j < j1; j++) {
            const b = j * dim;
            let s = 0;
            for (let d = 0; d < dim; d++) s += queries[a + d] * data[b + d];
            offerPair(i, j, s);
          }
        }
      }
    }
  }

  sortRows(indices, heap, lists.distances, counts, k);
  return lists;
}

/** Heap order -> nearest first (ties by row number, for determinism); squared -> plain distance. */
function sortRows(indices: Int32Array, squared: Float64Array, distances: Float32Array, counts: Int32Array, k: number): void {
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

/** The k (or k + 1, to drop `self`) nearest from one search, sorted, within the radius, into row `q` of `lists`. */
function writeSearch(lists: NeighbourLists, q: number, hit: { labels: number[]; distances: number[] }, self: number): void {
  const { k, radius } = lists;
  let written = 0;
  for (let t = 0; t < hit.labels.length && written < k; t++) {
    const j = hit.labels[t];
    if (j === self || hit.distances[t] > radius) continue;
    lists.indices[q * k + written] = j;
    lists.distances[q * k + written] = hit.distances[t];
    written++;
  }
  lists.counts[q] = written;
}

const searchBeam = (k: number, tuning: HnswTuning): number => Math.max(2 * k, tuning.efSearchMin);

function buildIndex(vectors: Float32Array, n: number, dim: number, tuning: HnswTuning, seed: number | undefined): EmbeddingIndex {
  const index = createHnswIndex(dim, n, { ...tuning, seed }, { vectors, n });
  // Single-threaded insertion in row order keeps the graph, and so the result, reproducible for a seed.
  index.add(vectors, n, 0);
  return index;
}

/**
 * Neighbours from an HNSW index built over all rows. With `tuning.searchBelow`, candidates are first the
 * links HNSW itself made in its bottom layer, and a row left with fewer than that many within the radius
 * is also searched; otherwise every row is searched. Each row is in the index, so a search that does not
 * return the row itself got lost and is retried with `tuning.efRetry` when set. All distances are exact.
 */
export function hnswNeighbours(
  vectors: Float32Array,
  n: number,
  dim: number,
  k: number,
  tuning: HnswTuning,
  options: Pick<NeighbourOptions, 'radius' | 'seed' | 'searchAll'> = {},
): NeighbourLists {
  const radius = options.radius ?? Infinity;
  k = Math.max(0, Math.min(k, n - 1));
  const lists = emptyLists(n, k, radius, 'hnsw');
  if (k === 0) return lists;

  const index = buildIndex(vectors, n, dim, tuning, options.seed);
  const links = options.searchAll || tuning.searchBelow === undefined ? null : index.bottomLayerLinks();
  const searchBelow = links ? tuning.searchBelow! : Infinity;
  const ef = searchBeam(k, tuning);

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
    if (within < searchBelow) {
      // k + 1: the row itself is its own nearest hit.
      let hit = index.search(query, k + 1, ef);
      if (tuning.efRetry !== undefined && !hit.labels.includes(i)) hit = index.search(query, k + 1, Math.max(tuning.efRetry, ef));
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
      lists.indices[i * k + t] = candidate[order[t]];
      lists.distances[i * k + t] = candidateDistance[order[t]];
    }
    lists.counts[i] = c;
  }
  return lists;
}

/**
 * Answers kNN queries against a fixed set of rows: an exact scan while the queries expected in all stay
 * within the tuning's exactMaxPairs, else an HNSW index built once, on the first query that needs it.
 */
export class NeighbourIndex {
  private hnsw: EmbeddingIndex | null = null;

  constructor(
    private readonly data: Float32Array,
    private readonly n: number,
    private readonly dim: number,
    private readonly tuning: NeighbourTuning,
    private readonly seed?: number,
  ) {}

  /**
   * The k nearest indexed rows of each query row; `expectedQueries` says how many will come in all.
   * `exclude[q]`, when given, is an indexed row query q must not list (the query's own row).
   */
  query(queries: Float32Array, queryCount: number, k: number, expectedQueries = queryCount, exclude?: Int32Array): NeighbourLists {
    if (this.hnsw === null && Math.max(expectedQueries, queryCount) * this.n <= this.tuning.exactMaxPairs) {
      return exactNeighboursAmong(queries, queryCount, this.data, this.n, this.dim, k, { exclude });
    }
    k = Math.max(0, Math.min(k, exclude ? this.n - 1 : this.n));
    const lists = emptyLists(queryCount, k, Infinity, 'hnsw');
    if (k === 0) return lists;
    this.hnsw ??= buildIndex(this.data, this.n, this.dim, this.tuning.hnsw, this.seed);
    const ef = searchBeam(k, this.tuning.hnsw);
    for (let q = 0; q < queryCount; q++) {
      const self = exclude ? exclude[q] : -1;
      const hit = this.hnsw.search(queries.subarray(q * this.dim, (q + 1) * this.dim), self >= 0 ? k + 1 : k, ef);
      writeSearch(lists, q, hit, self);
    }
    return lists;
  }
}

/** The k nearest other rows of each listed row (for sampled quality measures over a few rows of many). */
export function neighboursOfRows(
  vectors: Float32Array,
  n: number,
  dim: number,
  rows: Int32Array,
  k: number,
  tuning: NeighbourTuning,
  seed?: number,
): NeighbourLists {
  return new NeighbourIndex(vectors, n, dim, tuning, seed).query(selectRows(vectors, dim, rows), rows.length, k, rows.length, rows);
}
