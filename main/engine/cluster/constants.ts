// Tunables of identity clustering, with units and how each was chosen (to be merged into shared/settings.ts).

/**
 * Faces: exact kNN up to this many, HNSW above. Chosen as the largest size where the exact blocked scan
 * costs at most 1.5x the HNSW build + search while giving perfect recall, measured by
 * `npm run bench:cluster -- --knn-crossover` (2-core EPYC: 4,000 faces 1.08 s exact vs 0.84 s HNSW,
 * 8,000 faces 4.4 s vs 1.7 s).
 */
export const EXACT_KNN_MAX_FACES = 4000;

/**
 * hnswlib M (links per node) and efConstruction (build beam). On 100k synthetic faces (the bench data)
 * M 16 / efC 64 gave BCubed F1 0.997; M 12 or efC 48 saved about 20% of the build but let 1% more faces
 * fall out of their identity (F1 0.995), because HNSW's links are what connects an identity's faces.
 */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 64;
/** Smallest HNSW search beam; the beam is max(2k, this). */
export const HNSW_EF_SEARCH_MIN = 32;
/** Rows with fewer neighbours than this among HNSW's bottom-layer links are also searched. */
export const HNSW_SEARCH_BELOW = 2;
/** Beam for a search that lost its own row (see approximateNeighbours). */
export const HNSW_EF_RETRY = 256;
/**
 * Principal components the HNSW graph is built on when the embedding is wider (0 = never project).
 * Candidates are re-ranked on the full vectors. On the 100k bench data 48 cut the build by a third
 * against 64 at the same F1 (0.997); 32 lost recall (0.994). Synthetic identities are isotropic, the
 * worst case for PCA; real embeddings keep more of their variance in the leading components.
 */
export const HNSW_PROJECTED_DIM = 48;
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
/** Nearest rows fetched per new face before folding them into people. */
export const ASSIGN_CANDIDATES = 32;
/**
 * HNSW beam for assignment. A new face is not in the index, so a search lost between identities cannot
 * be detected; a wide beam makes it rare: on the 100k bench library 64 found the right person for
 * 99.3% of known faces (exact scan: 100%) and centroids 88%; see bench:cluster for this value.
 */
export const ASSIGN_EF = 160;
/** Rows fetched per missing runner-up person in the second, filtered search. */
export const ASSIGN_RUNNER_UP_ROWS = 4;
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
