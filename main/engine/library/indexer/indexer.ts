// The Indexer: brings the catalog in line with the photo files under the library roots, incrementally,
// resumably (every photo is committed on its own) and with pause, resume, cancel and progress events.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { defaultCacheDir } from '../catalog/location.ts';
import type { ThumbnailCache } from '../thumbs/thumbnail-cache.ts';
import type { PhotoAnalyser } from './analyser.ts';
import { commitUnreadable, retireMissing } from './commit.ts';
import { INDEXER_DEFAULTS } from './constants.ts';
import { type FileContext, type FileReport, indexFile } from './index-file.ts';
import { type IndexProgress, ProgressTracker } from './progress.ts';
import { type ScanProblem, type ScanResult, scanRoots } from './scan.ts';
import { LibraryWatcher, type WatchOptions } from './watch.ts';

export interface IndexerOptions {
  catalog: Catalog;
  analyser: PhotoAnalyser;
  /** When given, photo and face thumbnails are cut right after each photo is analysed. */
  thumbs?: ThumbnailCache | null;
  /** Photos in flight at once; default 2 per core (the engine's pool queues the rest). */
  concurrency?: number;
  /** Read files that failed before again even when they did not change. */
  retryFailed?: boolean;
  /** More folders of the app's own that are never indexed (the catalog's cache folder and the thumbnails' are always). */
  ownFolders?: string[];
}

export interface IndexRunOptions {
  /** Cancels the run: no new file is started, files in flight are finished and kept, nothing is retired. */
  signal?: AbortSignal;
}

export interface RetiredEvent {
  photoId: number;
  path: string;
  /** 'moved': the photo lives on at a duplicate's path; 'dropped': a failure or duplicate row removed. */
  outcome: 'retired' | 'moved' | 'dropped';
}

export interface IndexWarning {
  path: string;
  code: string;
  message: string;
}

export interface IndexSummary extends IndexProgress {
  cancelled: boolean;
  /** Folders not read, folder loops, roots that were not there, thumbnails not written. */
  warnings: IndexWarning[];
}

export interface IndexerEvents {
  progress: [IndexProgress];
  /** Every file that needed work (not the unchanged ones), with its outcome and error. */
  file: [FileReport];
  retired: [RetiredEvent];
  warning: [IndexWarning];
}

const isUnder = (file: string, folder: string): boolean => file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);

export class Indexer extends EventEmitter<IndexerEvents> {
  readonly catalog: Catalog;
  readonly concurrency: number;
  private readonly ctx: FileContext;
  private readonly thumbs: ThumbnailCache | null;
  private running = false;
  private pauseGate: { promise: Promise<void>; release: () => void } | null = null;
  private tracker: ProgressTracker | null = null;
  /** The app's own folders (caches beside the catalog, thumbnails): a catalog kept inside a photo folder never indexes its own thumbnails. */
  readonly ownFolders: string[];

  constructor(opts: IndexerOptions) {
    super();
    this.catalog = opts.catalog;
    this.thumbs = opts.thumbs ?? null;
    this.ownFolders = [
      ...(opts.catalog.file === ':memory:' ? [] : [defaultCacheDir(path.resolve(opts.catalog.file))]),
      ...(this.thumbs ? [path.dirname(this.thumbs.dir), this.thumbs.dir] : []),
      ...(opts.ownFolders ?? []),
    ].map((f) => path.resolve(f));
    this.concurrency = Math.max(1, opts.concurrency ?? INDEXER_DEFAULTS.inFlightPerWorker * availableParallelism());
    this.ctx = {
      catalog: opts.catalog, analyser: opts.analyser, retryFailed: opts.retryFailed ?? false, inFlight: new Map(),
      // With thumbnails on, the engine hands back its decoded pixels and the thumbnails are cut from them.
      pixels: this.thumbs ? new Map() : undefined,
    };
  }

  get paused(): boolean {
    return this.pauseGate !== null;
  }

  /** Stops starting new files; those in flight finish. */
  pause(): void {
    if (this.pauseGate) return;
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    this.pauseGate = { promise, release };
    this.tracker?.setPaused(true);
    if (this.tracker) this.emit('progress', this.tracker.snapshot());
  }

  resume(): void {
    const gate = this.pauseGate;
    if (!gate) return;
    this.pauseGate = null;
    this.tracker?.setPaused(false);
    gate.release();
    if (this.tracker) this.emit('progress', this.tracker.snapshot());
  }

  /** Resolves at once, or when resume() is called. */
  async whenResumed(): Promise<void> {
    while (this.pauseGate) await this.pauseGate.promise;
  }

  /** Indexes everything under the roots (adding them to the catalog), then retires photos whose files are gone. */
  async run(rootPaths: string[], opts: IndexRunOptions = {}): Promise<IndexSummary> {
    if (this.running) throw new Error('an index run is already in progress');
    this.running = true;
    const tracker = (this.tracker = new ProgressTracker());
    if (this.paused) tracker.setPaused(true);
    const warnings: IndexWarning[] = [];
    const warn = (w: IndexWarning): void => {
      warnings.push(w);
      this.emit('warning', w);
    };
    let lastEmit = 0;
    const progress = (force = false): void => {
      const t = performance.now();
      if (!force && t - lastEmit < INDEXER_DEFAULTS.progressIntervalMs) return;
      lastEmit = t;
      this.emit('progress', tracker.snapshot());
    };
    try {
      const roots = rootPaths.map((p) => this.catalog.roots.add(p));
      progress(true);
      const scan = await scanRoots(roots, {
        signal: opts.signal,
        exclude: this.ownFolders,
        onFound: (n) => {
          tracker.counts.found = n;
          progress();
        },
      });
      tracker.counts.found = scan.files.length + scan.fileProblems.length;
      // A file belongs to the deepest root that holds it, among all the catalog's roots.
      for (const f of [...scan.files, ...scan.fileProblems]) f.rootId = this.rootOf(f.path) ?? f.rootId;
      for (const r of scan.unavailableRoots) warn({ path: r.path, code: 'ROOT_UNAVAILABLE', message: 'root folder is missing or not a folder; nothing under it was changed' });
      for (const p of scan.unreadableFolders) warn({ path: p.path, code: 'FOLDER_UNREADABLE', message: p.message });
      for (const p of scan.folderLoops) warn({ path: p.path, code: p.code, message: p.message });
      for (const p of scan.systemFolders) warn({ path: p.path, code: p.code, message: p.message });

      const work = this.pendingWork(scan, tracker);
      tracker.counts.total = work.length;
      tracker.startIndexing();
      progress(true);
      const seen = new Set<string>([...scan.files.map((f) => f.path), ...scan.fileProblems.map((p) => p.path)]);
      let next = 0;
      const worker = async (): Promise<void> => {
        for (;;) {
          while (this.pauseGate && !opts.signal?.aborted) await Promise.race([this.pauseGate.promise, aborted(opts.signal)]);
          if (opts.signal?.aborted || next >= work.length) return;
          const item = work[next++];
          const report = 'code' in item && item.code === 'BAD_FILE_NAME' ? this.recordBadName(item) : await this.indexOne(item.path, item.rootId, warn);
          if (report.outcome === 'vanished') seen.delete(item.path);
          this.count(tracker, report);
          progress();
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, Math.max(1, work.length)) }, worker));

      const cancelled = opts.signal?.aborted ?? false;
      if (!cancelled) {
        tracker.counts.phase = 'retiring';
        progress(true);
        const walked = roots.filter((r) => !scan.unavailableRoots.some((u) => u.id === r.id));
        this.retireUnseen(walked.map((r) => r.path), scan, seen, tracker);
        const t = Date.now();
        for (const r of roots) if (!scan.unavailableRoots.some((u) => u.id === r.id)) this.catalog.roots.markScanned(r.id, t);
      }
      tracker.counts.phase = cancelled ? 'cancelled' : 'done';
      const summary = { ...tracker.snapshot(), cancelled, warnings };
      this.emit('progress', tracker.snapshot());
      return summary;
    } finally {
      this.running = false;
      this.tracker = null;
    }
  }

  /** Indexes one file (watch mode, or a caller that knows what changed) through the same path as a full run. */
  async indexPath(file: string): Promise<FileReport> {
    const abs = path.resolve(file);
    const root = this.rootOf(abs);
    const report = await this.indexOne(abs, root, (w) => this.emit('warning', w));
    if (report.outcome === 'vanished') this.forgetPath(abs);
    return report;
  }

  /** A file or folder is gone: retire the photos recorded at or under it whose files are really missing. */
  forgetPath(fileOrFolder: string): RetiredEvent[] {
    const abs = path.resolve(fileOrFolder);
    const rows = [this.catalog.photos.liveByPath(abs), ...this.catalog.photos.liveUnder(abs)].filter((p) => p !== undefined);
    const events: RetiredEvent[] = [];
    for (const { id } of rows) {
      const photo = this.catalog.photos.get(id);
      if (!photo || photo.status === 'retired' || existsSync(photo.path)) continue;
      const ev: RetiredEvent = { photoId: id, path: photo.path, outcome: retireMissing(this.catalog, photo) };
      events.push(ev);
      this.emit('retired', ev);
    }
    return events;
  }

  /** Watches the roots and indexes what is added, changed or deleted while it runs (run() first for what changed before). */
  watch(rootPaths: string[], opts: WatchOptions = {}): LibraryWatcher {
    const roots = rootPaths.map((p) => this.catalog.roots.add(p));
    return new LibraryWatcher(this, roots.map((r) => r.path), { exclude: this.ownFolders, ...opts });
  }

  private rootOf(abs: string): number | null {
    let best: { id: number; len: number } | null = null;
    for (const r of this.catalog.roots.all()) if ((abs === r.path || isUnder(abs, r.path)) && (!best || r.path.length > best.len)) best = { id: r.id, len: r.path.length };
    return best?.id ?? null;
  }

  private async indexOne(file: string, rootId: number | null, warn: (w: IndexWarning) => void): Promise<FileReport> {
    const report = await indexFile(this.ctx, file, rootId);
    const pixels = this.ctx.pixels?.get(file);
    this.ctx.pixels?.delete(file);
    if (report.outcome !== 'unchanged') this.emit('file', report);
    if (this.thumbs && report.photoId !== undefined && (report.outcome === 'added' || report.outcome === 'updated')) {
      // Thumbnails are a cache: one that cannot be cut now is cut again when it is first shown.
      await this.thumbs.writePhotoThumbs(report.photoId, pixels).catch((err: Error) => warn({ path: file, code: 'THUMBNAIL_FAILED', message: err.message }));
    }
    return report;
  }

  /** A file whose name is not valid UTF-8 cannot be opened by that name: it is recorded as failed, so `errors` lists it. */
  private recordBadName(problem: ScanProblem): FileReport {
    const r = commitUnreadable(this.catalog, { rootId: problem.rootId, path: problem.path, size: 0, mtimeMs: 0 }, problem.code, problem.message);
    const report: FileReport = { path: problem.path, outcome: 'failed', photoId: r.photoId, error: { code: problem.code, message: problem.message } };
    this.emit('file', report);
    return report;
  }

  /** Files that are not up to date in the catalog, and the unreadable entries found by the scan. */
  private pendingWork(scan: ScanResult, tracker: ProgressTracker): ({ path: string; rootId: number } | ScanProblem)[] {
    const modelId = this.ctx.analyser.modelId;
    const work: ({ path: string; rootId: number } | ScanProblem)[] = [];
    for (const f of scan.files) {
      const live = this.catalog.photos.liveByPath(f.path);
      const upToDate = live && live.size === f.size && live.mtimeMs === f.mtimeMs && live.rootId === f.rootId;
      const stale = live?.status === 'ok' && live.modelId !== modelId;
      if (upToDate && !stale && !(this.ctx.retryFailed && live.status === 'failed')) tracker.counts.unchanged++;
      else work.push(f);
    }
    for (const p of scan.fileProblems) {
      const live = this.catalog.photos.liveByPath(p.path);
      if (live?.status === 'failed' && live.errorCode === p.code && !this.ctx.retryFailed) tracker.counts.unchanged++;
      else work.push(p);
    }
    return work;
  }

  private count(tracker: ProgressTracker, r: FileReport): void {
    const c = tracker.counts;
    tracker.completed();
    if (r.outcome === 'added') c.added++;
    else if (r.outcome === 'updated') c.updated++;
    else if (r.outcome === 'moved' || r.outcome === 'revived') c.moved++;
    else if (r.outcome === 'duplicate') c.duplicates++;
    else if (r.outcome === 'failed') c.failed++;
    else if (r.outcome === 'unchanged' || r.outcome === 'touched') c.unchanged++;
    c.faces += r.faces ?? 0;
  }

  /** Retires what the scan did not see under the walked roots (by path, so photos of nested roots count too). */
  private retireUnseen(walkedRoots: string[], scan: ScanResult, seen: Set<string>, tracker: ProgressTracker): void {
    const protectedFolders = scan.unreadableFolders.map((f) => f.path);
    const candidates = new Map<number, string>();
    for (const root of walkedRoots) for (const p of this.catalog.photos.liveUnder(root)) candidates.set(p.id, p.path);
    for (const [id, file] of candidates) {
      if (seen.has(file) || protectedFolders.some((f) => isUnder(file, f))) continue;
      const current = this.catalog.photos.get(id);
      if (!current || current.status === 'retired' || current.path !== file) continue; // changed by an earlier retirement
      const outcome = retireMissing(this.catalog, current);
      if (outcome === 'retired') tracker.counts.retired++;
      this.emit('retired', { photoId: id, path: file, outcome });
    }
  }
}

function aborted(signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

