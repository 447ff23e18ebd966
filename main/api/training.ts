// Personalise: one training run at a time on a worker thread (the engine's library training), its loss
// curve and result kept for the view; the user can still adopt a head the guardrail kept aside, or
// discard the adopted one. Either way people are re-grouped in the space now in use.
import { randomBytes } from 'node:crypto';
import type { TrainProgress, TrainResult, TrainState } from '../../shared/api.ts';
import { ApiError } from '../../shared/rpc.ts';
import type { Catalog } from '../engine/library/catalog/catalog.ts';
import type { ApiEvents } from './events.ts';
import type { TrainJobData, TrainJobProgress, TrainJobResult } from './train-worker.ts';
import { runWorkerJob } from './worker-job.ts';

/** Progress points kept for the loss curve; beyond it every other one is dropped, so a long run stays cheap to send. */
const HISTORY_POINTS = 1000;
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export interface TrainingOptions {
  catalog: Catalog;
  dbFile: string;
  events: ApiEvents;
  modelId: () => string;
  /** After the space faces are grouped in changed (adopt, discard, an adopted run): re-open and re-group people. */
  regroup: (reason: string) => Promise<void>;
}

export class TrainingService {
  private state: TrainState = { running: false, jobId: null, loss: null, history: [], result: null, error: null, adoptedAdapterId: null };
  private abort: AbortController | null = null;
  private job: Promise<void> | null = null;

  constructor(private readonly o: TrainingOptions) {}

  status(): TrainState {
    return { ...this.state, adoptedAdapterId: this.o.catalog.adapters.adopted(this.o.modelId())?.id ?? null };
  }

  start(loss: 'triplet' | 'center', steps?: number): { jobId: string } {
    if (this.state.running) throw new ApiError('CONFLICT', 'a training run is already in progress');
    const jobId = randomBytes(8).toString('hex');
    this.state = { running: true, jobId, loss, history: [], result: null, error: null, adoptedAdapterId: null };
    const abort = (this.abort = new AbortController());
    const data: TrainJobData = { dbFile: this.o.dbFile, modelId: this.o.modelId(), loss, steps, seed: 1 };
    this.job = runWorkerJob<TrainJobProgress, TrainJobResult>('train-worker', data, {
      signal: abort.signal,
      onProgress: (p) => this.progress({ jobId, ...p, loss: Number.isFinite(p.loss) ? p.loss : 0 }),
    })
      .then(async (r) => {
        if (r.adopted) await this.o.regroup('adapter adopted');
        const metrics = (m: { identification: number; verification: number }) => ({ identification: finiteOrNull(m.identification), verification: finiteOrNull(m.verification) });
        const result: TrainResult = { jobId, loss, adapterId: r.adapterId, before: metrics(r.before), after: metrics(r.after), recommended: r.adopted, reasons: r.reasons, seconds: r.seconds, steps: r.steps };
        this.state = { ...this.state, running: false, result };
        this.o.events.emit('train.done', { jobId, result, error: null });
      })
      .catch((err: Error) => {
        const error = err.name === 'AbortError' ? 'cancelled' : err.message;
        this.state = { ...this.state, running: false, error };
        this.o.events.emit('train.done', { jobId, result: null, error });
      })
      .finally(() => {
        this.abort = null;
        this.job = null;
      });
    return { jobId };
  }

  cancel(): void {
    this.abort?.abort();
  }

  async adopt(adapterId: number): Promise<void> {
    if (this.state.running) throw new ApiError('CONFLICT', 'wait for the training run to finish');
    const modelId = this.o.modelId();
    if (!this.o.catalog.adapters.list(modelId).some((a) => a.id === adapterId)) throw new ApiError('NOT_FOUND', `adapter ${adapterId} of ${modelId} does not exist`);
    this.o.catalog.adapters.adopt(modelId, adapterId);
    await this.o.regroup('adapter adopted');
  }

  async discard(adapterId: number): Promise<void> {
    const modelId = this.o.modelId();
    if (this.o.catalog.adapters.adopted(modelId)?.id === adapterId) {
      this.o.catalog.adapters.adopt(modelId, null);
      await this.o.regroup('adapter discarded');
    }
    if (this.state.result?.adapterId === adapterId) this.state = { ...this.state, result: null };
  }

  async close(): Promise<void> {
    this.cancel();
    await this.job;
  }

  private progress(p: TrainProgress): void {
    this.state.history.push(p);
    if (this.state.history.length > HISTORY_POINTS) this.state.history = this.state.history.filter((_, i) => i % 2 === 0);
    this.o.events.emit('train.progress', p);
  }
}
