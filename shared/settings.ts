// Every tunable of FaceAtlas in one place, with its unit and how it was chosen.
// Imported by the engine (main/) and the renderer (settings view), so it holds plain data only.
import { EMBEDDING_MODEL_IDS as M, type DetectorId, type EmbedderId } from './models.ts';

export const ENGINE_DEFAULTS = {
  /** Longest side (px) an image is shrunk to on load for detection and alignment. 1024 keeps a 40 px
   * face of a 12 MP photo above MTCNN's 12 px P-Net window while decode stays under ~90 ms. */
  detectMaxSide: 1024,
  /** Decoder pixel limit (width x height): larger files are refused with IMAGE_TOO_LARGE, not decoded. */
  maxInputPixels: 100_000_000,
  /** Smallest face (px, in the shrunk image) MTCNN looks for; sets the first pyramid scale 12/minFaceSize.
   * 32: P-Net cost falls with (12/minFace)^2 (0.36 at 20 vs 0.14 at 32) and on the 20 dev group photos it
   * found 125 faces, the same total as at 20 (at 40: 123); tight crops get their own fallback. */
  minFaceSize: 32,
  /** MTCNN stage thresholds (P, R, O) from Zhang et al. 2016 / facenet's detect_face defaults. */
  mtcnnThresholds: [0.6, 0.7, 0.7] as [number, number, number],
  /** Pyramid scale step, the paper's 0.709 (halves the area per level). */
  mtcnnScaleFactor: 0.709,
  /** Faces with an O-Net score below this are dropped (library, detect, verify): MTCNN background false positives score lower. */
  minFaceScore: 0.9,
  /** Average the embedding of the crop and of its mirror image (the fused embedder flips its MobileFaceNet
   * part only). Dev set, fused: 99.57% (AUC 0.99990) with vs 99.46% without; FaceNet-style flip averaging also
   * helped on LFW in our prototype (98.28% -> 98.40%). The mirror crop is the crop flipped; MobileFaceNet runs
   * both as one batch (6 CPU ms a crop on ONNX Runtime). */
  flipAverage: true,
  /** Worker threads for inference; 0 = one per core. */
  workers: 0,
  detector: 'mtcnn' as DetectorId,
  /** Fused MobileFaceNet + dlib: the most accurate on the dev set (README table); with both on ONNX Runtime
   * bench:engine gives 9.98x the plain face-api pipeline's photos/s (5.47x in CPU time). */
  embedder: 'fused' as EmbedderId,
} as const;

/**
 * Memory (bytes) one inference worker takes: bench:index measured peak RSS 951 MB with 1 worker and
 * 1,449 MB with 2, so about 500 MB a worker; 640 MiB leaves room for larger photos.
 */
export const WORKER_MEMORY_BYTES = 640 * 1024 ** 2;

/**
 * The most inference workers worth running here: no more than one per core (more only contend), and no
 * more than fit in half the machine's memory (the rest is the OS's, the catalog's and the user's).
 * A stored setting above it is refused by settings.set and lowered where it is applied.
 */
export function maxWorkers(cores: number, memoryBytes: number): number {
  return Math.max(1, Math.min(Math.floor(cores), Math.floor(memoryBytes / 2 / WORKER_MEMORY_BYTES)));
}

export type EngineSettings = {
  -readonly [K in keyof typeof ENGINE_DEFAULTS]: (typeof ENGINE_DEFAULTS)[K] extends readonly [number, number, number]
    ? [number, number, number] : (typeof ENGINE_DEFAULTS)[K];
};

/**
 * Verification threshold (L2 distance between unit embeddings) and Platt calibration per embedding model.
 * Fitted with `face-atlas eval verify --root ../shared/data/faces` (threshold: best accuracy on all pairs;
 * a, b: logistic fit of same-person probability on distance). Re-run and update when the pipeline changes.
 */
export const VERIFY_CALIBRATION = {
  [M.mobilefacenet]: { threshold: 1.119, a: 30.11, b: -33.99 },
  [M.dlib]: { threshold: 0.435, a: 66.72, b: -28.81 },
  [M.fused]: { threshold: 0.861, a: 40.13, b: -34.42 },
} as const;

/**
 * Words for a calibrated same-person probability (VERIFY_CALIBRATION's Platt fit), as the people views show
 * it: "very likely" from 0.9, "possible" from 0.5 (more likely than not, the verification threshold),
 * "unlikely" below. Unassigned offers a person only from `possible` up: below, a stranger would be offered
 * a name (issue 13: Solvay 1927 physicists were offered "Sheldon Cooper").
 */
export const SIMILARITY_WORDS = { veryLikely: 0.9, possible: 0.5 } as const;

/** MobileFaceNet's weight in the fused embedder (dlib ResNet gets the rest). Dev-set sweep, 10-fold accuracy
 * with flip: w=1 99.19%, 0.7 99.41%, 0.6 99.57%, 0.5 99.57%, 0.4 99.62%, 0 98.97%; 0.5 sits mid-plateau. */
export const FUSION_WEIGHT = 0.5;

/**
 * Identity clustering per embedding model, L2 distances between unit embeddings:
 * - `threshold`: the average-linkage distance at which two large groups of faces are joined;
 * - `pairThreshold`: the distance at which two single faces are joined. Between the two, groups of a and b
 *   faces may join within threshold - (threshold - pairThreshold) / (a b) (cluster/merge-limit.ts): a
 *   single close pair is weak evidence in a library where most faces are strangers seen once, an average
 *   over many pairs is strong. A new face joins a person when its average distance to the person's faces
 *   is within the same limit (and its distance to the person's centroid within `assignThreshold`).
 * Chosen with `face-atlas eval cluster` (README): on the dev set alone (`--root ../shared/data/faces`) and
 * with half of ../shared/data/strangers as distractors; the other half was held out to check.
 */
export const CLUSTER_DEFAULTS: Record<string, { threshold: number; pairThreshold: number; assignThreshold: number }> = {
  // Dev set (54 identities + 20 group photos as distractors): t=1.0 BCubed F1 0.989, 1.1 0.994, 1.15 0.992, 1.2 0.933.
  // pairThreshold: the fused model's ratio (0.65 / 0.8) carried over, not measured for this model.
  [M.mobilefacenet]: { threshold: 1.1, pairThreshold: 0.89, assignThreshold: 1.05 },
  [M.dlib]: { threshold: 0.5, pairThreshold: 0.41, assignThreshold: 0.45 },
  // Fused, a fixed threshold (pairThreshold = threshold): dev set t=0.7 BCubed F1 0.951, 0.8 0.989 (precision
  // 1.0), 0.85 0.992 (precision 0.97), 0.9 0.942; but dev + 1,525 strangers at 0.8: BCubed F1 0.869 (precision
  // 0.771), 538 people shown for 54 + 1,457. pairThreshold (threshold 0.8), dev / dev + strangers half A:
  // 0.6 0.990 / 0.996, 0.65 0.990 / 0.996, 0.7 0.990 / 0.994, 0.8 (fixed) 0.989 / 0.87. 0.65 sits near the
  // distance within which 95% of faces have a face of their own person (0.63), so it costs little recall.
  [M.fused]: { threshold: 0.8, pairThreshold: 0.65, assignThreshold: 0.77 },
};

export const PEOPLE_DEFAULTS = {
  /** A group of fewer faces is not shown as a person (background strangers); its faces wait as unassigned. */
  minFaces: 2,
  /**
   * Unnamed people with fewer faces than this are listed apart on the People page, folded under "Seen only
   * a few times", so that the people the user knows come first. In a library of the dev photos + 1,457
   * strangers (`face-atlas people --db` on the eval's kept catalog), 103 groups are shown: 55 hold 3+
   * faces, 48 are pairs (dev people with two photos, strangers seen twice, faces of group photos).
   */
  fewFaces: 3,
  /** Suggestions shown for an unassigned face, and likely merges for a person. */
  suggestions: 3,
  /** Nearest people considered for a new face: the nearest may be rejected or already have a face of that photo. */
  assignCandidates: 5,
  /** Faces scoring below this (detector faces under ENGINE_DEFAULTS.minFaceScore never reach the catalog;
   * tight-crop fallbacks score 0.5 or more) or smaller than minClusterFaceSize px are not grouped automatically. */
  minClusterScore: 0.5,
  /** 12 px is MTCNN's smallest window; the dev set's ORL faces are ~18 px and still cluster correctly. */
  minClusterFaceSize: 12,
  seed: 1,
};

/** What the People settings mean, in plain words (shown beside them in Settings). */
export const PEOPLE_SETTINGS_HELP = {
  threshold:
    'How different two photos of one person may look. Higher finds more photos of each person but risks putting ' +
    'look-alikes together; lower keeps strangers apart but may split one person in two. Two single faces always ' +
    'need to be closer than two large groups: in a library full of people seen once, some stranger always looks ' +
    'a bit like someone, while many photos of one person together are hard to mistake.',
  minFaces:
    'A group needs this many faces to become a person. Faces seen only once wait in Unassigned, where you can ' +
    'give them a name or a person, instead of filling the People page.',
} as const;

// ---- Library indexing (main/engine/indexer)

export const INDEXER_DEFAULTS = {
  /** Lower-case file extensions treated as photos: what sharp/libvips decodes, HEIC/HEIF (libheif in WebAssembly)
   * and the camera RAW formats below (read through their embedded JPEG preview). */
  imageExtensions: ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif', '.heic', '.heif', '.hif',
    '.cr2', '.cr3', '.nef', '.arw', '.raf', '.orf', '.rw2', '.dng'] as readonly string[],
  /** Camera RAW extensions: faces are found on the full-size JPEG preview the camera embeds (ExifTool extracts it).
   * A RAW file beside a JPEG of the same name (IMG_1.CR2 + IMG_1.JPG) is the same shot: the JPEG is the photo. */
  rawExtensions: ['.cr2', '.cr3', '.nef', '.arw', '.raf', '.orf', '.rw2', '.dng'] as readonly string[],
  /** Read face regions (MWG, Microsoft Photo) from embedded XMP and sidecars while indexing. */
  readXmpRegions: true,
  /** A named XMP region names the detected face it overlaps by at least this IoU. Region boxes drawn by people
   * and other detectors are looser than MTCNN's (forehead, chin): 0.3 pairs them while two neighbours in a group
   * photo (which touch, not overlap) stay apart. */
  xmpRegionMinIoU: 0.3,
  /** An unnamed XMP face region becomes a manual face unless a face already there covers this share of the smaller
   * of the two boxes: a region drawn around a detected face (looser, or a tight box inside it) is that face. Two
   * neighbours in a group photo touch, they do not cover half of each other. */
  xmpUnnamedRegionMaxCover: 0.5,
  /** Folder names never entered: VCS, NAS thumbnail folders (Synology @eaDir, QNAP .@__thumb), recycle bins, OS metadata.
   * Names starting with '.' are skipped as well (hidden files, macOS AppleDouble '._x.jpg'). */
  skippedFolderNames: ['@eaDir', '#recycle', '#snapshot', '$RECYCLE.BIN', 'System Volume Information', 'lost+found', 'node_modules'] as readonly string[],
  /** Photos analysed at once, per engine worker: 2 keeps each worker busy while the next file is hashed and decoded. */
  inFlightPerWorker: 2,
  /** A re-detected face keeps the id (and so the name) of the old face whose box it overlaps by at least this IoU.
   * 0.5 is the PASCAL VOC "same object" criterion; re-running the same detector on the same pixels gives > 0.9. */
  sameFaceIoU: 0.5,
  /** ...and, with embeddings of the same model, lie within this L2 distance (unit vectors). Measured here with
   * MobileFaceNet: the same face saved again at JPEG q60/q80 moved at most 0.48 (12 faces, 4 photos); different
   * people in one photo were at least 1.15 apart, and a replaced picture's face at IoU 0.56 was 1.38 away. */
  sameFaceMaxDistance: 0.8,
  /** A file that changes while it is read is retried this many times, then recorded as CHANGED_WHILE_READING. */
  changedWhileReadingRetries: 2,
  /** Progress events at most this often (ms): enough for a smooth bar without flooding IPC. */
  progressIntervalMs: 250,
  /** Photos-per-second is measured over this many latest completions, so the ETA follows speed changes. */
  rateWindow: 50,
  /** Watch mode: a file is indexed once it has had no event for this long (ms); pairs the unlink+add of a rename. */
  watchDebounceMs: 1500,
  /** Watch mode: chokidar waits until a file's size is stable this long (ms) before reporting it (copies in progress). */
  watchWriteStableMs: 1000,
} as const;

// ---- Thumbnails (main/engine/thumbs)

export const THUMB_DEFAULTS = {
  /** Longest side (px) of a photo thumbnail: a grid cell at 2x pixel density. */
  photoSize: 320,
  /** Longest side (px) of the viewer's image: a full-HD window at 1x or a laptop window at 2x, ~150-400 KB in WebP. */
  viewSize: 2048,
  /** Side (px) of a square face thumbnail: a person card at 2x density. */
  faceSize: 160,
  /** Margin added on each side of the face box, as a fraction of its longer side: shows hair and chin like a portrait. */
  faceMargin: 0.35,
  /** WebP quality 0-100: 80 keeps faces crisp at ~6-12 KB per face thumbnail. */
  quality: 80,
  /** WebP encoder effort 0-6 (libwebp's method; sharp's default is 4). At 2 a photo and a face thumbnail took
   * 8.2 CPU ms against 14.3 at 4, for 2.6% more bytes at the same quality: thumbnails were a quarter of indexing's CPU. */
  webpEffort: 2,
  /** Longest side (px) a photo is decoded to for cutting thumbnails: bounds memory (4096^2 x 3 B = 48 MB) while a face
   * of 1/25 of the width still gives 160 px. */
  maxDecodeSide: 4096,
} as const;

// ---- Personalisation (main/engine/train)

export const TRAIN_DEFAULTS = {
  /** Triplet margin alpha on squared L2 distances of unit vectors (0..4). FaceNet (Schroff et al. 2015) used 0.2. */
  margin: 0.2,
  /** Adam learning rate. Chosen on synthetic identities: 1e-3 moved an identity-initialised head enough in ~200 steps without oscillating. */
  learningRate: 1e-3,
  /** Optimisation steps (batches). ~10-20 s on one wasm thread at batch 256; enough for the synthetic tests to converge. */
  steps: 300,
  /** People per batch (P of P x K). 32 x 8 = 256 faces, the batch FaceNet-style mining needs to find semi-hard negatives. */
  peoplePerBatch: 32,
  /** Faces per person (K), capped by what each person has. */
  facesPerPerson: 8,
  /** Extra negatives per batch from other people or unlabelled faces: more in-batch negatives when few people are labelled. */
  extraNegatives: 16,
  /** Weight of ||W - I||^2 (linear) or ||W2||^2 (residual): keeps the head near identity on small training sets. */
  identityDecay: 1e-3,
  /** Center loss weight lambda (Wen et al. 2016 eq. 5). On unit vectors distances are <= 4, so larger than the paper's 0.003. */
  centerLambda: 0.1,
  /** Centre learning rate alpha_c (Wen et al. 2016 eq. 6); the paper uses 0.5. */
  centerAlpha: 0.5,
  /** Fixed logit scale for softmax on unit-length features: without it logits stay within +-||w|| and the softmax cannot saturate (NormFace, Wang et al. 2017). */
  softmaxScale: 16,
  /** Hidden width of the residual head as a multiple of the embedding size. */
  residualHiddenRatio: 1,
} as const;

export const GUARDRAIL_DEFAULTS = {
  /** Fraction of each trained person's faces held out (at least one, leaving at least one for training). */
  heldOutFraction: 0.5,
  /** Fraction of people (with 2+ faces) never trained on, to check the head does not hurt unseen people. 0 when fewer than 2 would be left out. */
  untrainedFraction: 0.2,
  /** Largest drop in accuracy (0..1) allowed on untrained people: one point, about the noise of a few hundred pairs. */
  untrainedTolerance: 0.01,
  /** Held-out accuracy must rise by more than this (0..1) on verification or identification, and neither may fall. */
  minGain: 0,
  /** Folds for the cross-validated verification threshold, as in LFW's protocol. */
  folds: 10,
} as const;

export const CONV_EMBEDDER_DEFAULTS = {
  /** Output channels of the three 3x3 conv + 2x2 max-pool stages: a small net that trains on one CPU thread. */
  channels: [16, 32, 64] as readonly number[],
  /** Embedding size of the end-to-end embedder. FaceNet used 128. */
  embeddingSize: 64,
  learningRate: 1e-3,
  steps: 100,
  peoplePerBatch: 8,
  facesPerPerson: 4,
} as const;

// ---- Embedding map (main/engine/project)

export const MAP_DEFAULTS = {
  /**
   * Exact kNN up to this many distance evaluations (pairs), HNSW above. Measured on 192-d vectors here:
   * exact costs ~0.3 us a pair (2,000 faces: 0.7 s), HNSW ~0.4 ms a face to build and query (5,000 faces:
   * 2.1 s against 3.8 s exact); they cross near 2,800 faces, i.e. ~4M pairs.
   */
  EXACT_KNN_MAX_PAIRS: 4_000_000,
  /** HNSW graph degree (hnswlib's default; measured recall 0.97-0.99 at k = 14-90 on 192-d synthetic faces). */
  HNSW_M: 16,
  /** HNSW build beam width (hnswlib's default). */
  HNSW_EF_CONSTRUCTION: 200,

  /** UMAP neighbourhood size (umap-learn's default; includes the point itself, as umap-js expects). */
  UMAP_NEIGHBOURS: 15,
  /** UMAP minimum distance between embedded points (umap-learn's default: tight but readable clusters). */
  UMAP_MIN_DIST: 0.1,

  /** t-SNE perplexity u (effective neighbours; van der Maaten 2014 uses 30). */
  TSNE_PERPLEXITY: 30,
  /**
   * Barnes-Hut accuracy/speed trade-off theta, on the cell half-width as in the paper's reference code.
   * Measured: Z within ~6% of exact on 2,000 random points; theta 0.25 took twice as long on 5,000 faces
   * for the same neighbourIdentity (1.000 against 0.9998).
   */
  TSNE_THETA: 0.5,
  /** Gradient-descent iterations in all (the paper's 1000). */
  TSNE_ITERATIONS: 1000,
  /** Early exaggeration alpha and its length in iterations (van der Maaten 2014: 12 for 250). */
  TSNE_EARLY_EXAGGERATION: 12,
  TSNE_EXAGGERATION_ITERATIONS: 250,
  /** Momentum during and after early exaggeration (van der Maaten 2014: 0.5 then 0.8). */
  TSNE_MOMENTUM_EARLY: 0.5,
  TSNE_MOMENTUM_LATE: 0.8,
  /** Learning rate floor: the rate is max(n / alpha, this) (n / alpha: Belkina et al. 2019; 200: the paper's code). */
  TSNE_MIN_LEARNING_RATE: 200,
  /** Standard deviation of the seeded Gaussian initial layout (van der Maaten 2014: 1e-4). */
  TSNE_INITIAL_SPREAD: 1e-4,
  /** Fitted neighbours whose weighted median places a face left out of a sampled fit (placement.ts). */
  PLACEMENT_NEIGHBOURS: 10,
  /** Perplexity of the placement weights over those neighbours (weights concentrate on ~3 of them). */
  PLACEMENT_PERPLEXITY: 3,
  /** Weiszfeld steps from the weighted mean towards the weighted geometric median (placement.ts). */
  WEISZFELD_STEPS: 20,

  /** Map coordinates span [-MAP_EXTENT, MAP_EXTENT] on the longer axis (unitless; the UI scales to pixels). */
  MAP_EXTENT: 1,
  /** Rows per umap-js transform / t-SNE placement batch: 2,000 rows took ~1.5 s in umap-js, a progress step each. */
  PLACEMENT_BATCH: 2000,
  /** The in-thread projector yields to the event loop (progress, abort) at least this often, in ms. */
  YIELD_INTERVAL_MS: 50,

  /**
   * Largest number of faces fitted directly; above it a stratified sample of this size is fitted and the
   * rest placed (UMAP_PLACEMENT; t-SNE: placement.ts). Measured whole fits on this 2-core machine
   * (shared, load ~10), 192-d synthetic faces, time / peak RSS:
   *   UMAP   5k 19 s / 372 MB, 10k 35 s / 600 MB, 20k 63 s / 1.19 GB: linear, ~3 ms and ~57 KB a face
   *          (umap-js keeps its graphs as Maps of string keys), so 50k whole would need ~3 GB;
   *          20k bounds memory near 1.2 GB and time near a minute.
   *   t-SNE  5k 21 s / 172 MB, 10k 47 s / 209 MB, 20k 124 s / 272 MB: memory is small but time grows
   *          faster than n (n log n per iteration, 1,000 iterations), so 10k keeps the fit under a minute.
   */
  MAX_FIT: { umap: 20_000, tsne: 10_000 },

  /**
   * How a sampled UMAP map places the faces left out of the fit: umap-js `transform` (the default asked
   * for) or 'neighbour-median' (placement.ts, as for t-SNE). Measured on 25,000 synthetic faces with
   * 10,000 fitted: neighbourIdentity 0.53 with transform (24.9 s) against 0.87 with the median (11.0 s);
   * bench:map at 50,000 (20,000 fitted): 0.34 in 128 s against 0.72 in 73 s (the 192-d space: 0.94).
   * transform starts each face at the plain weighted mean of its 15 neighbours, which a few wrong
   * neighbours drag off its identity, and its 67 epochs do not bring it back: so the median is the default.
   */
  UMAP_PLACEMENT: 'neighbour-median' as 'transform' | 'neighbour-median',
} as const;

// ---- Identity clustering (main/engine/cluster)

export const CLUSTER_TUNING = {
  /**
   * Faces: exact kNN up to this many, HNSW above. Chosen as the largest size where the exact blocked scan
   * costs at most 1.5x the HNSW build + search while giving perfect recall, measured by
   * `npm run bench:cluster -- --knn-crossover` (2-core EPYC: 4,000 faces 1.06 s exact vs 0.70 s HNSW,
   * 8,000 faces 4.1 s vs 1.3 s). The projected HNSW lists hold 64-78% of the exact top 10 there: they
   * find the same identity's faces but not always the ten nearest of many nearly equidistant ones.
   */
  EXACT_KNN_MAX_FACES: 4000,

  /**
   * hnswlib M (links per node) and efConstruction (build beam). On 100k synthetic faces (the bench data)
   * M 16 / efC 64 gave BCubed F1 0.997; M 12 or efC 48 saved about 20% of the build but let 1% more faces
   * fall out of their identity (F1 0.995), because HNSW's links are what connects an identity's faces.
   */
  HNSW_M: 16,
  HNSW_EF_CONSTRUCTION: 64,
  /** Smallest HNSW search beam; the beam is max(2k, this). Kept small because a lost search is retried
   * with HNSW_EF_RETRY (on 100k faces, 12% of searches lost their own row at 32, 8% at 48). */
  HNSW_EF_SEARCH_MIN: 32,
  /**
   * Rows with fewer neighbours than this among HNSW's bottom-layer links are also searched. On 100k bench
   * faces the links alone gave BCubed recall 0.979; searching rows with fewer than 2 (30% of them) 0.994,
   * within 0.001 of searching every row at a third of the search time.
   */
  HNSW_SEARCH_BELOW: 2,
  /** Beam for a search that lost its own row (see approximateNeighbours); 256 finds it again in 4 of 5 cases. */
  HNSW_EF_RETRY: 256,
  /**
   * Principal components the HNSW graph is built on when the embedding is wider (0 = never project).
   * Candidates are re-ranked on the full vectors. On the 100k bench data 48 cut the build by a third
   * against 64 at the same F1 (0.997); 32 lost recall (0.994). Synthetic identities are isotropic, the
   * worst case for PCA; real embeddings keep more of their variance in the leading components.
   */
  HNSW_PROJECTED_DIM: 48,
  /** Rows sampled to fit that projection. */
  HNSW_PROJECTION_SAMPLE: 20000,
  /** With a projection, each search fetches this many times k candidates and re-ranks them exactly. */
  HNSW_RERANK_FACTOR: 2,

  /** Neighbours per face in the average-linkage graph: 10 and 30 gave the same clusters on 10k bench faces,
   * 10 with a third of the edges (the graph only proposes merges). */
  AVERAGE_LINKAGE_K: 10,

  /** Neighbours per face in the Chinese-whispers graph (as for average linkage). */
  CHINESE_WHISPERS_K: 10,
  /** Passes over all faces at most (dlib's default is 100 iterations). */
  CHINESE_WHISPERS_MAX_PASSES: 100,

  /** Neighbours per face in the DBSCAN graph (at least minPts - 1 is used). */
  DBSCAN_K: 10,
  /** DBSCAN minPts: faces within the threshold, the face itself included. Immich's default minFaces is 3. */
  DBSCAN_MIN_FACES: 3,

  /** Person rows: a PersonIndex scans them all up to this many, searches an HNSW index above. */
  ASSIGN_EXACT_MAX_ROWS: 2000,
  /** Nearest rows fetched per new face before folding them into people. */
  ASSIGN_CANDIDATES: 32,
  /**
   * HNSW beam for assignment. A new face is not in the index, so a search lost between identities cannot
   * be detected; a wide beam makes it rare. 100k-face bench library, known faces whose nearest person is
   * right: beam 64: exemplars 99.3%, centroids 88%; 160: 100% and 96% (exact scan: 100%), at 0.6 ms a face.
   */
  ASSIGN_EF: 160,
  /** Rows fetched per missing runner-up person in the second, filtered search. */
  ASSIGN_RUNNER_UP_ROWS: 4,
  /** People suggested per face. */
  ASSIGN_SUGGESTIONS: 3,

  /**
   * The clusterer used unless one is named. On the dev photos (284 faces, 54 identities, MobileFaceNet-192)
   * best BCubed F1 over thresholds: average linkage 1.000 (t 1.1), Chinese whispers 0.995 (t 1.0, and
   * seed-dependent above it), DBSCAN minPts 2 0.987 (t 0.9); average linkage also degrades least when the
   * threshold is off (t 1.2: 0.889 / 0.61-0.73 / 0.05), as on the synthetic bench data.
   */
  DEFAULT_CLUSTERER: 'average-linkage' as const,
  /**
   * L2 distance between unit embeddings, for MobileFaceNet-192 (other models need their own: see
   * CLUSTER_DEFAULTS in shared/settings.ts). Average linkage on the dev photos: t 0.9 0.951, 1.0 0.989,
   * 1.1 1.000, 1.15 0.962, 1.2 0.889 BCubed F1; 1.1 is also the model's verification threshold (1.119).
   * Synthetic bench identities (same 0.63-0.87 apart, different 1.23-1.47) cluster alike from 1.0 to 1.1.
   */
  DEFAULT_THRESHOLD: 1.1,
} as const;
