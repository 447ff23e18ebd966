// Tunables of identity clustering, with units and how each was chosen (to be merged into shared/settings.ts).

/** Faces: exact kNN up to this many, HNSW above. Chosen by measurement, see the note at the end. */
export const EXACT_KNN_MAX_FACES = 5000;

/** hnswlib M (links per node). */
export const HNSW_M = 16;
/** hnswlib efConstruction (build beam). */
export const HNSW_EF_CONSTRUCTION = 64;
/** Smallest HNSW search beam; the beam is max(2k, this). */
export const HNSW_EF_SEARCH_MIN = 32;
/** Rows with fewer neighbours than this among HNSW's bottom-layer links are also searched. */
export const HNSW_SEARCH_BELOW = 2;
/** Beam for a search that lost its own row (see approximateNeighbours). */
export const HNSW_EF_RETRY = 256;
/** Principal components the HNSW graph is built on when the embedding is wider (0 = never project). */
export const HNSW_PROJECTED_DIM = 64;
/** Rows sampled to fit that projection. */
export const HNSW_PROJECTION_SAMPLE = 20000;
/** With a projection, each search fetches this many times k candidates and re-ranks them exactly. */
export const HNSW_RERANK_FACTOR = 2;

/** Neighbours per face in the average-linkage graph. */
export const AVERAGE_LINKAGE_K = 10;

/** Neighbours per face in the Chinese-whispers graph. */
export const CHINESE_WHISPERS_K = 10;
/** Passes over all faces at most (dlib's default is 100 iterations). */
export const CHINESE_WHISPERS_MAX_PASSES = 100;

/** Neighbours per face in the DBSCAN graph (at least minPts - 1 is used). */
export const DBSCAN_K = 10;
/** DBSCAN minPts: faces within the threshold, the face itself included. Immich's default minFaces is 3. */
export const DBSCAN_MIN_FACES = 3;

/** Person rows: a PersonIndex scans them all up to this many, searches an HNSW index above. */
export const ASSIGN_EXACT_MAX_ROWS = 2000;
/** Nearest rows fetched per new face before folding them into people (widened if too few people). */
export const ASSIGN_CANDIDATES = 32;
/** People suggested per face. */
export const ASSIGN_SUGGESTIONS = 3;

/** The clusterer used unless one is named; see the report in scripts/bench-cluster.ts for why. */
export const DEFAULT_CLUSTERER = 'average-linkage' as const;
/**
 * L2 distance between unit embeddings. Synthetic identities (same 0.63-0.87, different 1.23-1.47) cluster
 * perfectly with average linkage from 1.0 to 1.1; real faces need the embedder's own verification
 * threshold (face-atlas eval verify), which per ARCHITECTURE.md is where average linkage did best.
 */
export const DEFAULT_THRESHOLD = 1.1;
