// Personalise: one training run at a time on a worker thread, over the faces of the library's people
// (faces of nobody serve as negatives); the trained head is stored, and adopted only when the user says so.
import { randomBytes } from 'node:crypto';
import type { TrainProgress, TrainResult, TrainState } from '../../shared/api.ts';
import { ApiError } from '../../shared/rpc.ts';
import type { Catalog } from '../engine/catalog/catalog.ts';
import type { ApiEvents } from './events.ts';
import { liveEmbeddings, personOfFace } from './face-map.ts';
import type { TrainJobData, TrainJobProgress, TrainJobResult } from './train-worker.ts';
import { runWorkerJob } from './worker-job.ts';

/** Progress points kept for the loss curve; older ones are thinned so a long run stays cheap to send. */
const HISTORY_POINTS = 1000;
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export class TrainingService {
  private state: TrainState = { running: false, jobId: null, loss: null, history: [], result: null, error: null, adoptedAdapterId: null };
  private abort: AbortController | null = null;
  private job: Promise<void> | null = null;

  constructor(
    private readonly catalog: Catalog,
    private readonly events: ApiEvents,
    private readonly modelId: () => string,
  ) {}

  status(): TrainState {
    return { ...this.state, adoptedAdapterId: this.catalog.adoptedAdapter(this.modelId())?.id ?? null };
  }

  start(loss: 'triplet' | 'center', steps?: number): { jobId: string } {
    if (this.state.running) throw new ApiError('CONFLICT', 'a training run is already in progress');
    const modelId = this.modelId();
    const { faceIds, vectors, dim } = liveEmbeddings(this.catalog, modelId);
    const owner = personOfFace(this.catalog);
    const labels = faceIds.map((f) => (owner.has(f) ? String(owner.get(f)) : null));
    const people = new Set(labels.filter((l) => l !== null));
    if (people.size < 2) throw new ApiError('UNAVAILABLE', 'training needs at least two people with faces; index photos and name people first');
    const jobId = randomBytes(8).toString('hex');
    this.state = { running: true, jobId, loss, history: [], result: null, error: null, adoptedAdapterId: null };
    const abort = (this.abort = new AbortController());
    const data: TrainJobData = { vectors, dim, labels, loss, steps, seed: 1, embeddingModelId: modelId };
    this.job = runWorkerJob<TrainJobProgress, TrainJobResult>('train-worker', data, {
      signal: abort.signal,
      onProgress: (p) => this.progress({ jobId, ...p, loss: Number.isFinite(p.loss) ? p.loss : 0 }),
    })
      .then((r) => this.finished(jobId, loss, modelId, r))
      .catch((err: Error) => {
        const error = err.name === 'AbortError' ? 'cancelled' : err.message;
        this.state = { ...this.state, running: false, error };
        this.events.emit('train.done', { jobId, result: null, error });
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

  adopt(adapterId: number): void {
    this.catalog.adoptAdapter(this.modelId(), adapterId);
  }

  discard(adapterId: number): void {
    if (this.catalog.adoptedAdapter(this.modelId())?.id === adapterId) this.catalog.adoptAdapter(this.modelId(), null);
    if (this.state.result?.adapterId === adapterId) this.state = { ...this.state, result: null };
  }

  async close(): Promise<void> {
    this.cancel();
    await this.job;
  }

  private progress(p: TrainProgress): void {
    const history = this.state.history;
    history.push(p);
    if (history.length > HISTORY_POINTS) this.state.history = history.filter((_, i) => i % 2 === 0);
    this.events.emit('train.progress', p);
  }

  private finished(jobId: string, loss: 'triplet' | 'center', modelId: string, r: TrainJobResult): void {
    const adapterId = this.catalog.saveAdapter({
      modelId,
      loss,
      weights: r.weights,
      // The shape the engine's adapter loader reads back (people/adapter-transform.ts): meta text + report.
      metrics: { meta: r.meta, report: r.report },
    });
    const metrics = (m: { identification: number; verification: number }) => ({ identification: finiteOrNull(m.identification), verification: finiteOrNull(m.verification) });
    const result: TrainResult = {
      jobId, loss, adapterId, before: metrics(r.before), after: metrics(r.after), recommended: r.recommended, reasons: r.reasons, seconds: r.seconds, steps: r.steps,
    };
    this.state = { ...this.state, running: false, result };
    this.events.emit('train.done', { jobId, result, error: null });
  }
}
