// An HNSW index (hnswlib-node) over L2-normalised Float32 rows, answering in L2 distance.
import hnswlib from 'hnswlib-node';
import { HNSW_EF_CONSTRUCTION, HNSW_M } from './constants.ts';

const { HierarchicalNSW } = hnswlib;

export interface HnswParams {
  /** Links per node (hnswlib M). */
  m?: number;
  efConstruction?: number;
  seed?: number;
}

export interface EmbeddingIndex {
  readonly dim: number;
  /** Rows added so far, labelled by `label` (row number unless given). */
  add(vectors: Float32Array, count: number, firstLabel: number): void;
  remove(label: number): void;
  /** Up to `k` nearest labels with L2 distances, nearest first. `ef` is the search beam (>= k). */
  search(query: Float32Array, k: number, ef: number): { labels: number[]; distances: number[] };
  readonly size: number;
}

/**
 * Inner-product space: hnswlib returns 1 - a.b, and for unit rows ||a - b||^2 = 2 - 2 a.b,
 * so the L2 distance is sqrt(2 * returned).
 */
export function createHnswIndex(dim: number, capacity: number, params: HnswParams = {}): EmbeddingIndex {
  const index = new HierarchicalNSW('ip', dim);
  let max = Math.max(1, capacity);
  index.initIndex(max, params.m ?? HNSW_M, params.efConstruction ?? HNSW_EF_CONSTRUCTION, params.seed ?? 100);
  let size = 0;
  let currentEf = -1;
  const row = new Array<number>(dim);
  const toArray = (vectors: Float32Array, offset: number): number[] => {
    for (let d = 0; d < dim; d++) row[d] = vectors[offset + d];
    return row;
  };
  return {
    dim,
    get size() {
      return size;
    },
    add(vectors, count, firstLabel) {
      if (size + count > max) {
        max = Math.max(size + count, Math.ceil(max * 1.5));
        index.resizeIndex(max);
      }
      for (let i = 0; i < count; i++) index.addPoint(toArray(vectors, i * dim), firstLabel + i);
      size += count;
    },
    remove(label) {
      index.markDelete(label);
      size--;
    },
    search(query, k, ef) {
      if (size === 0) return { labels: [], distances: [] };
      if (ef !== currentEf) {
        index.setEf(ef);
        currentEf = ef;
      }
      const result = index.searchKnn(toArray(query, 0), Math.min(k, size));
      const distances = result.distances.map((d) => Math.sqrt(Math.max(0, 2 * d)));
      return { labels: result.neighbors, distances };
    },
  };
}
