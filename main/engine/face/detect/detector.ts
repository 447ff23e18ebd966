// The detector contract: every implementation returns boxes, five landmarks and a score in the
// coordinates of the RGB image it was given.
import type { RgbImage } from '../decode.ts';
import type { DetectedFace } from '../types.ts';

export interface DetectOptions {
  /** Smallest face side to look for, in pixels of the given image. */
  minFaceSize?: number;
  /** Per-stage score thresholds (MTCNN: P, R, O); a single-stage detector uses the last one. */
  thresholds?: [number, number, number];
}

export interface FaceDetector {
  readonly id: string;
  detect(image: RgbImage, options?: DetectOptions): Promise<DetectedFace[]>;
  /**
   * Landmarks for a face assumed to fill `box` (or the whole image): used for tight pre-cropped faces
   * where detection finds nothing. Returns null when the detector cannot refine such a box.
   */
  landmarksInBox?(image: RgbImage, box: { x: number; y: number; width: number; height: number }): Promise<DetectedFace | null>;
  dispose(): void;
}
