// The training library's public surface: losses, mining, sampler, adapter head, guardrail, eval, end-to-end embedder.
export { TRAIN_DEFAULTS, GUARDRAIL_DEFAULTS, CONV_EMBEDDER_DEFAULTS } from './constants.ts';
export { encodeLabels, UNLABELLED, type LabelledEmbeddings } from './dataset.ts';
export { l2NormaliseRows, squaredDistanceMatrix } from './distances.ts';
export { semiHardTriplets, batchHardTriplets, mineTriplets, type MiningStrategy, type TripletSet } from './mining.ts';
export { tripletLoss, tripletLossSum, tripletActivity, type TripletActivity } from './triplet-loss.ts';
export { centerLoss, updateCenters, classMeans, type SoftmaxClassifier, type CenterLossTerms } from './center-loss.ts';
export { IdentityBatchSampler, type BatchShape, type FaceBatch } from './sampler.ts';
export {
  applyAdapter,
  serializeAdapter,
  deserializeAdapter,
  ADAPTER_FORMAT,
  type Adapter,
  type AdapterMeta,
  type AdapterKind,
  type AdapterLoss,
  type SerializedAdapter,
} from './adapter.ts';
export { trainAdapter, DEFAULT_TRAIN_OPTIONS, type TrainOptions, type TrainProgress, type TrainHooks, type TrainResult } from './train-adapter.ts';
export {
  trainAndEvaluate,
  splitForGuardrail,
  evaluateSplit,
  decideAdoption,
  DEFAULT_GUARDRAIL_OPTIONS,
  type GuardrailOptions,
  type GuardrailReport,
  type GuardrailSplit,
  type TrainAndEvaluateResult,
} from './guardrail.ts';
export { evaluateEmbeddings, verificationAccuracy, identificationAccuracy, type FaceMetrics } from './metrics.ts';
export { evalTrain, type EvalTrainInput, type EvalTrainOptions, type EvalTrainResult } from './eval-train.ts';
export {
  trainConvEmbedder,
  createConvEmbedder,
  embedCrops,
  type ConvEmbedder,
  type ConvEmbedderConfig,
  type ConvTrainOptions,
  type LabelledCrops,
} from './conv-embedder.ts';
export { syntheticEmbeddings, syntheticCrops } from './synthetic.ts';
