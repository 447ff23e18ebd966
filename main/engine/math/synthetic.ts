// Seeded synthetic face embeddings: Gaussian identities on the unit sphere, for the tests and benchmarks of
// clustering, people and the map (no photos needed).
import { createRng } from './random.ts';

export interface SyntheticFaces {
  vectors: Float32Array;
  n: number;
  dim: number;
  /** Identity of each face, 0..identities-1. */
  identity: Int32Array;
  identities: number;
}

export interface SyntheticOptions {
  /** Number of faces. */
  n: number;
  dim?: number;
  seed?: number;
  /**
   * Faces per identity. 'skewed' draws sizes from P(s) ~ s^-2 (about 60% singletons, a few very large
   * identities), like a personal library; a number gives every identity that many faces.
   */
  sizes?: 'skewed' | number;
  /** Largest identity for 'skewed'. */
  maxIdentitySize?: number;
  /**
   * Per-face noise energy a = sigma^2 * dim (the expected squared norm of the noise), uniform in this
   * range, or this one value. A face is centre + N(0, sigma^2 I), renormalised, so two faces of one
   * identity have ||x - y||^2 ~ 2 - 2 / sqrt((1 + a1)(1 + a2)): a in [0.25, 0.6] gives same-identity
   * distances of about 0.63-0.87; a = s^2 gives a cosine similarity of about 1 / (1 + s^2).
   */
  noise?: [number, number] | number;
  /**
   * Weight of a direction shared by all identity centres (real embeddings are not isotropic): 0.378
   * makes centres' mean dot product 0.125, so different identities sit at about 1.3-1.4; 0 draws the
   * centres uniformly on the sphere (different identities about sqrt(2) apart).
   */
  sharedDirection?: number;
}

export function syntheticFaces(options: SyntheticOptions): SyntheticFaces {
  const { n, dim = 192, seed = 1, sizes = 'skewed', maxIdentitySize = 1000, sharedDirection = 0.378 } = options;
  const noise = typeof options.noise === 'number' ? [options.noise, options.noise] : (options.noise ?? [0.25, 0.6]);
  const rng = createRng(seed);
  const identity = new Int32Array(n);
  const sizeOf: number[] = [];
  // Inverse-CDF sampling of the truncated power law P(s) ~ s^-2.
  const cdf: number[] = [];
  let total = 0;
  for (let s = 1; s <= maxIdentitySize; s++) cdf.push((total += 1 / (s * s)));
  for (let filled = 0; filled < n; ) {
    let size: number;
    if (typeof sizes === 'number') size = sizes;
    else {
      const u = rng.next() * total;
      let lo = 0;
      let hi = cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      size = lo + 1;
    }
    size = Math.min(size, n - filled);
    identity.fill(sizeOf.length, filled, filled + size);
    sizeOf.push(size);
    filled += size;
  }
  // Shuffle faces so an identity's faces are not contiguous rows.
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = identity[i];
    identity[i] = identity[j];
    identity[j] = t;
  }

  const shared = randomUnit(dim, rng);
  const centres = new Float32Array(sizeOf.length * dim);
  for (let c = 0; c < sizeOf.length; c++) {
    const r = randomUnit(dim, rng);
    for (let d = 0; d < dim; d++) r[d] += sharedDirection * shared[d];
    normalise(r);
    centres.set(r, c * dim);
  }
  const vectors = new Float32Array(n * dim);
  const face = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const a = noise[0] + (noise[1] - noise[0]) * rng.next();
    const sigma = Math.sqrt(a / dim);
    const c = identity[i] * dim;
    for (let d = 0; d < dim; d++) face[d] = centres[c + d] + sigma * rng.gaussian();
    normalise(face);
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = face[d];
  }
  return { vectors, n, dim, identity, identities: sizeOf.length };
}

function randomUnit(dim: number, rng: ReturnType<typeof createRng>): Float64Array {
  const v = new Float64Array(dim);
  for (let d = 0; d < dim; d++) v[d] = rng.gaussian();
  return normalise(v);
}

function normalise(v: Float64Array): Float64Array {
  let s = 0;
  for (let d = 0; d < v.length; d++) s += v[d] * v[d];
  const inv = 1 / Math.sqrt(s);
  for (let d = 0; d < v.length; d++) v[d] *= inv;
  return v;
}
