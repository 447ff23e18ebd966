// Principal-component analysis (PCA) of embeddings: the leading axes of a seeded sample, and rows projected onto
// them (hnsw.ts builds its graph on them, to make distance computations cheaper).
import { createRng } from './random.ts';

export interface Pca {
  inDim: number;
  outDim: number;
  mean: Float64Array;
  /** outDim rows of inDim: the leading principal axes, strongest first. */
  axes: Float64Array;
  /** Share of the sample's variance the axes keep, 0..1. */
  keptVariance: number;
  /** Single-precision copy of the axes, made on first projection. */
  axes32?: Float32Array;
}

/** PCA from the covariance of up to `sampleSize` rows drawn with a seeded generator. */
export function fitPca(
  vectors: Float32Array,
  n: number,
  dim: number,
  outDim: number,
  sampleSize: number,
  seed = 1,
): Pca {
  outDim = Math.min(outDim, dim);
  const rng = createRng(seed);
  const m = Math.min(n, sampleSize);
  const rows = new Int32Array(m);
  for (let s = 0; s < m; s++) rows[s] = m === n ? s : rng.int(n);
  const mean = new Float64Array(dim);
  for (const r of rows) for (let d = 0; d < dim; d++) mean[d] += vectors[r * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= m;
  const cov = new Float64Array(dim * dim);
  const x = new Float64Array(dim);
  for (const r of rows) {
    for (let d = 0; d < dim; d++) x[d] = vectors[r * dim + d] - mean[d];
    for (let a = 0; a < dim; a++) {
      const xa = x[a];
      for (let b = a; b < dim; b++) cov[a * dim + b] += xa * x[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      cov[a * dim + b] /= m;
      cov[b * dim + a] = cov[a * dim + b];
    }
  }
  const { values, vectors: eig } = symmetricEigen(cov, dim);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]);
  const axes = new Float64Array(outDim * dim);
  let kept = 0;
  let total = 0;
  for (let t = 0; t < dim; t++) total += Math.max(0, values[t]);
  for (let o = 0; o < outDim; o++) {
    const c = order[o];
    kept += Math.max(0, values[c]);
    for (let d = 0; d < dim; d++) axes[o * dim + d] = eig[d * dim + c];
  }
  return { inDim: dim, outDim, mean, axes, keptVariance: total > 0 ? kept / total : 1 };
}

/** Projects `count` rows (or one query) onto the axes. */
export function pcaProject(p: Pca, vectors: Float32Array, count: number): Float32Array {
  const { inDim, outDim, mean } = p;
  const axes = (p.axes32 ??= Float32Array.from(p.axes));
  const out = new Float32Array(count * outDim);
  const x = new Float32Array(inDim);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < inDim; d++) x[d] = vectors[i * inDim + d] - mean[d];
    let o = 0;
    // Four axes per sweep over x: each x[d] load serves four dot products.
    for (; o + 3 < outDim; o += 4) {
      const a0 = o * inDim;
      const a1 = a0 + inDim;
      const a2 = a1 + inDim;
      const a3 = a2 + inDim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0; d < inDim; d++) {
        const v = x[d];
        s0 += axes[a0 + d] * v;
        s1 += axes[a1 + d] * v;
        s2 += axes[a2 + d] * v;
        s3 += axes[a3 + d] * v;
      }
      out[i * outDim + o] = s0;
      out[i * outDim + o + 1] = s1;
      out[i * outDim + o + 2] = s2;
      out[i * outDim + o + 3] = s3;
    }
    for (; o < outDim; o++) {
      let s = 0;
      for (let d = 0, a = o * inDim; d < inDim; d++) s += axes[a + d] * x[d];
      out[i * outDim + o] = s;
    }
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan, Matrix
 * Computations, 8.5). Returns eigenvalues and the eigenvectors as the columns of a row-major matrix.
 */
export function symmetricEigen(matrix: Float64Array, dim: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) v[i * dim + i] = 1;
  let scale = 0;
  for (let i = 0; i < dim * dim; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < dim; p++) for (let q = p + 1; q < dim; q++) off += a[p * dim + q] * a[p * dim + q];
    if (off <= 1e-22 * scale) break;
    for (let p = 0; p < dim - 1; p++) {
      for (let q = p + 1; q < dim; q++) {
        const apq = a[p * dim + q];
        if (apq === 0) continue;
        const theta = (a[q * dim + q] - a[p * dim + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < dim; k++) {
          const akp = a[k * dim + p];
          const akq = a[k * dim + q];
          a[k * dim + p] = c * akp - s * akq;
          a[k * dim + q] = s * akp + c * akq;
        }
        for (let k = 0; k < dim; k++) {
          const apk = a[p * dim + k];
          const aqk = a[q * dim + k];
          a[p * dim + k] = c * apk - s * aqk;
          a[q * dim + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < dim; k++) {
          const vkp = v[k * dim + p];
          const vkq = v[k * dim + q];
          v[k * dim + p] = c * vkp - s * vkq;
          v[k * dim + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(dim);
  for (let i = 0; i < dim; i++) values[i] = a[i * dim + i];
  return { values, vectors: v };
}
