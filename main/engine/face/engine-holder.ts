// Starts the face engine (a pool of worker threads) the first time it is needed, with the current
// settings, and replaces it when the detector, embedder or worker count change.
import os from 'node:os';
import { createFaceEngine, type FaceEngine, type FaceEngineOptions } from './engine.ts';
import type { Settings } from '../../../shared/api.ts';
import { maxWorkers } from '../../../shared/settings.ts';

/** This machine's bound on inference workers (cores and memory). */
export function machineMaxWorkers(): number {
  return maxWorkers(os.availableParallelism(), os.totalmem());
}

export class EngineHolder {
  private engine: Promise<FaceEngine> | null = null;
  private settings: Settings;

  constructor(settings: Settings, private readonly base: FaceEngineOptions = {}) {
    this.settings = settings;
  }

  get started(): boolean {
    return this.engine !== null;
  }

  get(): Promise<FaceEngine> {
    if (!this.engine) {
      const s = this.settings;
      this.engine = createFaceEngine({ ...this.base, detector: s.detector, embedder: s.embedder, workers: this.workers() });
      // A failed start is not cached: the next call tries again (e.g. after the user fixes a setting).
      this.engine.catch(() => (this.engine = null));
    }
    return this.engine;
  }

  /**
   * Workers: the host's explicit choice (`serve --workers`) first, else the setting (0 = the engine's
   * default, one per core); a setting stored above this machine's bound (an older version, another
   * machine) is lowered to it.
   */
  workers(): number | undefined {
    if (this.base.workers !== undefined) return this.base.workers;
    return this.settings.workers ? Math.min(this.settings.workers, machineMaxWorkers()) : undefined;
  }

  /** New settings; the running engine is closed once the caller no longer needs it (next get() starts anew). */
  async configure(settings: Settings): Promise<void> {
    const changed = settings.detector !== this.settings.detector || settings.embedder !== this.settings.embedder || settings.workers !== this.settings.workers;
    this.settings = settings;
    if (changed) await this.close();
  }

  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    if (engine) await engine.then((e) => e.close(), () => undefined);
  }
}
