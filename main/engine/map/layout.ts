// Puts a 2-D map into the fixed frame the UI draws: centred, uniformly scaled into [-MAP_EXTENT, MAP_EXTENT].
import { MAP_EXTENT } from './constants.ts';

/**
 * Centres the bounding box on the origin and scales both axes by one factor so the longer side spans
 * [-MAP_EXTENT, MAP_EXTENT]; one factor keeps the distances the method produced comparable in x and y.
 * A single point, or all points coincident, lands on the origin.
 */
export function normaliseLayout(coordinates: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * 2);
  if (n === 0) return out;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = coordinates[2 * i];
    const y = coordinates[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`map coordinate ${i} is not finite`);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const centreX = (minX + maxX) / 2;
  const centreY = (minY + maxY) / 2;
  const halfSpan = Math.max(maxX - minX, maxY - minY) / 2;
  const scale = halfSpan > 0 ? MAP_EXTENT / halfSpan : 0;
  for (let i = 0; i < n; i++) {
    out[2 * i] = (coordinates[2 * i] - centreX) * scale;
    out[2 * i + 1] = (coordinates[2 * i + 1] - centreY) * scale;
  }
  return out;
}
