// The map's camera: map units to CSS pixels, fitting a data extent into the canvas, and animated flights.

export interface View {
  /** CSS pixels per map unit, and the CSS pixel where the map origin lies (y grows upwards on the map). */
  scale: number;
  cx: number;
  cy: number;
}

export interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Share of the canvas left free around the data on each side when fitting. */
export const FIT_MARGIN = 0.06;

export const toScreen = (v: View, x: number, y: number): [number, number] => [v.cx + x * v.scale, v.cy - y * v.scale];
export const toMap = (v: View, sx: number, sy: number): [number, number] => [(sx - v.cx) / v.scale, (v.cy - sy) / v.scale];

export function extentOf(xy: Float32Array, n: number, pick?: (i: number) => boolean): Extent | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (pick && !pick(i)) continue;
    const x = xy[2 * i], y = xy[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return minX <= maxX ? { minX, minY, maxX, maxY } : null;
}

/**
 * The view that shows the whole extent centred in a width x height canvas, with FIT_MARGIN (or `padPx`
 * CSS pixels, when more: half a face thumbnail) on every side; never above maxScale.
 */
export function fitExtent(extent: Extent | null, width: number, height: number, maxScale = Infinity, minSpan = 0, padPx = 0): View {
  if (!extent) return { scale: Math.min(width, height) * 0.45, cx: width / 2, cy: height / 2 };
  const spanX = Math.max(extent.maxX - extent.minX, minSpan, 1e-6);
  const spanY = Math.max(extent.maxY - extent.minY, minSpan, 1e-6);
  const usableW = Math.max(width * 0.2, width - 2 * Math.max(width * FIT_MARGIN, padPx));
  const usableH = Math.max(height * 0.2, height - 2 * Math.max(height * FIT_MARGIN, padPx));
  const scale = Math.min(maxScale, usableW / spanX, usableH / spanY);
  const midX = (extent.minX + extent.maxX) / 2;
  const midY = (extent.minY + extent.maxY) / 2;
  return { scale, cx: width / 2 - midX * scale, cy: height / 2 + midY * scale };
}

/** Zooms by `factor` about the screen point (sx, sy), the scale kept within [minScale, maxScale]. */
export function zoomAbout(v: View, sx: number, sy: number, factor: number, minScale: number, maxScale: number): View {
  const scale = Math.min(maxScale, Math.max(minScale, v.scale * factor));
  const f = scale / v.scale;
  return { scale, cx: sx - (sx - v.cx) * f, cy: sy - (sy - v.cy) * f };
}

/**
 * A smooth flight from one view to another over `ms` (log-interpolated scale, the map point at the
 * canvas centre eased between the two), calling `step` every animation frame; returns a cancel function.
 */
export function fly(from: View, to: View, width: number, height: number, ms: number, step: (v: View) => void): () => void {
  const [ax, ay] = toMap(from, width / 2, height / 2);
  const [bx, by] = toMap(to, width / 2, height / 2);
  const start = performance.now();
  let frame = 0;
  const tick = (now: number): void => {
    const t = Math.min(1, (now - start) / ms);
    const e = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
    const scale = Math.exp(Math.log(from.scale) + (Math.log(to.scale) - Math.log(from.scale)) * e);
    const mx = ax + (bx - ax) * e, my = ay + (by - ay) * e;
    step({ scale, cx: width / 2 - mx * scale, cy: height / 2 + my * scale });
    if (t < 1) frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  return () => cancelAnimationFrame(frame);
}
