// Projects face embeddings to a 2-D map (UMAP or t-SNE), sampling large libraries, in-thread or in a worker.
import { startWorker, workerEntry } from '../workers.ts';
import { MAP_NEIGHBOURS, MAX_FIT, PLACEMENT_BATCH, PLACEMENT_NEIGHBOURS, UMAP_PLACEMENT, YIELD_INTERVAL_MS } from './constants.ts';
import { findNeighbours, NeighbourIndex } from '../math/neighbours.ts';
import { normaliseLayout } from './layout.ts';
import { placeByNeighbours } from './placement.ts';
import { fitSample } from './sample.ts';
import { BarnesHutTsne, defaultTsneSettings, tsneNeighbourCount, type TsneSettings } from './tsne.ts';
import { defaultUmapSettings, UmapFit, umapNeighbourCount, type UmapSettings } from './umap.ts';
import { l2NormalisedRows, selectRows } from '../math/vectors.ts';

export type ProjectionMethod = 'umap' | 'tsne';

export interface ProjectOptions {
  method: ProjectionMethod;
  seed: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Most faces fitted directly (default MAX_FIT[method]); the rest are placed against the fit. */
  maxFit?: number;
  /** A group label per face (e.g. person id) to stratify the fitted sample; random sample without. */
  groups?: ArrayLike<number>;
  umap?: Partial<UmapSettings>;
  tsne?: Partial<TsneSettings>;
  /** How UMAP places faces left out of a sampled fit (default UMAP_PLACEMENT); t-SNE always uses the neighbour median. */
  umapPlacement?: Placement;
}

/** umap-js `transform`, or the weighted median of the nearest fitted faces' positions (placement.ts). */
export type Placement = 'transform' | 'neighbour-median';

export function placementFor(options: Pick<ProjectOptions, 'method' | 'umapPlacement'>): Placement {
  return options.method === 'umap' ? (options.umapPlacement ?? UMAP_PLACEMENT) : 'neighbour-median';
}

/** Options that can cross to a worker (no callbacks, no signal). */
export type WorkerProjectOptions = Omit<ProjectOptions, 'onProgress' | 'signal' | 'groups'> & {
  groups?: Int32Array | number[];
};

/** How many faces a projection of n faces fits directly; fewer than n means sample + placement. */
export function fitSize(n: number, method: ProjectionMethod, maxFit?: number): number {
  return Math.min(n, Math.max(3, maxFit ?? MAX_FIT[method]));
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The projection was aborted', 'AbortError');
}

/** Reports progress and lets the event loop run (so an abort can arrive) every YIELD_INTERVAL_MS. */
class Pacer {
  private last = performance.now();
  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: ((fraction: number) => void) | undefined,
  ) {}

  check(): void {
    if (this.signal?.aborted) throw abortError(this.signal);
  }

  async tick(fraction: number, force = false): Promise<void> {
    const now = performance.now();
    if (!force && now - this.last < YIELD_INTERVAL_MS) return;
    this.last = now;
    this.onProgress?.(Math.min(1, Math.max(0, fraction)));
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.check();
  }
}

/** Progress share of each phase: neighbours, fit, placement of the faces left out. */
function phases(sampled: boolean): { neighbours: number; fit: number; place: number } {
  return sampled ? { neighbours: 0.1, fit: 0.6, place: 0.3 } : { neighbours: 0.15, fit: 0.85, place: 0 };
}

/**
 * 2-D map of n embeddings (row-major n x dim, L2-normalised here), n x 2, normalised into
 * [-MAP_EXTENT, MAP_EXTENT]. Deterministic for a seed. Runs on the calling thread, yielding regularly;
 * use `projectInWorker` to keep the thread free.
 */
export async function project(vectors: Float32Array, n: number, dim: number, options: ProjectOptions): Promise<Float32Array> {
  const pacer = new Pacer(options.signal, options.onProgress);
  pacer.check();
  if (n < 3) {
    // Too few points for a neighbourhood graph: the origin, or the two ends of the x axis.
    const out = new Float32Array(n * 2);
    if (n === 2) out.set([-1, 0, 1, 0]);
    options.onProgress?.(1);
    return normaliseLayout(out, n);
  }
  const unit = l2NormalisedRows(vectors, n, dim);
  const sample = fitSample(n, fitSize(n, options.method, options.maxFit), options.seed, options.groups);
  const sampled = sample.rest.length > 0;
  const share = phases(sampled);
  const fittedVectors = sampled ? selectRows(unit, dim, sample.fitted) : unit;
  const fittedCount = sample.fitted.length;
  const restVectors = selectRows(unit, dim, sample.rest);
  const restCount = sample.rest.length;

  await pacer.tick(0, true);
  let fitted: Float32Array;
  let transformer: UmapFit | null = null;
  if (options.method === 'umap') {
    const settings = { ...defaultUmapSettings, ...options.umap };
    const graph = findNeighbours(fittedVectors, fittedCount, dim, umapNeighbourCount(settings, fittedCount), MAP_NEIGHBOURS, { seed: options.seed });
    await pacer.tick(share.neighbours, true);
    const fit = new UmapFit(fittedVectors, fittedCount, dim, graph, options.seed, settings);
    while (!fit.done) {
      fit.step();
      await pacer.tick(share.neighbours + (share.fit * fit.completedEpochs) / fit.epochs);
    }
    fitted = fit.positions();
    transformer = fit;
  } else {
    const settings = { ...defaultTsneSettings, ...options.tsne };
    const graph = findNeighbours(fittedVectors, fittedCount, dim, tsneNeighbourCount(settings.perplexity, fittedCount), MAP_NEIGHBOURS, { seed: options.seed });
    await pacer.tick(share.neighbours, true);
    const run = new BarnesHutTsne(graph, options.seed, settings);
    while (!run.done) {
      run.step();
      await pacer.tick(share.neighbours + (share.fit * run.completedIterations) / run.iterations);
    }
    fitted = run.positions();
  }

  const placement = placementFor(options);
  const placed = new Float32Array(restCount * 2);
  const index = placement === 'neighbour-median' ? new NeighbourIndex(fittedVectors, fittedCount, dim, MAP_NEIGHBOURS, options.seed) : null;
  for (let start = 0; start < restCount; start += PLACEMENT_BATCH) {
    const count = Math.min(PLACEMENT_BATCH, restCount - start);
    const batch = restVectors.subarray(start * dim, (start + count) * dim);
    if (index) {
      placed.set(placeByNeighbours(index.query(batch, count, PLACEMENT_NEIGHBOURS, restCount), fitted), start * 2);
    } else {
      placed.set(transformer!.transform(batch, count, restCount), start * 2);
    }
    await pacer.tick(share.neighbours + share.fit + (share.place * (start + count)) / restCount, true);
  }

  const coordinates = new Float32Array(n * 2);
  for (let f = 0; f < fittedCount; f++) coordinates.set(fitted.subarray(2 * f, 2 * f + 2), 2 * sample.fitted[f]);
  for (let r = 0; r < restCount; r++) coordinates.set(placed.subarray(2 * r, 2 * r + 2), 2 * sample.rest[r]);
  options.onProgress?.(1);
  return normaliseLayout(coordinates, n);
}

export interface WorkerRequest {
  vectors: Float32Array;
  n: number;
  dim: number;
  options: WorkerProjectOptions;
}

export type WorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; coordinates: Float32Array }
  | { type: 'error'; message: string; stack?: string };

/**
 * `project` on a worker thread. The input is copied to the worker unless `transferInput` (then the
 * caller's buffer is moved and becomes unusable); the result is transferred back. Aborting the signal
 * terminates the worker at once and rejects with the signal's reason.
 */
export function projectInWorker(
  vectors: Float32Array,
  n: number,
  dim: number,
  options: ProjectOptions & { transferInput?: boolean },
): Promise<Float32Array> {
  const { signal, onProgress, transferInput, groups, ...rest } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const request: WorkerRequest = {
    vectors: transferInput ? vectors : vectors.slice(0, n * dim),
    n,
    dim,
    options: { ...rest, groups: groups ? Int32Array.from(groups) : undefined },
  };

  const transferList = [request.vectors.buffer as ArrayBuffer];
  if (request.options.groups instanceof Int32Array) transferList.push(request.options.groups.buffer as ArrayBuffer);
  const worker = startWorker(workerEntry('projection-worker', import.meta.url), request, transferList);
  return new Promise<Float32Array>((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = () => {
      finish(() => reject(abortError(signal!)));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        if (!settled) onProgress?.(message.fraction);
      } else if (message.type === 'done') {
        finish(() => resolve(message.coordinates));
      } else {
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        finish(() => reject(error));
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`projection worker exited with code ${code} before finishing`))));
  });
}
