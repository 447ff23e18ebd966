// The paper's full pipeline, end to end: a small convolutional embedder trained from aligned face crops with
// triplet loss (FaceNet, Schroff et al. 2015), evaluated on held-out crops of the trained people and on
// people never trained on, against the same network before training.
import { GUARDRAIL_DEFAULTS } from '../../../shared/settings.ts';
import { embedCrops, createConvEmbedder, trainConvEmbedder, type ConvTrainOptions, type LabelledCrops } from './conv-embedder.ts';
import { evaluateSplit, splitForGuardrail, type SplitMetrics } from './guardrail.ts';
import type { TrainHooks } from './train-adapter.ts';

export interface EndToEndResult {
  before: { identification: number; verification: number };
  after: { identification: number; verification: number };
  untrained: { before: { identification: number; verification: number }; after: { identification: number; verification: number } } | null;
  steps: number;
  seconds: number;
  crops: number;
  size: number;
}

const pick = (m: SplitMetrics['heldOut']) => ({ identification: m.identification, verification: m.verification });

export async function evalEndToEnd(crops: LabelledCrops, options: Partial<ConvTrainOptions> & { seed: number }, hooks: TrainHooks = {}): Promise<EndToEndResult> {
  const started = performance.now();
  const split = splitForGuardrail(crops.labels, GUARDRAIL_DEFAULTS, options.seed);
  const per = crops.size * crops.size * 3;
  const trainCrops: LabelledCrops = {
    size: crops.size,
    pixels: new Float32Array(split.train.length * per),
    labels: split.train.map((i) => crops.labels[i]),
  };
  split.train.forEach((i, k) => trainCrops.pixels.set(crops.pixels.subarray(i * per, (i + 1) * per), k * per));
  const initial = createConvEmbedder(crops.size, options);
  const trained = await trainConvEmbedder(trainCrops, options, hooks);
  const evaluate = (vectors: Float32Array) => evaluateSplit({ vectors, dim: trained.embedder.config.embeddingSize, labels: crops.labels }, split, null, GUARDRAIL_DEFAULTS.folds, options.seed);
  const before = evaluate(embedCrops(initial, crops.pixels));
  const after = evaluate(embedCrops(trained.embedder, crops.pixels));
  return {
    before: pick(before.heldOut),
    after: pick(after.heldOut),
    untrained: before.untrained && after.untrained ? { before: pick(before.untrained), after: pick(after.untrained) } : null,
    steps: trained.history.length,
    seconds: (performance.now() - started) / 1000,
    crops: crops.labels.length,
    size: crops.size,
  };
}
