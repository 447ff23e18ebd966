// `face-atlas eval train`: held-out verification and identification before and after training a head.
import type { AdapterLoss } from './adapter.ts';
import type { LabelledEmbeddings } from './dataset.ts';
import { trainAndEvaluate, type GuardrailOptions, type GuardrailReport } from './guardrail.ts';
import type { TrainHooks, TrainOptions } from './train-adapter.ts';

export interface EvalTrainInput {
  vectors: Float32Array;
  dim: number;
  labels: string[];
}

export type EvalTrainOptions = Partial<Omit<TrainOptions, 'loss' | 'seed'> & GuardrailOptions> & { loss: AdapterLoss; seed: number };

export interface EvalTrainMetrics {
  /** 1-NN identification of held-out faces among all faces of the trained people (0..1). */
  identification: number;
  /** Pair verification accuracy with a 10-fold cross-validated threshold (0..1). */
  verification: number;
}

export interface EvalTrainResult {
  before: EvalTrainMetrics;
  after: EvalTrainMetrics;
  /** The loss trained with. */
  loss: AdapterLoss;
  /** Training loss of the first and of the last 10 steps (mean). */
  trainingLoss: { first: number; last: number };
  seconds: number;
  adopted: boolean;
  reasons: string[];
  /** People never trained on: before and after (null when too few people to leave some out). */
  untrained: { before: EvalTrainMetrics; after: EvalTrainMetrics } | null;
  steps: number;
  report: GuardrailReport;
}

const LAST_STEPS = 10;

function pickMetrics(metrics: { identification: number; verification: number }): EvalTrainMetrics {
  return { identification: metrics.identification, verification: metrics.verification };
}

export async function evalTrain(input: EvalTrainInput, options: EvalTrainOptions, hooks: TrainHooks = {}): Promise<EvalTrainResult> {
  const started = performance.now();
  const data: LabelledEmbeddings = { vectors: input.vectors, dim: input.dim, labels: input.labels };
  const { report, training } = await trainAndEvaluate(data, options, hooks);
  const losses = training.history.map((h) => h.loss);
  const tail = losses.slice(-LAST_STEPS);
  return {
    before: pickMetrics(report.before.heldOut),
    after: pickMetrics(report.after.heldOut),
    loss: options.loss,
    trainingLoss: { first: losses[0] ?? NaN, last: tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : NaN },
    seconds: (performance.now() - started) / 1000,
    adopted: report.adopted,
    reasons: report.reasons,
    untrained:
      report.before.untrained && report.after.untrained ? { before: pickMetrics(report.before.untrained), after: pickMetrics(report.after.untrained) } : null,
    steps: training.history.length,
    report,
  };
}
