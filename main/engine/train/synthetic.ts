// Synthetic identities for tests and benchmarks: embeddings a linear head can improve, and image crops a
// small conv net can learn.
import type { LabelledEmbeddings } from './dataset.ts';
import { normalDeviates, seededRandom, type Random } from '../math/random.ts';

export interface SyntheticEmbeddingOptions {
  people: number;
  facesPerPerson: number;
  dim: number;
  /** Dimensions that carry identity; the rest are per-face nuisance (pose, light). */
  identityDims: number;
  /** Spread of person centres in the identity dims. */
  identityScale: number;
  /** Per-face spread within a person in the identity dims. */
  withinScale: number;
  /** Per-face spread in the nuisance dims: larger than identityScale makes raw L2 distance a poor identity cue. */
  nuisanceScale: number;
  seed: number;
  /** Label prefix, so two sets drawn with different seeds do not share people. */
  prefix: string;
}

/** A random rotation (orthonormal columns by Gram-Schmidt on Gaussian vectors), row-major dim x dim. */
export function randomRotation(dim: number, random: Random): Float32Array {
  const q = new Float64Array(dim * dim);
  const v = normalDeviates(dim * dim, random);
  for (let col = 0; col < dim; col++) {
    const column = new Float64Array(dim);
    for (let r = 0; r < dim; r++) column[r] = v[r * dim + col];
    for (let prev = 0; prev < col; prev++) {
      let dot = 0;
      for (let r = 0; r < dim; r++) dot += column[r] * q[r * dim + prev];
      for (let r = 0; r < dim; r++) column[r] -= dot * q[r * dim + prev];
    }
    const norm = Math.hypot(...column);
    for (let r = 0; r < dim; r++) q[r * dim + col] = column[r] / norm;
  }
  return Float32Array.from(q);
}

/**
 * Faces whose identity lives in a few dimensions, buried under larger nuisance variation and rotated so
 * no single coordinate shows it: a linear head that shrinks the nuisance subspace separates them.
 * The rotation depends only on `dim` and a fixed seed, so sets with different seeds share the same
 * nuisance subspace (as faces of new people share pose and light variation).
 */
export function syntheticEmbeddings(options: Partial<SyntheticEmbeddingOptions> = {}): LabelledEmbeddings {
  const o: SyntheticEmbeddingOptions = {
    people: 20,
    facesPerPerson: 8,
    dim: 32,
    identityDims: 8,
    identityScale: 1,
    withinScale: 0.25,
    nuisanceScale: 0.6,
    seed: 1,
    prefix: 'person',
    ...options,
  };
  const random = seededRandom(o.seed);
  const rotation = randomRotation(o.dim, seededRandom(0x5eed));
  const count = o.people * o.facesPerPerson;
  const vectors = new Float32Array(count * o.dim);
  const labels: string[] = [];
  const raw = new Float32Array(o.dim);
  for (let p = 0; p < o.people; p++) {
    const centre = normalDeviates(o.identityDims, random, o.identityScale);
    for (let f = 0; f < o.facesPerPerson; f++) {
      const face = p * o.facesPerPerson + f;
      const within = normalDeviates(o.identityDims, random, o.withinScale);
      const nuisance = normalDeviates(o.dim - o.identityDims, random, o.nuisanceScale);
      for (let c = 0; c < o.identityDims; c++) raw[c] = centre[c] + within[c];
      for (let c = o.identityDims; c < o.dim; c++) raw[c] = nuisance[c - o.identityDims];
      let norm = 0;
      for (let r = 0; r < o.dim; r++) {
        let sum = 0;
        for (let c = 0; c < o.dim; c++) sum += rotation[r * o.dim + c] * raw[c];
        vectors[face * o.dim + r] = sum;
        norm += sum * sum;
      }
      for (let r = 0; r < o.dim; r++) vectors[face * o.dim + r] /= Math.sqrt(norm);
      labels.push(`${o.prefix}${p}`);
    }
  }
  return { vectors, dim: o.dim, labels };
}

export interface SyntheticCrops {
  /** N x size x size x 3, values in 0..1. */
  pixels: Float32Array;
  size: number;
  labels: string[];
}

/**
 * Procedural "faces": each person is a grating with its own orientation and frequency; each image has a
 * random phase, a random colour cast (the nuisance a random net latches onto) and pixel noise.
 */
export function syntheticCrops(options: { people: number; imagesPerPerson: number; size: number; seed: number; noise?: number }): SyntheticCrops {
  const { people, imagesPerPerson, size, seed } = options;
  const noise = options.noise ?? 0.1;
  const random = seededRandom(seed);
  const pixels = new Float32Array(people * imagesPerPerson * size * size * 3);
  const labels: string[] = [];
  for (let p = 0; p < people; p++) {
    const angle = (Math.PI * p) / people;
    const frequency = (2 * Math.PI * (2 + (p % 3))) / size;
    for (let k = 0; k < imagesPerPerson; k++) {
      const phase = random() * 2 * Math.PI;
      const cast = [random(), random(), random()];
      const base = (p * imagesPerPerson + k) * size * size * 3;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const wave = 0.5 + 0.5 * Math.sin(frequency * (x * Math.cos(angle) + y * Math.sin(angle)) + phase);
          for (let c = 0; c < 3; c++) {
            const value = 0.5 * wave + 0.5 * cast[c] + noise * (random() - 0.5);
            pixels[base + (y * size + x) * 3 + c] = Math.min(1, Math.max(0, value));
          }
        }
      }
      labels.push(`pattern${p}`);
    }
  }
  return { pixels, size, labels };
}
