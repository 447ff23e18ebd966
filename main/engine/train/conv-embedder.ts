// End-to-end FaceNet in miniature: a small conv net from aligned face crops to unit-length embeddings,
// trained with the triplet loss (Schroff et al. 2015), small enough for one CPU thread on small data.
import { tf } from '../face/backend.ts';
import { CONV_EMBEDDER_DEFAULTS, TRAIN_DEFAULTS } from './constants.ts';
import { encodeLabels, selectRows } from './dataset.ts';
import { l2NormaliseRows } from './distances.ts';
import { matMulPlain } from './mat-mul.ts';
import type { MiningStrategy } from './mining.ts';
import { normalDeviates, seededRandom, type Random } from '../math/random.ts';
import { IdentityBatchSampler } from './sampler.ts';
import { tripletStep } from './triplet-step.ts';
import type { TrainHooks, TrainProgress } from './train-adapter.ts';
import { disposeVariables, fromVariables, packWeights, toVariables, unpackWeights, type NamedArrays, type WeightSpec } from './weights.ts';

export interface ConvEmbedderConfig {
  /** Side of the square RGB input crop in pixels; a multiple of 2^stages. */
  inputSize: number;
  /** Output channels of each 3x3 conv + ReLU + 2x2 max-pool stage. */
  channels: number[];
  embeddingSize: number;
}

export interface ConvEmbedder {
  config: ConvEmbedderConfig;
  weights: Float32Array;
  specs: WeightSpec[];
}

/** Face crops: N x size x size x 3 row-major, values in 0..1, with one person label each. */
export interface LabelledCrops {
  pixels: Float32Array;
  size: number;
  labels: readonly (string | null)[];
}

const KERNEL = 3;

/**
 * Filter gradient of a stride-1 'same' conv, dW[i, j] = sum over n, y, x of x_pad[n, y+i, x+j, :]^T dy[n, y, x, :],
 * as KERNEL^2 matMuls: the wasm backend has no Conv2DBackpropFilter kernel. The padded input is made
 * channel-first once, so each tap is a slice and a plain matMul (2-3x faster than transposing every tap).
 */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, inChannels] = x.shape;
    const outChannels = dy.shape[3];
    const pad = (KERNEL - 1) / 2;
    const padded = tf.transpose(tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]), [3, 0, 1, 2]);
    const dyRows = tf.reshape(dy, [n * h * w, outChannels]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < KERNEL; i++) {
      for (let j = 0; j < KERNEL; j++) {
        taps.push(tf.matMul(tf.reshape(tf.slice(padded, [0, 0, i, j], [inChannels, n, h, w]), [inChannels, n * h * w]), dyRows));
      }
    }
    return tf.reshape(tf.stack(taps), [KERNEL, KERNEL, inChannels, outChannels]);
  });
}

/**
 * Input gradient of a stride-1 'same' conv: the forward conv of dy with the filter rotated 180 degrees and
 * its channel axes swapped. On wasm this ran 5-18x faster than conv2dTranspose (Conv2DBackpropInput).
 */
function inputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.conv2d(dy, tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, 'same'));
}

/**
 * 3x3 conv, stride 1, 'same' padding, with a gradient that runs on every backend. With `inputNeedsGradient`
 * false (the first layer, whose input is the images) the input gradient is returned as zeros, uncomputed.
 */
function makeConv2dSame(inputNeedsGradient: boolean): (x: tf.Tensor, filter: tf.Tensor) => tf.Tensor4D {
  return tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, filter, save] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x, filter]);
    return {
      value: tf.conv2d(x, filter, 1, 'same'),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [input, weights] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [inputNeedsGradient ? inputGradient(dy, weights) : tf.zerosLike(input), filterGradient(input, dy)];
      },
    };
  }) as (x: tf.Tensor, filter: tf.Tensor) => tf.Tensor4D;
}

export const conv2dSame = makeConv2dSame(true);
const firstConv2dSame = makeConv2dSame(false);

export function initialConvWeights(config: ConvEmbedderConfig, random: Random): NamedArrays {
  const arrays: NamedArrays = {};
  let inChannels = 3;
  config.channels.forEach((outChannels, stage) => {
    // He initialisation for ReLU layers.
    const fanIn = KERNEL * KERNEL * inChannels;
    arrays[`conv${stage}`] = { shape: [KERNEL, KERNEL, inChannels, outChannels], values: normalDeviates(fanIn * outChannels, random, Math.sqrt(2 / fanIn)) };
    arrays[`bias${stage}`] = { shape: [outChannels], values: new Float32Array(outChannels) };
    inChannels = outChannels;
  });
  const side = config.inputSize / 2 ** config.channels.length;
  const flat = side * side * inChannels;
  arrays.dense = { shape: [flat, config.embeddingSize], values: normalDeviates(flat * config.embeddingSize, random, Math.sqrt(1 / flat)) };
  arrays.denseBias = { shape: [config.embeddingSize], values: new Float32Array(config.embeddingSize) };
  return arrays;
}

/** conv -> ReLU -> max-pool per stage, flatten, dense, L2 norm (the unit hypersphere of FaceNet sec. 3.1). */
export function convEmbedderForward(config: ConvEmbedderConfig, weights: Record<string, tf.Tensor>, images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let x: tf.Tensor4D = tf.sub(images, 0.5);
    config.channels.forEach((_, stage) => {
      const conv = tf.add((stage === 0 ? firstConv2dSame : conv2dSame)(x, weights[`conv${stage}`]), weights[`bias${stage}`]);
      x = tf.maxPool(tf.relu(conv) as tf.Tensor4D, 2, 2, 'valid');
    });
    const flat = tf.reshape(x, [images.shape[0], -1]) as tf.Tensor2D;
    return l2NormaliseRows(tf.add(matMulPlain(flat, weights.dense), weights.denseBias) as tf.Tensor2D);
  });
}

export interface ConvTrainOptions {
  steps: number;
  learningRate: number;
  peoplePerBatch: number;
  facesPerPerson: number;
  extraNegatives: number;
  margin: number;
  mining: MiningStrategy;
  channels: number[];
  embeddingSize: number;
  seed: number;
}

export const DEFAULT_CONV_TRAIN_OPTIONS: ConvTrainOptions = {
  steps: CONV_EMBEDDER_DEFAULTS.steps,
  learningRate: CONV_EMBEDDER_DEFAULTS.learningRate,
  peoplePerBatch: CONV_EMBEDDER_DEFAULTS.peoplePerBatch,
  facesPerPerson: CONV_EMBEDDER_DEFAULTS.facesPerPerson,
  extraNegatives: 0,
  margin: TRAIN_DEFAULTS.margin,
  mining: 'semiHard',
  channels: [...CONV_EMBEDDER_DEFAULTS.channels],
  embeddingSize: CONV_EMBEDDER_DEFAULTS.embeddingSize,
  seed: 1,
};

/** A freshly initialised (untrained) embedder: the baseline the trained one is compared with. */
export function createConvEmbedder(inputSize: number, options: Partial<ConvTrainOptions> = {}): ConvEmbedder {
  const settings = { ...DEFAULT_CONV_TRAIN_OPTIONS, ...options };
  const config: ConvEmbedderConfig = { inputSize, channels: settings.channels.slice(), embeddingSize: settings.embeddingSize };
  if (inputSize % 2 ** config.channels.length !== 0) throw new Error(`input size ${inputSize} is not a multiple of ${2 ** config.channels.length}`);
  const packed = packWeights(initialConvWeights(config, seededRandom(settings.seed + 1)));
  return { config, weights: packed.data, specs: packed.specs };
}

export interface ConvTrainResult {
  embedder: ConvEmbedder;
  history: TrainProgress[];
  seconds: number;
}

export async function trainConvEmbedder(crops: LabelledCrops, options: Partial<ConvTrainOptions> = {}, hooks: TrainHooks = {}): Promise<ConvTrainResult> {
  const settings = { ...DEFAULT_CONV_TRAIN_OPTIONS, ...options };
  const started = performance.now();
  const pixelsPerCrop = crops.size * crops.size * 3;
  if (crops.pixels.length !== crops.labels.length * pixelsPerCrop) throw new Error(`${crops.pixels.length} pixel values for ${crops.labels.length} crops of ${crops.size}x${crops.size}x3`);
  const { codes } = encodeLabels(crops.labels);
  const sampler = new IdentityBatchSampler(codes, settings, settings.seed);
  if (sampler.people.length < 2) throw new Error('triplet training needs at least two people with two or more crops');
  const initial = createConvEmbedder(crops.size, settings);
  const weights = toVariables(unpackWeights({ data: initial.weights, specs: initial.specs }));
  const variables = Object.values(weights);
  const optimizer = tf.train.adam(settings.learningRate);
  const history: TrainProgress[] = [];
  try {
    for (let step = 1; step <= settings.steps; step++) {
      if (hooks.signal?.aborted) throw hooks.signal.reason instanceof Error ? hooks.signal.reason : new DOMException('training cancelled', 'AbortError');
      const batch = sampler.next();
      const images = tf.tensor4d(selectRows(crops.pixels, pixelsPerCrop, batch.indices), [batch.indices.length, crops.size, crops.size, 3]);
      try {
        const result = await tripletStep(optimizer, () => convEmbedderForward(initial.config, weights, images), batch.labels, settings, variables);
        const progress = { step, steps: settings.steps, ...result };
        history.push(progress);
        hooks.onProgress?.(progress);
      } finally {
        images.dispose();
      }
    }
    const packed = packWeights(await fromVariables(weights));
    return { embedder: { config: initial.config, weights: packed.data, specs: packed.specs }, history, seconds: (performance.now() - started) / 1000 };
  } finally {
    optimizer.dispose();
    disposeVariables(weights);
  }
}

/** Crops processed per tfjs call. */
const EMBED_CHUNK = 64;

/** Unit-length embeddings (N x embeddingSize, row-major) of crops in 0..1. */
export function embedCrops(embedder: ConvEmbedder, pixels: Float32Array): Float32Array {
  const { inputSize, embeddingSize } = embedder.config;
  const pixelsPerCrop = inputSize * inputSize * 3;
  const count = pixels.length / pixelsPerCrop;
  if (!Number.isInteger(count)) throw new Error(`pixel count ${pixels.length} is not a whole number of ${inputSize}x${inputSize}x3 crops`);
  const arrays = unpackWeights({ data: embedder.weights, specs: embedder.specs });
  const weights: Record<string, tf.Tensor> = {};
  for (const [name, { shape, values }] of Object.entries(arrays)) weights[name] = tf.tensor(values, shape);
  const out = new Float32Array(count * embeddingSize);
  try {
    for (let start = 0; start < count; start += EMBED_CHUNK) {
      const n = Math.min(EMBED_CHUNK, count - start);
      const embedded = tf.tidy(() =>
        convEmbedderForward(embedder.config, weights, tf.tensor4d(pixels.subarray(start * pixelsPerCrop, (start + n) * pixelsPerCrop), [n, inputSize, inputSize, 3])),
      );
      out.set(embedded.dataSync() as Float32Array, start * embeddingSize);
      embedded.dispose();
    }
  } finally {
    for (const tensor of Object.values(weights)) tensor.dispose();
  }
  return out;
}
