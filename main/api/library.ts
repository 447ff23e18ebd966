// Library runs for the app: which folders, one index run at a time (a request during a run queues one
// more), pause/resume/cancel, per-folder counts and the failures list. Indexing itself is the engine's
// Indexer, whose photos are analysed in the engine's worker threads.
import { stat } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Failure, Folder, IndexProgress, LibraryStatus } from '../../shared/api.ts';
import { ApiError } from '../../shared/rpc.ts';
import type { Catalog } from '../engine/library/catalog/catalog.ts';
import { Indexer } from '../engine/library/indexer/indexer.ts';
import { systemFoldersInside } from '../engine/library/indexer/scan.ts';
import type { ThumbnailCache } from '../engine/library/thumbs/thumbnail-cache.ts';
import type { EngineHolder } from '../engine/face/engine-holder.ts';
import type { ApiEvents } from './events.ts';

export const IDLE_PROGRESS: IndexProgress = {
  phase: 'idle', found: 0, unchanged: 0, total: 0, done: 0, added: 0, updated: 0, moved: 0, duplicates: 0, failed: 0, retired: 0, faces: 0,
  photosPerSecond: 0, etaSeconds: null, paused: false, elapsedSeconds: 0, running: false,
};

export interface LibraryOptions {
  catalog: Catalog;
  thumbs: ThumbnailCache;
  engine: EngineHolder;
  events: ApiEvents;
  /** Called after each run with the ids of the photos it added or changed (people are updated there). */
  afterRun: (changedPhotoIds: number[]) => Promise<void>;
}

export class LibraryService {
  private progress: IndexProgress = IDLE_PROGRESS;
  private indexer: Indexer | null = null;
  private abort: AbortController | null = null;
  private rerun = false;
  private paused = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly o: LibraryOptions) {}

  get running(): boolean {
    return this.loop !== null;
  }

  /** Resolves when no run is in progress or queued. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  status(): LibraryStatus {
    return { folders: this.folders(), progress: this.progress, stats: this.o.catalog.stats() };
  }

  async addFolder(folder: string): Promise<LibraryStatus> {
    if (!path.isAbsolute(folder)) throw new ApiError('SCHEMA', `not an absolute path: ${folder}`);
    const st = await stat(folder).catch(() => null);
    if (!st) throw new ApiError('NOT_FOUND', `folder not found: ${folder}`);
    if (!st.isDirectory()) throw new ApiError('SCHEMA', `not a folder: ${folder}`);
    this.o.catalog.roots.add(folder);
    this.o.events.emit('library.changed', { reason: 'folder added' });
    this.requestRun();
    const inside = systemFoldersInside(folder);
    if (!inside.length) return this.status();
    return {
      ...this.status(),
      warning: `${path.resolve(folder)} holds the system folders ${inside.join(', ')}: they are never read. Adding a whole disk indexes every picture on it, programs' images too; a photos folder is usually what you want.`,
    };
  }

  rescan(): LibraryStatus {
    this.requestRun();
    return this.status();
  }

  pause(): LibraryStatus {
    this.paused = true;
    this.indexer?.pause();
    this.setProgress({ ...this.progress, paused: true });
    return this.status();
  }

  resume(): LibraryStatus {
    this.paused = false;
    this.indexer?.resume();
    this.setProgress({ ...this.progress, paused: false });
    return this.status();
  }

  cancel(): LibraryStatus {
    this.rerun = false;
    this.abort?.abort();
    return this.status();
  }

  failures(offset: number, limit: number): { total: number; failures: Failure[] } {
    const all = this.o.catalog.photos.failures();
    return {
      total: all.length,
      failures: all.slice(offset, offset + limit).map((p) => ({ photoId: p.id, path: p.path, code: p.errorCode ?? 'UNKNOWN', message: p.errorMessage ?? '' })),
    };
  }

  async close(): Promise<void> {
    this.rerun = false;
    this.abort?.abort();
    this.indexer?.resume();
    await this.idle();
  }

  private folders(): Folder[] {
    const counts = this.o.catalog.roots.counts();
    return this.o.catalog.roots.all().map((r) => ({
      id: r.id,
      path: r.path,
      addedAt: r.addedAt,
      lastScanAt: r.lastScanAt,
      available: existsSync(r.path) && statSync(r.path).isDirectory(),
      photos: counts.get(r.id)?.photos ?? 0,
      failed: counts.get(r.id)?.failed ?? 0,
      faces: counts.get(r.id)?.faces ?? 0,
    }));
  }

  private setProgress(p: IndexProgress): void {
    this.progress = p;
    this.o.events.emit('index.progress', p);
  }

  private requestRun(): void {
    this.rerun = true;
    if (this.loop) return;
    this.loop = this.runWhileRequested()
      .catch((err: Error) => {
        // A run that could not start (engine failed to load) is shown, not thrown into the void.
        console.error(`face-atlas: index run failed: ${err.message}`);
        this.setProgress({ ...this.progress, phase: 'cancelled', running: false });
        this.o.events.emit('library.changed', { reason: `index run failed: ${err.message}` });
      })
      .finally(() => (this.loop = null));
  }

  private async runWhileRequested(): Promise<void> {
    while (this.rerun) {
      this.rerun = false;
      this.setProgress({ ...IDLE_PROGRESS, phase: 'scanning', running: true, paused: this.paused });
      const engine = await this.o.engine.get();
      const indexer = (this.indexer = new Indexer({ catalog: this.o.catalog, analyser: engine, thumbs: this.o.thumbs }));
      const abort = (this.abort = new AbortController());
      if (this.paused) indexer.pause();
      const changed: number[] = [];
      indexer.on('progress', (p) => this.setProgress({ ...p, running: true }));
      indexer.on('file', (f) => {
        if (f.photoId !== undefined && (f.outcome === 'added' || f.outcome === 'updated' || f.outcome === 'revived')) changed.push(f.photoId);
      });
      try {
        const summary = await indexer.run(this.o.catalog.roots.all().map((r) => r.path), { signal: abort.signal });
        const { cancelled: _c, warnings: _w, pairedRaw: _p, ...counts } = summary;
        await this.o.afterRun(changed);
        this.setProgress({ ...counts, running: this.rerun });
      } finally {
        this.indexer = null;
        this.abort = null;
        this.o.events.emit('library.changed', { reason: 'index run finished' });
      }
    }
  }
}
