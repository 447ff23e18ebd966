// Approximate nearest faces: an HNSW index (hnswlib-node) over L2-normalised rows, optionally on a PCA
// projection, with every candidate re-ranked by its exact L2 distance.
import hnswlib from 'hnswlib-node';
import { HNSW_EF_CONSTRUCTION, HNSW_M, HNSW_PROJECTION_SAMPLE, HNSW_RERANK_FACTOR } from './constants.ts';
import { readBottomLayerLinks, type BottomLayerLinks } from './hnsw-file.ts';
import { fitProjection, project, type Projection } from './projection.ts';

const { HierarchicalNSW } = hnswlib;

export interface HnswParams {
  /** Links per node (hnswlib M). */
  m?: number;
  efConstruction?: number;
  seed?: number;
  /**
   * Build the graph on this many principal components (0 or >= dim: on the rows themselves). Cheaper
   * distances; candidates are re-ranked exactly, HNSW_RERANK_FACTOR times more of them.
   */
  projectedDim?: number;
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
 * Inner-product space on unit rows (hnswlib returns 1 - a.b); L2 space on projected rows.
 */
export function createHnswIndex(dim: number, capacity: number, params: HnswParams = {}, fitRows?: { vectors: Float32Array; n: number }): EmbeddingIndex {
  const projection: Projection | null =
    params.projectedDim && params.projectedDim < dim && fitRows && fitRows.n > 0
      ? fitProjection(fitRows.vectors, fitRows.n, dim, params.projectedDim, HNSW_PROJECTION_SAMPLE, params.seed ?? 1)
      : null;
  const graphDim = projection ? projection.outDim : dim;
  const index = new HierarchicalNSW(projection ? 'l2' : 'ip', graphDim);
  let capacityNow = Math.max(1, capacity);
  index.initIndex(capacityNow, params.m ?? HNSW_M, params.efConstruction ?? HNSW_EF_CONSTRUCTION, params.seed ?? 100);

  // Full rows by label, for exact re-ranking (allocated on first use unless the first batch is adopted).
  let stored: Float32Array = new Float32Array(0);
  let size = 0;
  let currentEf = -1;
  const row = new Array<number>(graphDim);
  const toArray = (values: Float32Array, offset: number): number[] => {
    for (let d = 0; d < graphDim; d++) row[d] = values[offset + d];
    return row;
  };
  const graphRows = (vectors: Float32Array, count: number): Float32Array => (projection ? project(projection, vectors, count) : vectors);
  const exactDistance = (query: Float32Array, label: number): number => {
    let dot = 0;
    for (let d = 0, o = label * dim; d < dim; d++) dot += query[d] * stored[o + d];
    return Math.sqrt(Math.max(0, 2 - 2 * dot));
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
      const candidates = Math.min(size, projection ? k * HNSW_RERANK_FACTOR : k);
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
