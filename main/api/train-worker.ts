// Worker thread of a Personalise run, on its own connection to the catalog: the engine's library training
// (confirmed faces, guardrail split, stored head, adopted only when held-out accuracy improves), each
// step's loss posted as it goes. Re-grouping people after an adoption is the caller's (a people job).
import { parentPort, workerData } from 'node:worker_threads';
import { Catalog } from '../engine/library/catalog/catalog.ts';
import { trainOnLibrary } from '../engine/train/library.ts';
import type { AdapterLoss } from '../engine/train/index.ts';
import type { JobMessage } from './worker-job.ts';

export interface TrainJobData {
  dbFile: string;
  modelId: string;
  loss: AdapterLoss;
  steps?: number;
  seed: number;
}

export interface TrainJobProgress {
  step: number;
  steps: number;
  loss: number;
}

type Metrics = { identification: number; verification: number };

export interface TrainJobResult {
  adapterId: number;
  adopted: boolean;
  reasons: string[];
  before: Metrics;
  after: Metrics;
  seconds: number;
  steps: number;
}

const job = workerData as TrainJobData;
const post = (m: JobMessage<TrainJobProgress, TrainJobResult>): void => parentPort!.postMessage(m);
let answer: JobMessage<TrainJobProgress, TrainJobResult>;
const catalog = new Catalog(job.dbFile);
try {
  let steps = 0;
  const r = await trainOnLibrary(catalog, job.modelId, { loss: job.loss, seed: job.seed, ...(job.steps ? { steps: job.steps } : {}) }, {
    onProgress: (p) => {
      steps = p.step;
      post({ type: 'progress', progress: { step: p.step, steps: p.steps, loss: p.loss } });
    },
  });
  const pick = (m: Metrics): Metrics => ({ identification: m.identification, verification: m.verification });
  answer = {
    type: 'done',
    result: { adapterId: r.adapterId, adopted: r.adopted, reasons: r.report.reasons, before: pick(r.report.before.heldOut), after: pick(r.report.after.heldOut), seconds: r.seconds, steps },
  };
} catch (err) {
  answer = { type: 'error', message: (err as Error).message ?? String(err) };
} finally {
  // Closed before the answer: the caller terminates this thread on it (see people-worker.ts).
  catalog.close();
}
post(answer);
