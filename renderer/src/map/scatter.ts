// A scatter plot for tens of thousands of faces: positions and colours in typed arrays, drawn by writing
// pixels into one ImageData per frame (no per-point canvas calls), a uniform grid for hover hits, and a
// point-in-polygon test for lasso selection.

export interface ScatterData {
  /** Map coordinates, x and y in [-1, 1]. */
  x: Float32Array;
  y: Float32Array;
  /** Packed RGBA (little-endian ABGR in a Uint32) per point. */
  colour: Uint32Array;
}

export interface View {
  /** Map units to CSS pixels, and the CSS pixel where the map origin lies. */
  scale: number;
  cx: number;
  cy: number;
}

const GRID_CELLS = 128;

export function packColour([r, g, b]: [number, number, number], a = 255): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export function fitView(width: number, height: number): View {
  return { scale: Math.min(width, height) * 0.45, cx: width / 2, cy: height / 2 };
}

export const toScreen = (v: View, x: number, y: number): [number, number] => [v.cx + x * v.scale, v.cy - y * v.scale];
export const toMap = (v: View, sx: number, sy: number): [number, number] => [(sx - v.cx) / v.scale, (v.cy - sy) / v.scale];

/** One pixel buffer per canvas, reused while its size stays: a fresh 10+ MB buffer per frame would churn the GC. */
const buffers = new WeakMap<CanvasRenderingContext2D, ImageData>();

/** Draws every point as a small square; returns how many points fell inside the canvas. */
export function drawScatter(ctx: CanvasRenderingContext2D, data: ScatterData, view: View, dpr: number, background: number, highlight: Uint8Array | null): number {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  let image = buffers.get(ctx);
  if (!image || image.width !== w || image.height !== h) buffers.set(ctx, (image = ctx.createImageData(w, h)));
  const pixels = new Uint32Array(image.data.buffer);
  const n = data.x.length;
  pixels.fill(background);
  // Bigger dots for small maps; at tens of thousands of faces a dot is a few pixels so clusters stay readable.
  const cssRadius = n < 1000 ? 3.5 : n < 10_000 ? 2.5 : 1.5;
  const r = Math.max(1, Math.round(cssRadius * dpr));
  let drawn = 0;
  // Selected points last, so they stay on top.
  for (let pass = 0; pass < (highlight ? 2 : 1); pass++) {
    for (let i = 0; i < n; i++) {
      if (highlight && (highlight[i] === 1) !== (pass === 1)) continue;
      const px = Math.round((view.cx + data.x[i] * view.scale) * dpr);
      const py = Math.round((view.cy - data.y[i] * view.scale) * dpr);
      if (px < 0 || py < 0 || px >= w || py >= h) continue;
      drawn++;
      const c = highlight && highlight[i] === 1 ? 0xff0000ff : data.colour[i];
      const size = highlight && highlight[i] === 1 ? r + 1 : r;
      for (let dy = -size + 1; dy < size; dy++) {
        const yy = py + dy;
        if (yy < 0 || yy >= h) continue;
        const row = yy * w;
        for (let dx = -size + 1; dx < size; dx++) {
          const xx = px + dx;
          if (xx >= 0 && xx < w) pixels[row + xx] = c;
        }
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  return drawn;
}

/** Buckets of point indices on a GRID_CELLS x GRID_CELLS grid over [-1, 1]^2, for nearest-point queries. */
export class PointGrid {
  private readonly start: Int32Array;
  private readonly items: Int32Array;

  constructor(private readonly data: ScatterData) {
    const n = data.x.length;
    const cellOf = new Int32Array(n);
    const counts = new Int32Array(GRID_CELLS * GRID_CELLS + 1);
    for (let i = 0; i < n; i++) {
      cellOf[i] = this.cell(data.x[i], data.y[i]);
      counts[cellOf[i] + 1]++;
    }
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    this.start = counts;
    this.items = new Int32Array(n);
    const fill = counts.slice(0, -1);
    for (let i = 0; i < n; i++) this.items[fill[cellOf[i]]++] = i;
  }

  private axis(v: number): number {
    return Math.min(GRID_CELLS - 1, Math.max(0, Math.floor(((v + 1) / 2) * GRID_CELLS)));
  }

  private cell(x: number, y: number): number {
    return this.axis(y) * GRID_CELLS + this.axis(x);
  }

  /** The point nearest (x, y) within `radius` map units, or -1. */
  nearest(x: number, y: number, radius: number): number {
    const span = Math.ceil((radius / 2) * GRID_CELLS) + 1;
    const cx = this.axis(x);
    const cy = this.axis(y);
    let best = -1;
    let bestD = radius * radius;
    for (let gy = Math.max(0, cy - span); gy <= Math.min(GRID_CELLS - 1, cy + span); gy++) {
      for (let gx = Math.max(0, cx - span); gx <= Math.min(GRID_CELLS - 1, cx + span); gx++) {
        const c = gy * GRID_CELLS + gx;
        for (let k = this.start[c]; k < this.start[c + 1]; k++) {
          const i = this.items[k];
          const dx = this.data.x[i] - x;
          const dy = this.data.y[i] - y;
          const d = dx * dx + dy * dy;
          if (d <= bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }
}

/** 1 for every point inside the polygon (map units), by the even-odd ray-crossing rule. */
export function insidePolygon(data: ScatterData, polygon: [number, number][]): Uint8Array {
  const n = data.x.length;
  const out = new Uint8Array(n);
  if (polygon.length < 3) return out;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const [x, y] of polygon) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  for (let i = 0; i < n; i++) {
    const px = data.x[i];
    const py = data.y[i];
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
