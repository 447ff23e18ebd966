// Approximate nearest rows: an HNSW index (hnswlib-node) in L2 space, optionally built on a PCA projection,
// with every candidate re-ranked by its exact L2 distance on the full rows.
import hnswlib from 'hnswlib-node';
import { loadIndexBytes, readBottomLayerLinks, savedIndexBytes, type BottomLayerLinks } from './hnsw-file.ts';
import { pack, PackedFormatError, unpack } from './packed.ts';
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
  /**
   * The index as bytes (hnswlib's own file, its projection and tunables) for loadHnswIndex; the full rows
   * are not included, the caller stores them.
   */
  toBytes(): Uint8Array;
}

/** What the bytes of an index say of it beside hnswlib's file. */
interface StoredHeader {
  format: 1;
  dim: number;
  graphDim: number;
  /** Live rows; one past the largest label ever added; hnswlib's elements (removed ones included). */
  size: number;
  labels: number;
  elements: number;
  rerankFactor: number;
  projection: { outDim: number; keptVariance: number } | null;
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
  const graphDim = projection ? projection.outDim : dim;
  const index = new HierarchicalNSW('l2', graphDim);
  index.initIndex(Math.max(1, capacity), params.m, params.efConstruction, (params.seed ?? 100) >>> 0);
  return wrapIndex(index, dim, projection, params.rerankFactor ?? 2, { stored: new Float32Array(0), size: 0, labels: 0 });
}

/**
 * An index from EmbeddingIndex.toBytes() over the same full rows (by label; kept by reference, so the caller
 * must not change them). Bytes that are not such an index, or rows that do not cover it, throw.
 */
export function loadHnswIndex(bytes: Uint8Array, rows: Float32Array): EmbeddingIndex {
  const { header, arrays } = unpack(bytes);
  const h = header as StoredHeader;
  const [file, mean, axes] = arrays;
  if (h?.format !== 1 || !(file instanceof Uint8Array) || rows.length < h.labels * h.dim) throw new PackedFormatError('not a stored HNSW index for these rows');
  let projection: Pca | null = null;
  if (h.projection) {
    if (!(mean instanceof Float64Array) || !(axes instanceof Float64Array) || mean.length !== h.dim || axes.length !== h.graphDim * h.dim) {
      throw new PackedFormatError('stored HNSW projection damaged');
    }
    projection = { inDim: h.dim, outDim: h.graphDim, mean, axes, keptVariance: h.projection.keptVariance };
  }
  const index = new HierarchicalNSW('l2', h.graphDim);
  loadIndexBytes(file, h.graphDim, h.elements, (name) => index.readIndexSync(name));
  return wrapIndex(index, h.dim, projection, h.rerankFactor, { stored: rows, size: h.size, labels: h.labels });
}

function wrapIndex(
  index: InstanceType<typeof HierarchicalNSW>,
  dim: number,
  projection: Pca | null,
  rerankFactor: number,
  start: { stored: Float32Array; size: number; labels: number },
): EmbeddingIndex {
  const graphDim = projection ? projection.outDim : dim;
  let capacityNow = index.getMaxElements();

  // Full rows by label, for exact re-ranking (allocated on first use unless the first batch is adopted).
  let { stored, size, labels } = start;
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
      labels = Math.max(labels, needed);
    },
    remove(label) {
      index.markDelete(label);
      size--;
    },
    distanceTo: exactDistance,
    bottomLayerLinks() {
      return readBottomLayerLinks((file) => index.writeIndexSync(file), size, graphDim);
    },
    toBytes() {
      const header: StoredHeader = {
        format: 1, dim, graphDim, size, labels, elements: index.getCurrentCount(), rerankFactor,
        projection: projection && { outDim: projection.outDim, keptVariance: projection.keptVariance },
      };
      const file = new Uint8Array(savedIndexBytes((name) => index.writeIndexSync(name)));
      return pack(header, projection ? [file, projection.mean, projection.axes] : [file]);
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
