// Worker thread of a Personalise run: trains the adapter head with the guardrail split (engine's train
// module) and posts each step's loss, then the serialized head and the before/after report.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../engine/backend.ts';
import { serializeAdapter, trainAndEvaluate, type AdapterLoss } from '../engine/train/index.ts';
import type { JobMessage } from './worker-job.ts';

export interface TrainJobData {
  vectors: Float32Array;
  dim: number;
  labels: (string | null)[];
  loss: AdapterLoss;
  steps?: number;
  seed: number;
  embeddingModelId: string;
}

export interface TrainJobProgress {
  step: number;
  steps: number;
  loss: number;
}

export interface TrainJobResult {
  weights: Uint8Array;
  meta: string;
  before: { identification: number; verification: number };
  after: { identification: number; verification: number };
  recommended: boolean;
  reasons: string[];
  /** The guardrail's whole report (plain data), stored with the head. */
  report: unknown;
  seconds: number;
  steps: number;
}

const job = workerData as TrainJobData;
const post = (m: JobMessage<TrainJobProgress, TrainJobResult>): void => parentPort!.postMessage(m);

try {
  await initBackend();
  const started = performance.now();
  const { adapter, report, training } = await trainAndEvaluate(
    { vectors: job.vectors, dim: job.dim, labels: job.labels },
    { loss: job.loss, seed: job.seed, embeddingModelId: job.embeddingModelId, ...(job.steps ? { steps: job.steps } : {}) },
    { onProgress: (p) => post({ type: 'progress', progress: { step: p.step, steps: p.steps, loss: p.loss } }) },
  );
  const { weights, meta } = serializeAdapter(adapter);
  const pick = (m: { identification: number; verification: number }) => ({ identification: m.identification, verification: m.verification });
  post({
    type: 'done',
    result: {
      weights,
      meta,
      before: pick(report.before.heldOut),
      after: pick(report.after.heldOut),
      recommended: report.adopted,
      reasons: report.reasons,
      report,
      seconds: (performance.now() - started) / 1000,
      steps: training.history.length,
    },
  });
} catch (err) {
  post({ type: 'error', message: (err as Error).message ?? String(err) });
}
