// Counts of an index run and its speed: photos per second over the latest completions, and the ETA from it.
import { INDEXER_DEFAULTS } from './constants.ts';

export type IndexPhase = 'scanning' | 'indexing' | 'retiring' | 'done' | 'cancelled';

export interface IndexProgress {
  phase: IndexPhase;
  /** Entries with a photo name found by the scan (readable files and broken ones). */
  found: number;
  /** Found files skipped because size and mtime did not change. */
  unchanged: number;
  /** Files that need work in this run (found - unchanged). */
  total: number;
  /** Of `total`, files finished with any outcome. */
  done: number;
  added: number;
  updated: number;
  moved: number;
  duplicates: number;
  failed: number;
  retired: number;
  /** Faces written in this run. */
  faces: number;
  /** Over the latest completions, paused time excluded. */
  photosPerSecond: number;
  /** Seconds left at the current speed; null while unknown (scanning, no completion yet). */
  etaSeconds: number | null;
  paused: boolean;
  elapsedSeconds: number;
}

export class ProgressTracker {
  readonly counts: Omit<IndexProgress, 'photosPerSecond' | 'etaSeconds' | 'elapsedSeconds' | 'paused'> = {
    phase: 'scanning', found: 0, unchanged: 0, total: 0, done: 0, added: 0, updated: 0, moved: 0, duplicates: 0, failed: 0, retired: 0, faces: 0,
  };
  private readonly started = performance.now();
  private pausedSince: number | null = null;
  private pausedTotal = 0;
  /** Active-time stamps (ms) of the latest completions. */
  private readonly completions: number[] = [];

  private activeNow(): number {
    const t = performance.now();
    return t - this.started - this.pausedTotal - (this.pausedSince === null ? 0 : t - this.pausedSince);
  }

  setPaused(paused: boolean): void {
    if (paused && this.pausedSince === null) this.pausedSince = performance.now();
    if (!paused && this.pausedSince !== null) {
      this.pausedTotal += performance.now() - this.pausedSince;
      this.pausedSince = null;
    }
  }

  completed(): void {
    this.counts.done++;
    this.completions.push(this.activeNow());
    if (this.completions.length > INDEXER_DEFAULTS.rateWindow + 1) this.completions.shift();
  }

  /** When the indexing phase starts: the rate is measured from here, not from the scan. */
  startIndexing(): void {
    this.completions.length = 0;
    this.completions.push(this.activeNow());
    this.counts.phase = 'indexing';
  }

  snapshot(): IndexProgress {
    const c = this.completions;
    const span = c.length >= 2 ? (c[c.length - 1] - c[0]) / 1000 : 0;
    const photosPerSecond = span > 0 ? (c.length - 1) / span : 0;
    const left = this.counts.total - this.counts.done;
    const etaSeconds = this.counts.phase === 'indexing' && photosPerSecond > 0 ? left / photosPerSecond : this.counts.phase === 'done' ? 0 : null;
    return { ...this.counts, photosPerSecond, etaSeconds, paused: this.pausedSince !== null, elapsedSeconds: (performance.now() - this.started) / 1000 };
  }
}
