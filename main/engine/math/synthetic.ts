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
  const { identity, sizeOf } = drawIdentities(n, rng, maxIdentitySize, (s) => 1 / (s * s), typeof sizes === 'number' ? sizes : undefined);

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

/**
 * Identity of each of n faces, shuffled: sizes drawn by inverse-CDF sampling of the truncated power law
 * P(s) ~ weight(s), s = 1..maxSize (or all `fixed`), the last one cut to fill n exactly.
 */
function drawIdentities(n: number, rng: ReturnType<typeof createRng>, maxSize: number, weight: (s: number) => number, fixed?: number) {
  const identity = new Int32Array(n);
  const sizeOf: number[] = [];
  const cdf: number[] = [];
  let total = 0;
  for (let s = 1; s <= maxSize; s++) cdf.push((total += weight(s)));
  for (let filled = 0; filled < n; ) {
    let size: number;
    if (fixed !== undefined) size = fixed;
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
  return { identity, sizeOf };
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

export interface LibraryLikeOptions {
  n: number;
  dim?: number;
  seed?: number;
  /** Identity sizes P(s) ~ s^-exponent: 2.5 gives about 3 in 4 identities seen once (LFW: 4,069 of 5,749). */
  sizeExponent?: number;
  maxIdentitySize?: number;
  /** Share of every identity centre along one direction: the mean similarity of any two faces. */
  shared?: number;
  /** Dimensions the identities differ in (real embeddings use far fewer than they have). */
  identityDims?: number;
  /** Groups of alike identities (look-alikes), and the weight of the group in an identity's direction. */
  groups?: number;
  groupWeight?: number;
  /** Per-face noise energy a = sigma^2 dim is log-normal: exp(mu + s z). */
  noiseLogMean?: number;
  noiseLogSd?: number;
}

/**
 * Faces whose distances follow the fused embedding's on real photos (dev + strangers, 1,809 labelled
 * faces, measured with `face-atlas eval cluster --keep-db` catalogs): same person 0.56 +- 0.13 apart (10%
 * under 0.39, 10% over 0.72), different people 1.07 +- 0.08 with a heavy near tail (1 pair in 1,000 under
 * 0.81, 1 in 10,000 under 0.75) from look-alike groups and a low identity dimension, noisy faces that sit
 * far from their own person, and mostly people seen once. The defaults were fitted by hand on 3,000 faces
 * (seed 7): same 0.40 / 0.55 / 0.74 (10th / 50th / 90th percentile; real 0.39 / 0.56 / 0.72), different
 * 1.077 +- 0.083 with 1 in 1,000 under 0.80 and 1 in 10,000 under 0.74 (real 1.072 +- 0.078, 0.81, 0.75),
 * nearest other person among 1,500 faces 0.68 / 0.72 / 0.80 (1st / 5th / 50th; real 0.69 / 0.72 / 0.79).
 */
export function libraryLikeFaces(options: LibraryLikeOptions): SyntheticFaces {
  const {
    n, dim = 192, seed = 1, sizeExponent = 2.5, maxIdentitySize = 300, shared = 0.5, identityDims = 36,
    groups = 12, groupWeight = 0.15, noiseLogMean = -1.75, noiseLogSd = 0.8,
  } = options;
  const rng = createRng(seed);
  const { identity, sizeOf } = drawIdentities(n, rng, maxIdentitySize, (s) => s ** -sizeExponent);
  const identities = sizeOf.length;
  const inIdentitySpace = (): Float64Array => {
    const v = new Float64Array(dim);
    for (let d = 1; d <= identityDims; d++) v[d] = rng.gaussian();
    return normalise(v);
  };
  const groupDirs = Array.from({ length: groups }, inIdentitySpace);
  const centres = new Float64Array(identities * dim);
  for (let c = 0; c < identities; c++) {
    const g = groupDirs[rng.int(groups)];
    const u = inIdentitySpace();
    const v = new Float64Array(dim);
    for (let d = 0; d < dim; d++) v[d] = Math.sqrt(groupWeight) * g[d] + Math.sqrt(1 - groupWeight) * u[d];
    normalise(v);
    // Axis 0 is the shared direction; identity directions never use it.
    for (let d = 1; d < dim; d++) centres[c * dim + d] = Math.sqrt(1 - shared) * v[d];
    centres[c * dim] = Math.sqrt(shared);
  }
  const vectors = new Float32Array(n * dim);
  const face = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const sigma = Math.sqrt(Math.exp(noiseLogMean + noiseLogSd * rng.gaussian()) / dim);
    const c = identity[i] * dim;
    for (let d = 0; d < dim; d++) face[d] = centres[c + d] + sigma * rng.gaussian();
    normalise(face);
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = face[d];
  }
  return { vectors, n, dim, identity, identities };
}
