// UMAP through umap-js: a seeded fit on precomputed exact/HNSW neighbours, then `transform` for faces left out of the fit.
import { UMAP } from 'umap-js';
import { MAP_NEIGHBOURS, UMAP_MIN_DIST, UMAP_NEIGHBOURS } from './constants.ts';
import { NeighbourIndex, type NeighbourLists } from '../math/neighbours.ts';
import { seededRandom } from '../math/random.ts';
import { toRowArrays } from '../math/vectors.ts';

export interface UmapSettings {
  /** Neighbourhood size, the point itself included (umap-learn's convention). */
  nNeighbors: number;
  minDist: number;
}

export const defaultUmapSettings: UmapSettings = { nNeighbors: UMAP_NEIGHBOURS, minDist: UMAP_MIN_DIST };

/** Neighbours to compute per point for a UMAP fit: nNeighbors less the point itself. */
export function umapNeighbourCount(settings: UmapSettings, n: number): number {
  return Math.max(1, Math.min(settings.nNeighbors, n - 1) - 1);
}

/**
 * Epochs as umap-js chooses them for a graph of n points (500 up to 2,500, then 400, 300, 200), rounded
 * up to a multiple of 3. Set explicitly so `transform` runs nEpochs / 3 epochs whatever the size of the
 * batch it is given; umap-js 1.4 loops forever in `transform` when nEpochs / 3 is not a whole number.
 */
function fitEpochs(n: number): number {
  const epochs = n <= 2500 ? 500 : n <= 5000 ? 400 : n <= 7500 ? 300 : 200;
  return Math.ceil(epochs / 3) * 3;
}

/** Euclidean distance on plain arrays; umap-js's own uses Math.pow per coordinate. */
function euclidean(a: number[], b: number[]): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) {
    const diff = a[d] - b[d];
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/** One UMAP fit, advanced an epoch at a time; afterwards `transform` places further points. */
export class UmapFit {
  readonly n: number;
  readonly epochs: number;
  private readonly umap: UMAP;
  private readonly dim: number;
  private readonly neighbours: number;
  private readonly fittedIndex: NeighbourIndex;
  private epoch = 0;

  /** `vectors`: L2-normalised rows (n x dim); `graph`: their kNN from `findNeighbours`, self excluded. */
  constructor(vectors: Float32Array, n: number, dim: number, graph: NeighbourLists, seed: number, settings: Partial<UmapSettings> = {}) {
    const { nNeighbors, minDist } = { ...defaultUmapSettings, ...settings };
    const neighbours = Math.min(nNeighbors, n - 1);
    if (neighbours < 2) throw new Error(`UMAP needs at least 3 points, got ${n}`);
    this.n = n;
    this.dim = dim;
    this.neighbours = neighbours;
    this.fittedIndex = new NeighbourIndex(vectors, n, dim, MAP_NEIGHBOURS, seed);
    this.epochs = fitEpochs(n);
    this.umap = new UMAP({
      nNeighbors: neighbours,
      minDist,
      nEpochs: this.epochs,
      random: seededRandom(seed),
      distanceFn: euclidean,
      // transform's candidate heap holds exactly nNeighbors entries: the ones `transform` supplies.
      transformQueueSize: 1,
    });
    // umap-js expects each row's first neighbour to be the point itself at distance 0.
    const knnIndices: number[][] = new Array(n);
    const knnDistances: number[][] = new Array(n);
    const k = neighbours - 1;
    if (graph.k < k) throw new Error(`UMAP needs ${k} neighbours per point, the graph has ${graph.k}`);
    for (let i = 0; i < n; i++) {
      const indices = [i];
      const distances = [0];
      for (let t = 0; t < k; t++) {
        indices.push(graph.indices[i * graph.k + t]);
        distances.push(graph.distances[i * graph.k + t]);
      }
      knnIndices[i] = indices;
      knnDistances[i] = distances;
    }
    this.umap.setPrecomputedKNN(knnIndices, knnDistances);
    this.umap.initializeFit(toRowArrays(vectors, n, dim));
  }

  get done(): boolean {
    return this.epoch >= this.epochs;
  }

  get completedEpochs(): number {
    return this.epoch;
  }

  step(): void {
    if (this.done) return;
    this.umap.step();
    this.epoch++;
  }

  positions(): Float32Array {
    const embedding = this.umap.getEmbedding();
    const out = new Float32Array(this.n * 2);
    for (let i = 0; i < this.n; i++) {
      out[2 * i] = embedding[i][0];
      out[2 * i + 1] = embedding[i][1];
    }
    return out;
  }

  /**
   * Places `count` further L2-normalised rows against the finished fit with umap-js `transform`: fuzzy
   * membership to their nearest fitted points, start at the weighted mean of those points, then
   * nEpochs / 3 epochs that move only the new points. `expectedTotal`: how many rows will be placed
   * over all calls (chooses exact or HNSW neighbour search once).
   */
  transform(vectors: Float32Array, count: number, expectedTotal = count): Float32Array {
    if (!this.done) throw new Error('UMAP transform before the fit finished');
    const out = new Float32Array(count * 2);
    if (count === 0) return out;
    // umap-js moves the fitted points too when a batch has exactly as many rows as the fit: split such a batch.
    if (count === this.n) {
      const first = Math.ceil(count / 2);
      out.set(this.transform(vectors.subarray(0, first * this.dim), first, expectedTotal), 0);
      out.set(this.transform(vectors.subarray(first * this.dim, count * this.dim), count - first, expectedTotal), first * 2);
      return out;
    }
    this.supplyTransformNeighbours(this.fittedIndex.query(vectors, count, this.neighbours, expectedTotal));
    const placed = this.umap.transform(toRowArrays(vectors, count, this.dim));
    for (let i = 0; i < count; i++) {
      out[2 * i] = placed[i][0];
      out[2 * i + 1] = placed[i][1];
    }
    return out;
  }

  /**
   * umap-js 1.4.0's transform seeds its candidate heap from random fitted points and then refines it by
   * a graph search that never runs (heap.smallestFlagged loops `for (i = 0; i > length; i++)`), so its
   * "neighbours" are a random sample and new points land anywhere. The candidate seeding is an instance
   * field set by the fit; replace it with the true nearest fitted points (exact or HNSW), written as a
   * valid max-heap (descending distance) with no flags, so everything after it is umap-js's own code.
   */
  private supplyTransformNeighbours(graph: NeighbourLists): void {
    const internals = this.umap as unknown as { initFromRandom?: unknown; rpForest?: unknown[] };
    if (typeof internals.initFromRandom !== 'function') {
      throw new Error('umap-js internals changed: UmapFit.transform needs review for this umap-js version');
    }
    internals.rpForest = [];
    internals.initFromRandom = (
      heapSize: number,
      _data: unknown,
      queries: unknown[],
      heap: [number[][], number[][], number[][]],
    ) => {
      if (heapSize !== graph.k) throw new Error(`transform heap of ${heapSize}, supplied ${graph.k} neighbours`);
      for (let q = 0; q < queries.length; q++) {
        for (let t = 0; t < graph.k; t++) {
          const source = q * graph.k + (graph.k - 1 - t);
          heap[0][q][t] = graph.indices[source];
          heap[1][q][t] = graph.distances[source];
          heap[2][q][t] = 0;
        }
      }
    };
  }
}
