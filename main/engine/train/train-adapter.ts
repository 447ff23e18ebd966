// Trains the adapter head over frozen embeddings with the triplet or the center loss (Adam, one batch per step).
import { l2NormalisedRows } from '../math/vectors.ts';
import { tf } from '../face/backend.ts';
import { adapterForward, identityDeviation, initialAdapterWeights, makeAdapter, type Adapter, type AdapterKind, type AdapterLoss } from './adapter.ts';
import { centerLoss, classMeans, updateCenters, type SoftmaxClassifier } from './center-loss.ts';
import { TRAIN_DEFAULTS } from './constants.ts';
import { checkEmbeddings, encodeLabels, selectRows, type LabelledEmbeddings } from './dataset.ts';
import type { MiningStrategy } from './mining.ts';
import { normalDeviates, seededRandom } from '../math/random.ts';
import { IdentityBatchSampler } from './sampler.ts';
import { tripletStep } from './triplet-step.ts';
import { disposeVariables, fromVariables, toVariables } from './weights.ts';

export interface TrainOptions {
  loss: AdapterLoss;
  mining: MiningStrategy;
  margin: number;
  steps: number;
  learningRate: number;
  peoplePerBatch: number;
  facesPerPerson: number;
  extraNegatives: number;
  adapterKind: AdapterKind;
  residualHiddenRatio: number;
  identityDecay: number;
  centerLambda: number;
  centerAlpha: number;
  softmaxScale: number;
  seed: number;
  embeddingModelId: string;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  loss: 'triplet',
  mining: 'semiHard',
  margin: TRAIN_DEFAULTS.margin,
  steps: TRAIN_DEFAULTS.steps,
  learningRate: TRAIN_DEFAULTS.learningRate,
  peoplePerBatch: TRAIN_DEFAULTS.peoplePerBatch,
  facesPerPerson: TRAIN_DEFAULTS.facesPerPerson,
  extraNegatives: TRAIN_DEFAULTS.extraNegatives,
  adapterKind: 'linear',
  residualHiddenRatio: TRAIN_DEFAULTS.residualHiddenRatio,
  identityDecay: TRAIN_DEFAULTS.identityDecay,
  centerLambda: TRAIN_DEFAULTS.centerLambda,
  centerAlpha: TRAIN_DEFAULTS.centerAlpha,
  softmaxScale: TRAIN_DEFAULTS.softmaxScale,
  seed: 1,
  embeddingModelId: 'unknown',
};

export interface TrainProgress {
  step: number;
  steps: number;
  /** Triplet: mean loss over active triplets; center: L_S + lambda L_C per face (before this step's update). */
  loss: number;
  /** Triplet only: active triplets over mined triplets. */
  activeFraction?: number;
  triplets?: number;
  /** Center only: the two terms of the center-loss objective. */
  softmaxLoss?: number;
  centerLoss?: number;
}

export interface TrainHooks {
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface TrainResult {
  adapter: Adapter;
  history: TrainProgress[];
  seconds: number;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('training cancelled', 'AbortError');
}

/**
 * Trains a head on `data` (faces of several people; unlabelled faces serve as negatives). Throws an
 * AbortError when `hooks.signal` aborts; every tensor it made is released either way.
 */
export async function trainAdapter(data: LabelledEmbeddings, options: Partial<TrainOptions> = {}, hooks: TrainHooks = {}): Promise<TrainResult> {
  const settings: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  checkEmbeddings(data);
  const started = performance.now();
  const { dim } = data;
  const { codes, names } = encodeLabels(data.labels);
  const vectors = l2NormalisedRows(data.vectors, data.vectors.length / dim, dim);
  const sampler = new IdentityBatchSampler(codes, settings, settings.seed);
  if (sampler.people.length < 2 && settings.loss === 'triplet') throw new Error('triplet training needs at least two people with two or more faces');
  if (names.length < 2) throw new Error('training needs at least two labelled people');

  const random = seededRandom(settings.seed + 1);
  const hidden = settings.adapterKind === 'residual' ? Math.max(1, Math.round(dim * settings.residualHiddenRatio)) : 0;
  const weights = toVariables(initialAdapterWeights(settings.adapterKind, dim, hidden, random));
  const classes = names.length;
  const classifierWeights =
    settings.loss === 'center'
      ? toVariables({
          weights: { shape: [dim, classes], values: normalDeviates(dim * classes, random, Math.sqrt(1 / dim)) },
          bias: { shape: [classes], values: new Float32Array(classes) },
        })
      : {};
  const classifier: SoftmaxClassifier | null =
    settings.loss === 'center' ? { weights: classifierWeights.weights as tf.Variable<tf.Rank.R2>, bias: classifierWeights.bias as tf.Variable<tf.Rank.R1>, scale: settings.softmaxScale } : null;
  // The head is the identity at step 0, so the unit input vectors are where each class starts.
  let centers = settings.loss === 'center' ? classMeans(vectors, dim, codes, classes) : new Float32Array(0);
  const optimizer = tf.train.adam(settings.learningRate);
  const variables = [...Object.values(weights), ...Object.values(classifierWeights)];
  const history: TrainProgress[] = [];
  const forward = (x: tf.Tensor2D) => adapterForward(settings.adapterKind, weights, x);
  const decay = (): tf.Scalar => tf.mul(identityDeviation(settings.adapterKind, weights), settings.identityDecay);

  try {
    for (let step = 1; step <= settings.steps; step++) {
      if (hooks.signal?.aborted) throw abortError(hooks.signal);
      const batch = sampler.next();
      const size = batch.indices.length;
      const x = tf.tensor2d(selectRows(vectors, dim, batch.indices), [size, dim]);
      let progress: TrainProgress;
      try {
        if (classifier) {
          const features = tf.tidy(() => forward(x));
          const featureValues = (await features.data()) as Float32Array;
          const terms = centerLoss(features, batch.labels, classifier, centers, settings.centerLambda);
          const [total, softmax, center] = await Promise.all([terms.total.data(), terms.softmax.data(), terms.center.data()]);
          tf.dispose([features, terms.total, terms.softmax, terms.center]);
          optimizer.minimize(() => tf.add(centerLoss(forward(x), batch.labels, classifier, centers, settings.centerLambda).total, decay()) as tf.Scalar, false, variables);
          centers = updateCenters(centers, dim, featureValues, batch.labels, settings.centerAlpha);
          progress = { step, steps: settings.steps, loss: total[0], softmaxLoss: softmax[0], centerLoss: center[0] };
        } else {
          const result = await tripletStep(optimizer, () => forward(x), batch.labels, settings, variables, decay);
          progress = { step, steps: settings.steps, ...result };
        }
      } finally {
        x.dispose();
      }
      history.push(progress);
      hooks.onProgress?.(progress);
    }
    const arrays = await fromVariables(weights);
    const adapter = makeAdapter(arrays, {
      embeddingModelId: settings.embeddingModelId,
      kind: settings.adapterKind,
      dim,
      hidden,
      loss: settings.loss,
      settings: { ...settings },
      steps: settings.steps,
      trainedAt: new Date().toISOString(),
    });
    return { adapter, history, seconds: (performance.now() - started) / 1000 };
  } finally {
    optimizer.dispose();
    disposeVariables(weights);
    disposeVariables(classifierWeights);
  }
}
