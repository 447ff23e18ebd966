// Watch mode: follows additions, changes and deletions under the roots while the app runs and feeds
// each settled path through the indexer's single-file path.
import { type FSWatcher, watch } from 'chokidar';
import { existsSync, realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { INDEXER_DEFAULTS } from './constants.ts';
import { isPhotoName, isSkippedName, SYSTEM_FOLDERS } from './scan.ts';

/** What the watcher needs of an indexer (the Indexer satisfies it; declared here so watch.ts imports no indexer). */
export interface WatchedIndexer {
  readonly concurrency: number;
  emit(event: 'warning', warning: { path: string; code: string; message: string }): boolean;
  whenResumed(): Promise<void>;
  indexPath(file: string): Promise<unknown>;
  forgetPath(fileOrFolder: string): unknown;
}

export interface WatchOptions {
  /** Quiet time (ms) before a path is handled; default INDEXER_DEFAULTS.watchDebounceMs. */
  debounceMs?: number;
  /** How long (ms) a new file's size must stay put before it is reported (copies in progress). */
  writeStableMs?: number;
  /** Poll instead of native events (network shares that send none). */
  usePolling?: boolean;
  /** The app's own folders (catalog cache, thumbnails): never watched, so writing a thumbnail never feeds the watcher. */
  exclude?: string[];
}

/** Whether a path is one of the folders, or inside one, or a system folder (/proc, /sys, /dev) or inside one. */
export function isBarredPath(p: string, folders: readonly string[]): boolean {
  const abs = path.resolve(p);
  return [...folders, ...SYSTEM_FOLDERS].some((f) => abs === f || abs.startsWith(f.endsWith(path.sep) ? f : f + path.sep));
}

export class LibraryWatcher {
  /** Resolves when the initial walk of the watcher is done and events are live. */
  readonly ready: Promise<void>;
  private readonly watcher: FSWatcher;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly barred: string[];

  constructor(private readonly indexer: WatchedIndexer, roots: string[], private readonly opts: WatchOptions = {}) {
    const rootSet = new Set(roots.map((r) => path.resolve(r)));
    // By the given path and the real one, as chokidar reports paths as it found them.
    this.barred = (opts.exclude ?? []).flatMap((f) => [path.resolve(f), ...(existsSync(f) ? [realpathSync(f)] : [])]);
    const barred = this.barred;
    this.watcher = watch([...rootSet], {
      ignoreInitial: true,
      followSymlinks: true,
      usePolling: opts.usePolling ?? false,
      awaitWriteFinish: { stabilityThreshold: opts.writeStableMs ?? INDEXER_DEFAULTS.watchWriteStableMs, pollInterval: 100 },
      ignored: (p, stats) => {
        if (isBarredPath(p, barred)) return true;
        if (rootSet.has(path.resolve(p))) return false;
        if (isSkippedName(path.basename(p))) return true;
        return stats?.isFile() === true && !isPhotoName(p);
      },
    });
    const onPath = (p: string): void => {
      if (isPhotoName(p)) this.schedule(p);
    };
    this.watcher.on('add', onPath).on('change', onPath).on('unlink', onPath).on('unlinkDir', (p) => this.schedule(p));
    this.watcher.on('error', (err) => this.indexer.emit('warning', { path: roots.join(', '), code: 'WATCH_ERROR', message: (err as Error).message }));
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
  }

  /** Resolves once no event is waiting or being handled. */
  idle(): Promise<void> {
    if (this.timers.size === 0 && this.queue.length === 0 && this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    await this.watcher.close();
    await this.idle();
  }

  private schedule(p: string): void {
    if (this.closed) return;
    const abs = path.resolve(p);
    clearTimeout(this.timers.get(abs));
    this.timers.set(
      abs,
      setTimeout(() => {
        this.timers.delete(abs);
        if (!this.queued.has(abs)) {
          this.queued.add(abs);
          this.queue.push(abs);
        }
        this.pump();
      }, this.opts.debounceMs ?? INDEXER_DEFAULTS.watchDebounceMs),
    );
  }

  private pump(): void {
    while (!this.closed && this.active < this.indexer.concurrency && this.queue.length > 0) {
      const p = this.queue.shift()!;
      this.queued.delete(p);
      this.active++;
      this.handle(p)
        .catch((err: Error) => this.indexer.emit('warning', { path: p, code: 'WATCH_ERROR', message: err.message }))
        .finally(() => {
          this.active--;
          this.pump();
          this.settle();
        });
    }
    this.settle();
  }

  /** Whatever the events said, the path's state now decides: present means (re)index, absent means forget. */
  private async handle(p: string): Promise<void> {
    await this.indexer.whenResumed();
    if (this.closed) return;
    // Reached through a link into the app's own folders: not ours to index.
    if (isBarredPath(await realpath(p).catch(() => p), this.barred)) return;
    if (existsSync(p) && isPhotoName(p)) await this.indexer.indexPath(p);
    else this.indexer.forgetPath(p);
  }

  private settle(): void {
    if (this.timers.size > 0 || this.queue.length > 0 || this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
