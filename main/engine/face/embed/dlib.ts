// The dlib ResNet-34 face descriptor (128-d) as shipped in @vladmandic/face-api. Its input is a 150x150 face
// chip cut the way face-api cuts it: a square of side mean(|mouth - eye|) / 0.45 centred on the mean of the
// eye and mouth centres, its top 0.43 of a side above that mean. We express that chip as a five-point
// template so the face is also rotated upright by our similarity alignment.
import { EMBEDDING_MODEL_IDS } from '../../../../shared/models.ts';
import { tf } from '../backend.ts';
import { ARCFACE_TEMPLATE_112 } from '../align.ts';
import { loadFaceApiNet } from '../weights/faceapi.ts';
import type { FivePoints } from '../types.ts';
import { type Embedder } from './embedder.ts';
import { l2Normalised } from '../../math/vectors.ts';

const SIZE = 150;

/** The ArcFace template re-cut as face-api's dlib chip, scaled to `size`. */
export function dlibChipTemplate(size = SIZE): FivePoints {
  const [le, re, , ml, mr] = ARCFACE_TEMPLATE_112;
  const mouth = [(ml[0] + mr[0]) / 2, (ml[1] + mr[1]) / 2];
  const side = (Math.hypot(mouth[0] - le[0], mouth[1] - le[1]) + Math.hypot(mouth[0] - re[0], mouth[1] - re[1])) / 2 / 0.45;
  const cx = (le[0] + re[0] + mouth[0]) / 3;
  const cy = (le[1] + re[1] + mouth[1]) / 3;
  const x0 = cx - 0.5 * side;
  const y0 = cy - 0.43 * side;
  const k = size / side;
  return ARCFACE_TEMPLATE_112.map(([x, y]) => [(x - x0) * k, (y - y0) * k]) as FivePoints;
}

export class DlibEmbedder implements Embedder {
  readonly modelId = EMBEDDING_MODEL_IDS.dlib;
  readonly dim = 128;
  readonly inputSize = SIZE;
  readonly template: FivePoints;
  private readonly net = loadFaceApiNet('faceRecognitionNet', 'face_recognition_model');

  constructor() {
    this.template = dlibChipTemplate(SIZE);
  }

  async embed(crops: Float32Array[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const crop of crops) {
      const input = tf.tensor3d(crop, [SIZE, SIZE, 3]);
      const d = (await this.net.computeFaceDescriptor(input)) as Float32Array;
      input.dispose();
      out.push(l2Normalised(Float32Array.from(d)));
    }
    return out;
  }

  dispose(): void {}
}

export function createDlibEmbedder(): DlibEmbedder {
  return new DlibEmbedder();
}
