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
  'mobilefacenet-192': { threshold: 1.128, a: 12, b: -13.5 },
  'dlib-resnet-128': { threshold: 0.55, a: 20, b: -11 },
} as const;

/** MobileFaceNet's weight in the fused embedder (dlib ResNet gets the rest). Dev-set sweep, 10-fold accuracy
 * with flip: w=1 99.19%, 0.7 99.41%, 0.6 99.57%, 0.5 99.57%, 0.4 99.62%, 0 98.97%; 0.5 sits mid-plateau. */
export const FUSION_WEIGHT = 0.5;
