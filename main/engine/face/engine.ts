// The face engine: a pool of worker threads, each with its own tfjs, detector and embedder, so inference
// uses every core and never blocks the caller. Photos are queued and handed to the least busy worker.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker, workerEntry } from '../workers.ts';
import { ENGINE_DEFAULTS } from '../../../shared/settings.ts';
import type { BackendInfo } from './backend.ts';
import type { NetBackend } from './nets.ts';
import type { PhotoAnalyseOptions, WorkerRequest, WorkerResponse, WorkerSetup } from './analyse.ts';
import { ImageError, type ImageErrorCode } from './decode.ts';
import { MODEL_INFO, type DetectorId, type EmbedderId } from './models.ts';
import type { PhotoAnalysis } from './types.ts';

export interface FaceEngineOptions {
  workers?: number;
  detector?: DetectorId;
  embedder?: EmbedderId;
  /** Where the networks run ('onnxruntime' or a tfjs backend); unset = the first that works (nets.ts). */
  backend?: NetBackend;
  /** ONNX Runtime intra-op threads per worker; 0 or unset = the cores shared out among the workers. */
  threadsPerWorker?: number;
  /** Folder for exported ONNX graphs (the catalog's cache folder + /models where there is a catalog). */
  modelCacheDir?: string;
  /** Defaults for every analyse call (min face size, thresholds, flip, fallback...). */
  analyse?: PhotoAnalyseOptions;
}

export interface FaceEngine {
  readonly modelId: string;
  readonly detectorId: string;
  readonly workers: number;
  /** ONNX Runtime intra-op threads of each worker. */
  readonly threadsPerWorker: number;
  readonly backend: BackendInfo;
  analysePhoto(input: string | Uint8Array, options?: PhotoAnalyseOptions): Promise<PhotoAnalysis>;
  close(): Promise<void>;
}

export class EngineError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'EngineError';
  }
}

interface Pending {
  resolve: (r: PhotoAnalysis) => void;
  reject: (e: Error) => void;
  request: WorkerRequest;
}

interface Slot {
  /** Unset only between creating the slot and starting its first worker. */
  worker?: Worker;
  busy: number;
  inFlight: Map<number, Pending>;
}

/** Each worker takes at most this many photos at once: one computing, one decoding ahead. */
const PER_WORKER = 2;

function workerUrl(): URL {
  return workerEntry('worker', import.meta.url);
}

function rebuildError(e: { name: string; code?: string; message: string }): Error {
  if (e.name === 'ImageError') return new ImageError(e.code as ImageErrorCode, e.message);
  return new EngineError(e.message, e.code);
}

export async function createFaceEngine(options: FaceEngineOptions = {}): Promise<FaceEngine> {
  const count = Math.max(1, options.workers || ENGINE_DEFAULTS.workers || os.availableParallelism());
  const cores = os.availableParallelism();
  const setup: WorkerSetup = {
    backend: options.backend,
    threads: options.threadsPerWorker || Math.max(1, Math.floor(cores / count)),
    modelCacheDir: options.modelCacheDir,
    detector: options.detector ?? ENGINE_DEFAULTS.detector,
    embedder: options.embedder ?? ENGINE_DEFAULTS.embedder,
  };
  const url = workerUrl();
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const slots: Slot[] = [];

  /**
   * Starts the worker of a slot. A worker that dies (an uncaught error, a wasm abort, out of memory) fails only
   * the photos it held, with WORKER_CRASHED, and is replaced, so one bad photo never stalls the queue.
   */
  function spawn(slot: Slot): Promise<BackendInfo> {
    return new Promise<BackendInfo>((resolve, reject) => {
      const worker = startWorker(url, setup);
      slot.worker = worker;
      let crash: Error | null = null;
      let started = false;
      worker.on('message', (msg: WorkerResponse) => {
        if (msg.id === -1) {
          started = msg.ok;
          if (msg.ok) resolve((msg as { backend: BackendInfo }).backend);
          else reject(new EngineError(`worker failed to start: ${(msg as { error: { message: string } }).error.message}`));
          return;
        }
        const p = slot.inFlight.get(msg.id);
        if (!p) return;
        slot.inFlight.delete(msg.id);
        slot.busy--;
        if (msg.ok) p.resolve((msg as { result: PhotoAnalysis }).result);
        else p.reject(rebuildError((msg as { error: { name: string; code?: string; message: string } }).error));
        pump();
      });
      worker.on('error', (err) => {
        crash = err;
        reject(err);
      });
      worker.on('exit', (code) => {
        if (closed || slot.worker !== worker) return;
        const reason = crash?.message ?? `exit code ${code}`;
        for (const p of slot.inFlight.values()) p.reject(new EngineError(`worker crashed: ${reason}`, 'WORKER_CRASHED'));
        slot.inFlight.clear();
        slot.busy = 0;
        // Replace a worker that was serving; one that never started is reported by createFaceEngine instead.
        if (started) spawn(slot).catch(() => undefined);
        pump();
      });
    });
  }

  let backends: BackendInfo[];
  try {
    backends = await Promise.all(
      Array.from({ length: count }, () => {
        const slot: Slot = { busy: 0, inFlight: new Map() };
        slots.push(slot);
        return spawn(slot);
      }),
    );
  } catch (err) {
    closed = true;
    await Promise.all(slots.map((s) => s.worker?.terminate()));
    throw err;
  }

  function pump(): void {
    while (queue.length) {
      const slot = slots.filter((s) => s.busy < PER_WORKER).sort((a, b) => a.busy - b.busy)[0];
      if (!slot) return;
      const p = queue.shift()!;
      slot.busy++;
      slot.inFlight.set(p.request.id, p);
      slot.worker!.postMessage(p.request);
    }
  }

  const embedInfo = MODEL_INFO[setup.embedder];
  return {
    modelId: embedInfo.modelId,
    detectorId: setup.detector,
    workers: count,
    threadsPerWorker: setup.threads,
    backend: backends[0],
    analysePhoto(input, opts) {
      if (closed) return Promise.reject(new EngineError('engine is closed'));
      return new Promise((resolve, reject) => {
        const request: WorkerRequest = { id: nextId++, input, options: { ...options.analyse, ...opts } };
        queue.push({ resolve, reject, request });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new EngineError('engine closed before the photo was analysed'));
      await Promise.all(slots.map((s) => s.worker?.terminate()));
    },
  };
}
