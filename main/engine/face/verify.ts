// "Same person?" for two faces: L2 distance between unit embeddings, the model's threshold, and a
// calibrated probability from Platt scaling (Platt 1999): P(same | d) = 1 / (1 + exp(a * d + b)),
// with a and b fitted by logistic regression on labelled pairs (`face-atlas eval verify` prints them).
import { VERIFY_CALIBRATION } from '../../../shared/settings.ts';
import { l2Distance } from '../math/vectors.ts';

export interface Calibration {
  threshold: number;
  a: number;
  b: number;
}

export interface Verdict {
  distance: number;
  threshold: number;
  same: boolean;
  probability: number;
}

export function calibrationFor(modelId: string): Calibration {
  const c = (VERIFY_CALIBRATION as Record<string, Calibration>)[modelId];
  if (!c) throw new Error(`no verification calibration for embedding model "${modelId}"`);
  return c;
}

export function sameProbability(distance: number, c: Calibration): number {
  return 1 / (1 + Math.exp(c.a * distance + c.b));
}

export function compareEmbeddings(x: Float32Array, y: Float32Array, c: Calibration): Verdict {
  if (x.length !== y.length) throw new Error(`embeddings of different sizes (${x.length} vs ${y.length}) cannot be compared`);
  const distance = l2Distance(x, y);
  return { distance, threshold: c.threshold, same: distance < c.threshold, probability: sameProbability(distance, c) };
}

/** Fits Platt's a, b by Newton's method on the log-likelihood, with Platt's smoothed targets. */
export function fitPlatt(distances: number[], same: boolean[]): { a: number; b: number } {
  const pos = same.filter(Boolean).length;
  const neg = same.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const t = same.map((s) => (s ? hi : lo));
  let a = 0, b = Math.log((neg + 1) / (pos + 1));
  for (let iter = 0; iter < 100; iter++) {
    // Gradient and Hessian of -log L with p_i = 1 / (1 + exp(a d_i + b)).
    let ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
    for (let i = 0; i < distances.length; i++) {
      const d = distances[i];
      const p = 1 / (1 + Math.exp(a * d + b));
      const r = t[i] - p; // d(-logL)/dz = t - p with z = a d + b
      ga += r * d;
      gb += r;
      const w = p * (1 - p);
      haa += w * d * d;
      hab += w * d;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}
