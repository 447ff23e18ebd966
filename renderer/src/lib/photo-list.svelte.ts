// A list of photos from the engine (a person's, people together, a folder's), loaded page by page and
// shared by the grid that shows it and the viewer that steps through it.
import type { PhotoCard, PhotoSource, PhotoTimeline } from '../../../shared/api.ts';
import { api } from './client.ts';

const PAGE = 200;

export class PhotoList {
  timeline = $state<PhotoTimeline | null>(null);
  /** Loaded pages by page number; a page is replaced whole, so readers see it appear at once. */
  pages = $state<Record<number, PhotoCard[]>>({});
  private loading = new Map<number, Promise<PhotoCard[]>>();
  private generation = 0;

  constructor(readonly source: PhotoSource) {}

  get total(): number {
    return this.timeline?.total ?? 0;
  }

  /** (Re)reads the list's size and date groups; loaded pages are dropped (the list may have changed). */
  async refresh(): Promise<PhotoTimeline> {
    const generation = ++this.generation;
    const t = await api.call('photos.timeline', { source: this.source });
    if (generation === this.generation) {
      this.loading.clear();
      this.pages = {};
      this.timeline = t;
    }
    return t;
  }

  /** The photo at an index if its page is loaded. */
  at(index: number): PhotoCard | undefined {
    return this.pages[Math.floor(index / PAGE)]?.[index % PAGE];
  }

  /** The photo at an index, loading its page when needed. */
  async get(index: number): Promise<PhotoCard | undefined> {
    if (index < 0 || index >= this.total) return undefined;
    await this.ensure(Math.floor(index / PAGE));
    return this.at(index);
  }

  /** Loads the pages that hold indexes first..last. */
  ensureRange(first: number, last: number): void {
    for (let p = Math.floor(Math.max(0, first) / PAGE); p <= Math.floor(Math.max(0, last) / PAGE); p++) this.ensure(p).catch(() => undefined);
  }

  private ensure(page: number): Promise<PhotoCard[]> {
    const have = this.pages[page];
    if (have) return Promise.resolve(have);
    let pending = this.loading.get(page);
    if (!pending) {
      const generation = this.generation;
      pending = api.call('photos.list', { source: this.source, offset: page * PAGE, limit: PAGE }).then(({ photos }) => {
        if (generation === this.generation) this.pages = { ...this.pages, [page]: photos };
        return photos;
      });
      pending.finally(() => this.loading.delete(page)).catch(() => undefined);
      this.loading.set(page, pending);
    }
    return pending;
  }
}

/** File name and folder of a path (either separator). */
export function splitPath(p: string): { name: string; folder: string } {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return { name: p.slice(i + 1), folder: i > 0 ? p.slice(0, i) : p.slice(0, i + 1) };
}

/** "Sat, 14 Mar" (this year) or "Sat, 14 Mar 2025" for a YYYY-MM-DD day. */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(y, m - 1, d);
  const thisYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', ...(thisYear ? {} : { year: 'numeric' }) });
}

export function dateLabel(ms: number, withTime = false): string {
  return new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}) });
}
