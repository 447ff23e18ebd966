// Face thumbnails for the map, streamed from the thumbnail cache into a fixed set of atlas cells (a
// sprite sheet): faces are asked for in priority order as they come into view, loaded a few at a time,
// cover-cropped to one square cell, and cells not drawn lately are reused (least recently used).

/** Pixels of one face in the atlas, and cells per atlas side (2560 x 2560 RGBA: 26 MB, 1,024 faces). */
export const CELL = 80;
export const CELLS_PER_SIDE = 32;
export const ATLAS_SIZE = CELL * CELLS_PER_SIDE;
const SLOTS = CELLS_PER_SIDE * CELLS_PER_SIDE;
/** Thumbnail requests in flight at once (a browser opens about six connections per host). */
const CONCURRENCY = 6;

/** Puts a loaded cell where the renderer draws from; false when it could not. */
export type CellSink = (slot: number, cell: HTMLCanvasElement) => boolean;

export class ThumbAtlas {
  readonly slots = SLOTS;
  private readonly slotOfFace = new Map<number, number>();
  private readonly faceOfSlot = new Int32Array(SLOTS);
  private readonly usedAt = new Float64Array(SLOTS);
  private readonly failed = new Set<number>();
  private readonly loading = new Set<number>();
  private queue: number[] = [];
  private frame = 0;
  private readonly staging: HTMLCanvasElement;
  private readonly stagingCtx: CanvasRenderingContext2D;
  private closed = false;

  constructor(private readonly url: (faceId: number) => string, private readonly sink: CellSink, private readonly onLoaded: () => void) {
    this.staging = document.createElement('canvas');
    this.staging.width = this.staging.height = CELL;
    this.stagingCtx = this.staging.getContext('2d', { willReadFrequently: false })!;
  }

  /** A new frame begins: cells used from now on are protected from reuse until the next. */
  nextFrame(): void {
    this.frame++;
  }

  /** The atlas cell holding this face's thumbnail (marked used this frame), or -1 while it is not loaded. */
  slot(faceId: number): number {
    const s = this.slotOfFace.get(faceId);
    if (s === undefined) return -1;
    this.usedAt[s] = this.frame;
    return s;
  }

  /** Asks for these faces' thumbnails, most wanted first; earlier wishes not loaded yet are dropped. */
  want(faceIds: number[]): void {
    this.queue = faceIds.filter((f) => !this.slotOfFace.has(f) && !this.failed.has(f) && !this.loading.has(f));
    this.pump();
  }

  get pending(): number {
    return this.queue.length + this.loading.size;
  }

  close(): void {
    this.closed = true;
    this.queue = [];
  }

  private pump(): void {
    while (!this.closed && this.loading.size < CONCURRENCY && this.queue.length) {
      const faceId = this.queue.shift()!;
      this.loading.add(faceId);
      void this.load(faceId).finally(() => {
        this.loading.delete(faceId);
        this.pump();
      });
    }
  }

  private freeSlot(): number {
    if (this.slotOfFace.size < SLOTS) return this.slotOfFace.size;
    let best = -1;
    for (let s = 0; s < SLOTS; s++) if (this.usedAt[s] < this.frame && (best < 0 || this.usedAt[s] < this.usedAt[best])) best = s;
    return best;
  }

  private async load(faceId: number): Promise<void> {
    const img = new Image();
    img.decoding = 'async';
    img.src = this.url(faceId);
    try {
      await img.decode();
    } catch {
      this.failed.add(faceId);
      return;
    }
    if (this.closed) return;
    const slot = this.freeSlot();
    if (slot < 0) return; // every cell is on screen: this face stays a dot until the view moves
    const previous = this.faceOfSlot[slot];
    if (previous) this.slotOfFace.delete(previous);
    // Cover-crop the thumbnail's centre square into the cell.
    const side = Math.min(img.naturalWidth, img.naturalHeight);
    this.stagingCtx.clearRect(0, 0, CELL, CELL);
    this.stagingCtx.drawImage(img, (img.naturalWidth - side) / 2, (img.naturalHeight - side) / 2, side, side, 0, 0, CELL, CELL);
    if (!this.sink(slot, this.staging)) {
      // The renderer cannot take this image (e.g. WebGL refusing a cross-origin thumbnail): a dot it stays.
      this.failed.add(faceId);
      return;
    }
    this.faceOfSlot[slot] = faceId;
    this.slotOfFace.set(faceId, slot);
    this.usedAt[slot] = this.frame;
    this.onLoaded();
  }
}

/** Top-left pixel of an atlas cell. */
export const cellOrigin = (slot: number): [number, number] => [(slot % CELLS_PER_SIDE) * CELL, Math.floor(slot / CELLS_PER_SIDE) * CELL];
