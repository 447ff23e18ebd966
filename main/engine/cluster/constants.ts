// Tunables of identity clustering, with units and how each was chosen (to be merged into shared/settings.ts).

/**
 * Faces: exact kNN up to this many, HNSW above. Chosen as the largest size where the exact blocked scan
 * costs at most 1.5x the HNSW build + search while giving perfect recall, measured by
 * `npm run bench:cluster -- --knn-crossover` (2-core EPYC: 4,000 faces 1.06 s exact vs 0.70 s HNSW,
 * 8,000 faces 4.1 s vs 1.3 s). The projected HNSW lists hold 64-78% of the exact top 10 there: they
 * find the same identity's faces but not always the ten nearest of many nearly equidistant ones.
 */
export const EXACT_KNN_MAX_FACES = 4000;

/**
 * hnswlib M (links per node) and efConstruction (build beam). On 100k synthetic faces (the bench data)
 * M 16 / efC 64 gave BCubed F1 0.997; M 12 or efC 48 saved about 20% of the build but let 1% more faces
 * fall out of their identity (F1 0.995), because HNSW's links are what connects an identity's faces.
 */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 64;
/** Smallest HNSW search beam; the beam is max(2k, this). Kept small because a lost search is retried
 * with HNSW_EF_RETRY (on 100k faces, 12% of searches lost their own row at 32, 8% at 48). */
export const HNSW_EF_SEARCH_MIN = 32;
/**
 * Rows with fewer neighbours than this among HNSW's bottom-layer links are also searched. On 100k bench
 * faces the links alone gave BCubed recall 0.979; searching rows with fewer than 2 (30% of them) 0.994,
 * within 0.001 of searching every row at a third of the search time.
 */
export const HNSW_SEARCH_BELOW = 2;
/** Beam for a search that lost its own row (see approximateNeighbours); 256 finds it again in 4 of 5 cases. */
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

/** Neighbours per face in the average-linkage graph: 10 and 30 gave the same clusters on 10k bench faces,
 * 10 with a third of the edges (the graph only proposes merges). */
export const AVERAGE_LINKAGE_K = 10;

/** Neighbours per face in the Chinese-whispers graph (as for average linkage). */
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
 * be detected; a wide beam makes it rare. 100k-face bench library, known faces whose nearest person is
 * right: beam 64: exemplars 99.3%, centroids 88%; 160: 100% and 96% (exact scan: 100%), at 0.6 ms a face.
 */
export const ASSIGN_EF = 160;
/** Rows fetched per missing runner-up person in the second, filtered search. */
export const ASSIGN_RUNNER_UP_ROWS = 4;
/** People suggested per face. */
export const ASSIGN_SUGGESTIONS = 3;

/**
 * The clusterer used unless one is named. On the dev photos (284 faces, 54 identities, MobileFaceNet-192)
 * best BCubed F1 over thresholds: average linkage 1.000 (t 1.1), Chinese whispers 0.995 (t 1.0, and
 * seed-dependent above it), DBSCAN minPts 2 0.987 (t 0.9); average linkage also degrades least when the
 * threshold is off (t 1.2: 0.889 / 0.61-0.73 / 0.05), as on the synthetic bench data.
 */
export const DEFAULT_CLUSTERER = 'average-linkage' as const;
/**
 * L2 distance between unit embeddings, for MobileFaceNet-192 (other models need their own: see
 * CLUSTER_DEFAULTS in shared/settings.ts). Average linkage on the dev photos: t 0.9 0.951, 1.0 0.989,
 * 1.1 1.000, 1.15 0.962, 1.2 0.889 BCubed F1; 1.1 is also the model's verification threshold (1.119).
 * Synthetic bench identities (same 0.63-0.87 apart, different 1.23-1.47) cluster alike from 1.0 to 1.1.
 */
export const DEFAULT_THRESHOLD = 1.1;
