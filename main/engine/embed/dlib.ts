// The dlib ResNet-34 face descriptor (128-d) as shipped in @vladmandic/face-api. Its input is a 150x150 face
// chip; we align the five points onto the ArcFace template scaled to 150 px with a margin, which plays the
// role of dlib's get_face_chip padding.
import { tf } from '../backend.ts';
import { ARCFACE_TEMPLATE_112, templateForSize } from '../align.ts';
import { loadFaceApiNet } from '../models/faceapi.ts';
import type { FivePoints } from '../types.ts';
import { l2normalize, type Embedder } from './embedder.ts';

const SIZE = 150;
/** Margin (fraction of the chip side on each side) around the template; chosen on the dev set (README). */
export const DLIB_TEMPLATE_MARGIN = 0.1;

export class DlibEmbedder implements Embedder {
  readonly modelId = 'dlib-resnet-128';
  readonly dim = 128;
  readonly inputSize = SIZE;
  readonly template: FivePoints;
  private readonly net = loadFaceApiNet('faceRecognitionNet', 'face_recognition_model');

  constructor(margin = DLIB_TEMPLATE_MARGIN) {
    this.template = templateForSize(ARCFACE_TEMPLATE_112, 112, SIZE, margin);
  }

  async embed(crops: Float32Array[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const crop of crops) {
      const input = tf.tensor3d(crop, [SIZE, SIZE, 3]);
      const d = (await this.net.computeFaceDescriptor(input)) as Float32Array;
      input.dispose();
      out.push(l2normalize(Float32Array.from(d)));
    }
    return out;
  }

  dispose(): void {}
}

export function createDlibEmbedder(): DlibEmbedder {
  return new DlibEmbedder();
}
