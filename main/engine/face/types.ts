// Domain types of the face engine, shared by detectors, embedders, the pipeline and the catalog.

/** An axis-aligned box in pixel coordinates of the original (EXIF-rotated) image. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Point = [number, number];

/** Five landmarks in this order: left eye, right eye, nose tip, left mouth corner, right mouth corner
 * ("left" = the subject's right, i.e. the one with the smaller x in an upright frontal face). */
export type FivePoints = [Point, Point, Point, Point, Point];

export interface DetectedFace {
  box: Box;
  landmarks: FivePoints;
  /** Detector confidence in 0..1. */
  score: number;
}

/** An L2-normalised embedding and the id of the model that made it; different models are never compared. */
export interface Embedding {
  modelId: string;
  vector: Float32Array;
}

export interface FaceQuality {
  /** Shorter side of the face box in original pixels. */
  size: number;
  /** Variance of the Laplacian on the aligned gray crop; low means blurred. */
  sharpness: number;
  /** Rough frontalness in 0..1 from landmark symmetry. */
  frontal: number;
}

/** How a face was found: by the detector, on a padded copy of a tight crop, by treating the whole image as
 * the face (O-Net landmarks in it), or as a last resort the template placed on the centre square. */
export type FaceSource = 'detector' | 'padded' | 'whole-image' | 'centre-crop';

export interface AnalysedFace extends DetectedFace {
  source: FaceSource;
  embedding: Float32Array;
  modelId: string;
  quality: FaceQuality;
}

export interface PhotoAnalysis {
  /** Size after applying EXIF orientation. */
  width: number;
  height: number;
  /** EXIF orientation 1-8 as read from the file (1 when absent). */
  orientation: number;
  faces: AnalysedFace[];
  detectorId: string;
  /** The decoded RGB pixels (EXIF-rotated, shrunk to the detection size), when asked for with `keepPixels`:
   * thumbnails are cut from them instead of decoding the photo a second time. */
  pixels?: { data: Uint8Array; width: number; height: number };
  /** Milliseconds spent per stage in the worker, for benchmarks. */
  timings?: { decode: number; detect: number; embed: number };
}
