// SSD MobileNetV1 face detector + 68-point landmark net from @vladmandic/face-api, reduced to our five
// points (eye centres, nose tip, mouth corners). Better recall on profile and downward faces than MTCNN.
import { tf } from '../../backend.ts';
import type { RgbImage } from '../../decode.ts';
import { loadFaceApi, loadFaceApiNet } from '../../weights/faceapi.ts';
import type { DetectedFace, FivePoints, Point } from '../../types.ts';
import type { DetectOptions, FaceDetector } from '../detector.ts';

const mean = (pts: { x: number; y: number }[]): Point => [
  pts.reduce((s, p) => s + p.x, 0) / pts.length,
  pts.reduce((s, p) => s + p.y, 0) / pts.length,
];

/** The 68-point iBUG layout to our five points: eyes 36-41 and 42-47, nose tip 30, mouth corners 48 and 54. */
export function fivePointsFrom68(p: { x: number; y: number }[]): FivePoints {
  return [mean(p.slice(36, 42)), mean(p.slice(42, 48)), [p[30].x, p[30].y], [p[48].x, p[48].y], [p[54].x, p[54].y]];
}

export class SsdDetector implements FaceDetector {
  readonly id = 'ssd';
  private readonly api = loadFaceApi();

  constructor() {
    loadFaceApiNet('ssdMobilenetv1', 'ssd_mobilenetv1_model');
    loadFaceApiNet('faceLandmark68Net', 'face_landmark_68_model');
  }

  async detect(image: RgbImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
    const minConfidence = options.thresholds?.[2] ?? 0.5;
    const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const results = await this.api
        .detectAllFaces(input, new this.api.SsdMobilenetv1Options({ minConfidence }))
        .withFaceLandmarks();
      const minSize = options.minFaceSize ?? 0;
      return results
        .map((r: { detection: { box: { x: number; y: number; width: number; height: number }; score: number }; landmarks: { positions: { x: number; y: number }[] } }) => ({
          box: { x: r.detection.box.x, y: r.detection.box.y, width: r.detection.box.width, height: r.detection.box.height },
          landmarks: fivePointsFrom68(r.landmarks.positions),
          score: r.detection.score,
        }))
        .filter((f: DetectedFace) => Math.min(f.box.width, f.box.height) >= minSize);
    } finally {
      input.dispose();
    }
  }

  /** The 68-point net on a given box (for tight face crops SSD does not detect). */
  async landmarksInBox(image: RgbImage, box: { x: number; y: number; width: number; height: number }): Promise<DetectedFace | null> {
    const crop = tf.tidy(() => tf.slice(tf.tensor3d(image.data, [image.height, image.width, 3], 'int32'),
      [Math.round(box.y), Math.round(box.x), 0], [Math.round(box.height), Math.round(box.width), 3]));
    try {
      const marks = await this.api.nets.faceLandmark68Net.detectLandmarks(crop);
      const pts = marks.positions.map((p: { x: number; y: number }) => ({ x: p.x + box.x, y: p.y + box.y }));
      return { box, landmarks: fivePointsFrom68(pts), score: 0.5 };
    } finally {
      crop.dispose();
    }
  }

  dispose(): void {
    // face-api keeps its nets for the life of the thread.
  }
}

export function createSsdDetector(): SsdDetector {
  return new SsdDetector();
}
