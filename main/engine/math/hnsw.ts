// Approximate nearest rows: an HNSW index (hnswlib-node) in L2 space, optionally built on a PCA projection,
// with every candidate re-ranked by its exact L2 distance on the full rows.
import hnswlib from 'hnswlib-node';
import { readBottomLayerLinks, type BottomLayerLinks } from './hnsw-file.ts';
import { fitPca, pcaProject, type Pca } from './pca.ts';

const { HierarchicalNSW } = hnswlib;

/** How an index is built. The tunables are the caller's (clustering and the map keep their own in shared/settings.ts). */
export interface HnswParams {
  /** Links per node (hnswlib M). */
  m: number;
  /** Build beam (hnswlib efConstruction). */
  efConstruction: number;
  /** Seeds hnswlib's level draws (default 100) and the PCA sample (default 1). */
  seed?: number;
  /**
   * Build the graph on this many principal components (0, absent or >= dim: on the rows themselves).
   * Cheaper distances; candidates are re-ranked exactly, `rerankFactor` times more of them.
   */
  projectedDim?: number;
  /** Rows sampled to fit that projection (default: all rows given to fit it). */
  projectionSample?: number;
  /** With a projection, each search fetches this many times k candidates (default 2). */
  rerankFactor?: number;
}

export interface EmbeddingIndex {
  readonly dim: number;
  readonly size: number;
  /**
   * Adds `count` rows labelled firstLabel, firstLabel + 1, ... (labels must be new). A first batch that
   * fills the capacity is kept by reference: the caller must not change those rows afterwards.
   */
  add(vectors: Float32Array, count: number, firstLabel: number): void;
  remove(label: number): void;
  /**
   * Up to `k` nearest labels with exact L2 distances, nearest first; `ef` is the search beam. `accept`
   * limits the answer to some labels (the walk still passes through the others).
   */
  search(query: Float32Array, k: number, ef: number, accept?: (label: number) => boolean): { labels: number[]; distances: number[] };
  /** Exact L2 distance between a query and a stored row. */
  distanceTo(query: Float32Array, label: number): number;
  /**
   * The links HNSW built in its bottom layer (each row's neighbours chosen at insertion, plus the
   * reverse links it kept), by label; null if they cannot be read. Needs labels 0..size-1.
   */
  bottomLayerLinks(): BottomLayerLinks | null;
}

/**
 * `fitRows` (the first rows that will be added, or a sample) fixes the projection when one is asked for.
 * L2 space throughout, so rows need not be unit length (a 2-D layout is indexed as well as embeddings).
 */
export function createHnswIndex(dim: number, capacity: number, params: HnswParams, fitRows?: { vectors: Float32Array; n: number }): EmbeddingIndex {
  const projection: Pca | null =
    params.projectedDim && params.projectedDim < dim && fitRows && fitRows.n > 0
      ? fitPca(fitRows.vectors, fitRows.n, dim, params.projectedDim, params.projectionSample ?? fitRows.n, params.seed ?? 1)
      : null;
  const rerankFactor = params.rerankFactor ?? 2;
  const graphDim = projection ? projection.outDim : dim;
  const index = new HierarchicalNSW('l2', graphDim);
  let capacityNow = Math.max(1, capacity);
  index.initIndex(capacityNow, params.m, params.efConstruction, (params.seed ?? 100) >>> 0);

  // Full rows by label, for exact re-ranking (allocated on first use unless the first batch is adopted).
  let stored: Float32Array = new Float32Array(0);
  let size = 0;
  let currentEf = -1;
  const row = new Array<number>(graphDim);
  const toArray = (values: Float32Array, offset: number): number[] => {
    for (let d = 0; d < graphDim; d++) row[d] = values[offset + d];
    return row;
  };
  const graphRows = (vectors: Float32Array, count: number): Float32Array => (projection ? pcaProject(projection, vectors, count) : vectors);
  const exactDistance = (query: Float32Array, label: number): number => {
    let sum = 0;
    for (let d = 0, o = label * dim; d < dim; d++) {
      const diff = query[d] - stored[o + d];
      sum += diff * diff;
    }
    return Math.sqrt(sum);
  };

  return {
    dim,
    get size() {
      return size;
    },
    add(vectors, count, firstLabel) {
      const needed = firstLabel + count;
      if (needed > capacityNow) {
        capacityNow = Math.max(needed, Math.ceil(capacityNow * 1.5));
        index.resizeIndex(capacityNow);
      }
      if (stored.length < capacityNow * dim && !(size === 0 && firstLabel === 0 && count === capacityNow)) {
        const grown = new Float32Array(capacityNow * dim);
        grown.set(stored);
        stored = grown;
      }
      // The first batch filling the whole capacity is kept by reference (no copy of a large library).
      if (size === 0 && firstLabel === 0 && count === capacityNow && vectors.length === count * dim) stored = vectors;
      else stored.set(vectors.subarray(0, count * dim), firstLabel * dim);
      const rows = graphRows(vectors, count);
      for (let i = 0; i < count; i++) index.addPoint(toArray(rows, i * graphDim), firstLabel + i);
      size += count;
    },
    remove(label) {
      index.markDelete(label);
      size--;
    },
    distanceTo: exactDistance,
    bottomLayerLinks() {
      return readBottomLayerLinks((file) => index.writeIndexSync(file), size, graphDim);
    },
    search(query, k, ef, accept) {
      if (size === 0 || k <= 0) return { labels: [], distances: [] };
      const candidates = Math.min(size, projection ? k * rerankFactor : k);
      const beam = Math.max(ef, candidates);
      if (beam !== currentEf) {
        index.setEf(beam);
        currentEf = beam;
      }
      const hit = index.searchKnn(toArray(graphRows(query, 1), 0), candidates, accept);
      const labels = hit.neighbors;
      const distances = labels.map((label) => exactDistance(query, label));
      const order = labels.map((_, t) => t).sort((x, y) => distances[x] - distances[y] || labels[x] - labels[y]);
      const top = order.slice(0, k);
      return { labels: top.map((t) => labels[t]), distances: top.map((t) => distances[t]) };
    },
  };
}
