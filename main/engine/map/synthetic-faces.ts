// Seeded synthetic face embeddings: Gaussian identities on the unit sphere, for tests and benchmarks.
import { gaussianRandom, seededRandom } from '../math/random.ts';

export interface SyntheticFaces {
  vectors: Float32Array;
  /** Identity index of each face. */
  identities: Int32Array;
  n: number;
  dim: number;
}

/**
 * `identityCount` centres drawn uniformly on the unit sphere; each face is its centre plus isotropic
 * Gaussian noise of expected norm `spread`, then L2-normalised, so two faces of one identity have a
 * cosine similarity of about 1 / (1 + spread^2) and faces of different identities about 0.
 */
export function syntheticFaces(options: {
  faceCount: number;
  identityCount: number;
  dim?: number;
  spread?: number;
  seed?: number;
}): SyntheticFaces {
  const { faceCount: n, identityCount } = options;
  const dim = options.dim ?? 192;
  const spread = options.spread ?? 0.8;
  const gaussian = gaussianRandom(seededRandom(options.seed ?? 1));
  const centres = new Float32Array(identityCount * dim);
  for (let c = 0; c < identityCount; c++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      const v = gaussian();
      centres[c * dim + d] = v;
      sum += v * v;
    }
    const scale = 1 / Math.sqrt(sum);
    for (let d = 0; d < dim; d++) centres[c * dim + d] *= scale;
  }
  const vectors = new Float32Array(n * dim);
  const identities = new Int32Array(n);
  const noise = spread / Math.sqrt(dim);
  for (let i = 0; i < n; i++) {
    const c = i % identityCount;
    identities[i] = c;
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      const v = centres[c * dim + d] + noise * gaussian();
      vectors[i * dim + d] = v;
      sum += v * v;
    }
    const scale = 1 / Math.sqrt(sum);
    for (let d = 0; d < dim; d++) vectors[i * dim + d] *= scale;
  }
  return { vectors, identities, n, dim };
}
