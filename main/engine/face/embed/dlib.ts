// The dlib ResNet-34 face descriptor (128-d) as shipped in @vladmandic/face-api. Its input is a 150x150 face
// chip cut the way face-api cuts it: a square of side mean(|mouth - eye|) / 0.45 centred on the mean of the
// eye and mouth centres, its top 0.43 of a side above that mean. We express that chip as a five-point
// template so the face is also rotated upright by our similarity alignment. The network runs on ONNX Runtime
// (our export of the same weights, all crops of a call in one batch) or on face-api's tfjs code (nets.ts chooses).
import { EMBEDDING_MODEL_IDS } from '../../../../shared/models.ts';
import { activeBackend, tf } from '../backend.ts';
import { ARCFACE_TEMPLATE_112 } from '../align.ts';
import { loadNet, type Net, type NetOutput, type NetSource } from '../nets.ts';
import { dlibToOnnx } from '../onnx/from-dlib.ts';
import { decodeFaceApiWeights, loadFaceApiNet, readFaceApiWeights } from '../weights/faceapi.ts';
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

const WEIGHTS = 'face_recognition_model';

/** face-api's FaceRecognitionNet behind the Net interface: one computeFaceDescriptor per crop of the batch. */
class FaceApiDlibNet implements Net {
  readonly backend = activeBackend()?.name ?? 'tfjs';
  private readonly net = loadFaceApiNet('faceRecognitionNet', WEIGHTS);

  async run(input: Float32Array, shape: number[]): Promise<NetOutput[]> {
    const [n] = shape;
    const per = SIZE * SIZE * 3;
    const data = new Float32Array(n * 128);
    for (let i = 0; i < n; i++) {
      const crop = tf.tensor3d(input.subarray(i * per, (i + 1) * per), [SIZE, SIZE, 3]);
      data.set((await this.net.computeFaceDescriptor(crop)) as Float32Array, i * 128);
      crop.dispose();
    }
    return [{ data, shape: [n, 128] }];
  }

  dispose(): void {}
}

export function dlibNetSource(): NetSource {
  const files = readFaceApiWeights(WEIGHTS);
  return {
    id: 'dlib-resnet',
    weights: () => Buffer.concat([Buffer.from(JSON.stringify(files.specs)), files.bytes]),
    toOnnx: () => {
      const map = decodeFaceApiWeights(files);
      const arrays = new Map(Object.entries(map).map(([name, t]) => [name, { data: t.dataSync() as Float32Array, shape: t.shape }]));
      Object.values(map).forEach((t) => t.dispose());
      return dlibToOnnx(arrays);
    },
    tfjs: () => new FaceApiDlibNet(),
  };
}

export class DlibEmbedder implements Embedder {
  readonly modelId = EMBEDDING_MODEL_IDS.dlib;
  readonly dim = 128;
  readonly inputSize = SIZE;
  readonly template: FivePoints = dlibChipTemplate(SIZE);

  private constructor(readonly net: Net) {}

  static async create(): Promise<DlibEmbedder> {
    return new DlibEmbedder(await loadNet(dlibNetSource()));
  }

  async embed(crops: Float32Array[]): Promise<Float32Array[]> {
    if (!crops.length) return [];
    const per = SIZE * SIZE * 3;
    const batch = new Float32Array(crops.length * per);
    crops.forEach((c, i) => batch.set(c, i * per));
    const [out] = await this.net.run(batch, [crops.length, SIZE, SIZE, 3]);
    return crops.map((_, i) => l2Normalised(out.data.subarray(i * this.dim, (i + 1) * this.dim)));
  }

  dispose(): void {
    this.net.dispose();
  }
}
