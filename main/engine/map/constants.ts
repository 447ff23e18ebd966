// The map's tunables live in shared/settings.ts (MAP_DEFAULTS) with every other setting.
import { MAP_DEFAULTS } from '../../../shared/settings.ts';
import type { NeighbourTuning } from '../math/neighbours.ts';

export const {
  EXACT_KNN_MAX_PAIRS,
  HNSW_M,
  HNSW_EF_CONSTRUCTION,
  UMAP_NEIGHBOURS,
  UMAP_MIN_DIST,
  TSNE_PERPLEXITY,
  TSNE_THETA,
  TSNE_ITERATIONS,
  TSNE_EARLY_EXAGGERATION,
  TSNE_EXAGGERATION_ITERATIONS,
  TSNE_MOMENTUM_EARLY,
  TSNE_MOMENTUM_LATE,
  TSNE_MIN_LEARNING_RATE,
  TSNE_INITIAL_SPREAD,
  PLACEMENT_NEIGHBOURS,
  PLACEMENT_PERPLEXITY,
  WEISZFELD_STEPS,
  MAP_EXTENT,
  PLACEMENT_BATCH,
  YIELD_INTERVAL_MS,
  MAX_FIT,
  UMAP_PLACEMENT,
} = MAP_DEFAULTS;

/** The neighbour index (math/neighbours.ts) with the map's tunables: every row searched, no projection. */
export const MAP_NEIGHBOURS: NeighbourTuning = {
  exactMaxPairs: EXACT_KNN_MAX_PAIRS,
  // Search beam max(2k, 64): the beam HNSW_M's recall (shared/settings.ts) was measured with.
  hnsw: { m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, efSearchMin: 64 },
};
