// A uniform grid over the map's extent for the questions a frame asks of 100k faces without touching them
// all: the face nearest the pointer, the faces inside the visible rectangle, the faces inside a lasso.
import type { Extent } from './view.ts';

const CELLS = 256;

export class PointGrid {
  private readonly start: Int32Array;
  private readonly items: Int32Array;
  private readonly x0: number;
  private readonly y0: number;
  private readonly cellW: number;
  private readonly cellH: number;

  constructor(private readonly xy: Float32Array, private readonly n: number, extent: Extent) {
    this.x0 = extent.minX;
    this.y0 = extent.minY;
    this.cellW = Math.max(1e-9, (extent.maxX - extent.minX) / CELLS);
    this.cellH = Math.max(1e-9, (extent.maxY - extent.minY) / CELLS);
    const cellOf = new Int32Array(n);
    const counts = new Int32Array(CELLS * CELLS + 1);
    for (let i = 0; i < n; i++) {
      cellOf[i] = this.row(xy[2 * i + 1]) * CELLS + this.col(xy[2 * i]);
      counts[cellOf[i] + 1]++;
    }
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    this.start = counts;
    this.items = new Int32Array(n);
    const fill = counts.slice(0, -1);
    for (let i = 0; i < n; i++) this.items[fill[cellOf[i]]++] = i;
  }

  private col(x: number): number {
    return Math.min(CELLS - 1, Math.max(0, Math.floor((x - this.x0) / this.cellW)));
  }

  private row(y: number): number {
    return Math.min(CELLS - 1, Math.max(0, Math.floor((y - this.y0) / this.cellH)));
  }

  /** Calls `visit` for every face in the cells that overlap the rectangle (map units); stops when it returns false. */
  forEachIn(minX: number, minY: number, maxX: number, maxY: number, visit: (i: number) => boolean | void): void {
    const c0 = this.col(minX), c1 = this.col(maxX), r0 = this.row(minY), r1 = this.row(maxY);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * CELLS + c;
        for (let k = this.start[cell]; k < this.start[cell + 1]; k++) {
          const i = this.items[k];
          const x = this.xy[2 * i], y = this.xy[2 * i + 1];
          if (x >= minX && x <= maxX && y >= minY && y <= maxY && visit(i) === false) return;
        }
      }
    }
  }

  /**
   * The face nearest (x, y) within `radius` map units, or -1. `square`: distance is the larger of |dx| and
   * |dy|, so the whole square of a face thumbnail (corners too) finds that face.
   */
  nearest(x: number, y: number, radius: number, square = false): number {
    let best = -1;
    let bestD = square ? radius : radius * radius;
    this.forEachIn(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = this.xy[2 * i] - x, dy = this.xy[2 * i + 1] - y;
      const d = square ? Math.max(Math.abs(dx), Math.abs(dy)) : dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }

  /**
   * The median distance from a face to its nearest other face, over up to `sample` faces spread through
   * the map: the size a face sprite can have before neighbours overlap much.
   */
  typicalSpacing(sample = 1500): number {
    if (this.n < 2) return Math.max(this.cellW, this.cellH) * CELLS;
    const stride = Math.max(1, Math.floor(this.n / sample));
    const found: number[] = [];
    for (let i = 0; i < this.n; i += stride) {
      const x = this.xy[2 * i], y = this.xy[2 * i + 1];
      // Grow the search square until it holds another face.
      for (let r = Math.max(this.cellW, this.cellH); r < 4 * Math.max(this.cellW, this.cellH) * CELLS; r *= 2) {
        let best = Infinity;
        this.forEachIn(x - r, y - r, x + r, y + r, (j) => {
          if (j === i) return;
          const d = Math.hypot(this.xy[2 * j] - x, this.xy[2 * j + 1] - y);
          if (d < best) best = d;
        });
        if (best <= r) {
          found.push(best);
          break;
        }
      }
    }
    found.sort((a, b) => a - b);
    return found.length ? Math.max(found[found.length >> 1], 1e-6) : 0.01;
  }
}

/** 1 for every face inside the polygon (map units), by the even-odd ray-crossing rule. */
export function insidePolygon(xy: Float32Array, n: number, polygon: [number, number][]): Uint8Array {
  const out = new Uint8Array(n);
  if (polygon.length < 3) return out;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const [x, y] of polygon) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  for (let i = 0; i < n; i++) {
    const px = xy[2 * i], py = xy[2 * i + 1];
    if (px < minX || px > maxX || py < minY || py > maxY) continue;
    let inside = false;
    for (let a = 0, b = polygon.length - 1; a < polygon.length; b = a++) {
      const [ax, ay] = polygon[a];
      const [bx, by] = polygon[b];
      if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside;
    }
    if (inside) out[i] = 1;
  }
  return out;
}
