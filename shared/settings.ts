// Every tunable of FaceAtlas in one place, with its unit and how it was chosen.
// Imported by the engine (main/) and the renderer (settings view), so it holds plain data only.

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
  /** Faces with an O-Net score below this are dropped from the library (kept by `detect` output). */
  minFaceScore: 0.9,
  /** Aligned crop size for MobileFaceNet (ArcFace 112x112 template). */
  alignSize: 112,
  /** Average the embedding of the crop and of its mirror image. Off: on the dev set it measured 99.03% vs
   * 99.35% without (AUC 0.9998 vs 0.9997) at twice the embedding cost; see README's accuracy table. */
  flipAverage: false,
  /** Worker threads for inference; 0 = one per core. */
  workers: 0,
  detector: 'mtcnn' as 'mtcnn' | 'ssd',
  embedder: 'mobilefacenet' as 'mobilefacenet' | 'dlib' | 'fused',
} as const;

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
  'mobilefacenet-192': { threshold: 1.128, a: 29.88, b: -33.86 },
  'dlib-resnet-128': { threshold: 0.435, a: 66.72, b: -28.81 },
  'fused-mfn192-dlib128': { threshold: 0.852, a: 40.68, b: -35.03 },
} as const;

/** MobileFaceNet's weight in the fused embedder (dlib ResNet gets the rest). Dev-set sweep, 10-fold accuracy
 * with flip: w=1 99.19%, 0.7 99.41%, 0.6 99.57%, 0.5 99.57%, 0.4 99.62%, 0 98.97%; 0.5 sits mid-plateau. */
export const FUSION_WEIGHT = 0.5;

/**
 * Identity clustering per embedding model: `threshold` is the average-linkage L2 distance at which two
 * groups of faces are joined; `assignThreshold` the distance from a new face to a person's centroid within
 * which it joins that person. Chosen with `face-atlas eval cluster --root ../shared/data/faces` (README).
 */
export const CLUSTER_DEFAULTS: Record<string, { threshold: number; assignThreshold: number }> = {
  // Dev set (54 identities + 20 group photos as distractors): t=1.0 BCubed F1 0.989, 1.1 0.994, 1.15 0.992, 1.2 0.933.
  'mobilefacenet-192': { threshold: 1.1, assignThreshold: 1.05 },
  'dlib-resnet-128': { threshold: 0.5, assignThreshold: 0.45 },
  // Fused: t=0.7 BCubed F1 0.951, 0.8 0.989 (precision 1.0), 0.85 0.992 (precision 0.97), 0.9 0.942.
  'fused-mfn192-dlib128': { threshold: 0.8, assignThreshold: 0.77 },
};

export const PEOPLE_DEFAULTS = {
  /** A group of fewer faces is not shown as a person (background strangers); its faces wait as unassigned. */
  minFaces: 2,
  /** Suggestions shown for an unassigned face, and likely merges for a person. */
  suggestions: 3,
  /** Faces scoring below this (detector faces under ENGINE_DEFAULTS.minFaceScore never reach the catalog;
   * tight-crop fallbacks score 0.5 or more) or smaller than minClusterFaceSize px are not grouped automatically. */
  minClusterScore: 0.5,
  /** 12 px is MTCNN's smallest window; the dev set's ORL faces are ~18 px and still cluster correctly. */
  minClusterFaceSize: 12,
  seed: 1,
};
