// Tunables of identity clustering, with units and how each was chosen (to be merged into shared/settings.ts).

/** Faces: exact kNN up to this many, HNSW above. Chosen by measurement, see the note at the end. */
export const EXACT_KNN_MAX_FACES = 5000;

/** hnswlib M (links per node). */
export const HNSW_M = 16;
/** hnswlib efConstruction (build beam). */
export const HNSW_EF_CONSTRUCTION = 100;
/** Smallest HNSW search beam; the beam is max(2k, this). */
export const HNSW_EF_SEARCH_MIN = 64;

/** Neighbours per face in the average-linkage graph. */
export const AVERAGE_LINKAGE_K = 30;
/**
 * L2 distance beyond the threshold that the average-linkage graph still holds, so that pairs missing
 * from it are known to be at least threshold + margin apart.
 */
export const AVERAGE_LINKAGE_RADIUS_MARGIN = 0.15;
/**
 * A candidate merge of two clusters with at most this many face pairs is checked against the exact
 * average distance; larger ones against the mean over AVERAGE_LINKAGE_SAMPLED_PAIRS random face pairs
 * (standard error about 0.07 / sqrt(256) = 0.004 for one identity). Cost: pairs x dim multiply-adds.
 */
export const AVERAGE_LINKAGE_EXACT_PAIRS = 256;
export const AVERAGE_LINKAGE_SAMPLED_PAIRS = 256;
