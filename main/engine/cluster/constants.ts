// The clustering tunables live in shared/settings.ts (CLUSTER_TUNING) with every other setting.
import { CLUSTER_TUNING } from '../../../shared/settings.ts';
import type { NeighbourTuning } from '../math/neighbours.ts';

export const {
  EXACT_KNN_MAX_FACES,
  HNSW_M,
  HNSW_EF_CONSTRUCTION,
  HNSW_EF_SEARCH_MIN,
  HNSW_SEARCH_BELOW,
  HNSW_EF_RETRY,
  HNSW_PROJECTED_DIM,
  HNSW_PROJECTION_SAMPLE,
  HNSW_RERANK_FACTOR,
  AVERAGE_LINKAGE_K,
  CHINESE_WHISPERS_K,
  CHINESE_WHISPERS_MAX_PASSES,
  DBSCAN_K,
  DBSCAN_MIN_FACES,
  ASSIGN_EXACT_MAX_ROWS,
  ASSIGN_CANDIDATES,
  ASSIGN_EF,
  ASSIGN_RUNNER_UP_ROWS,
  ASSIGN_SUGGESTIONS,
  DEFAULT_CLUSTERER,
  DEFAULT_THRESHOLD,
} = CLUSTER_TUNING;

/** The neighbour index (math/neighbours.ts) with clustering's tunables. */
export const CLUSTER_NEIGHBOURS: NeighbourTuning = {
  // n <= EXACT_KNN_MAX_FACES, counted as the n^2 / 2 pairs the index compares.
  exactMaxPairs: (EXACT_KNN_MAX_FACES * EXACT_KNN_MAX_FACES) / 2,
  hnsw: {
    m: HNSW_M,
    efConstruction: HNSW_EF_CONSTRUCTION,
    efSearchMin: HNSW_EF_SEARCH_MIN,
    efRetry: HNSW_EF_RETRY,
    searchBelow: HNSW_SEARCH_BELOW,
    projectedDim: HNSW_PROJECTED_DIM,
    projectionSample: HNSW_PROJECTION_SAMPLE,
    rerankFactor: HNSW_RERANK_FACTOR,
  },
};
