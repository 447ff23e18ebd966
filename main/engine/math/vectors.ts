// Vector math for embeddings: dot products, distances, L2 normalisation, and row-major matrices (n x dim Float32Array).

/** A copy of `vectors` with every row scaled to unit L2 norm (zero rows stay zero). */
export function l2NormalisedRows(vectors: Float32Array, n: number, dim: number): Float32Array {
  if (vectors.length < n * dim) throw new Error(`expected ${n} x ${dim} values, got ${vectors.length}`);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const offset = i * dim;
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += vectors[offset + d] * vectors[offset + d];
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let d = 0; d < dim; d++) out[offset + d] = vectors[offset + d] * scale;
  }
  return out;
}

/** The rows listed in `rows`, packed in that order. */
export function selectRows(vectors: Float32Array, dim: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) out.set(vectors.subarray(rows[r] * dim, rows[r] * dim + dim), r * dim);
  return out;
}

/** Rows as plain number arrays, the shape umap-js and hnswlib-node take. */
export function toRowArrays(vectors: Float32Array, n: number, dim: number): number[][] {
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(vectors.subarray(i * dim, i * dim + dim));
  return rows;
}

/** Dot product of two vectors of equal length (or of `dim` values from the given offsets). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, dim = a.length, ao = 0, bo = 0): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += a[ao + k] * b[bo + k];
  return s;
}

/** L2 distance between two unit vectors from their dot product: sqrt(2 - 2 a.b). */
export const unitDistance = (dotProduct: number): number => Math.sqrt(Math.max(0, 2 - 2 * dotProduct));

/** Euclidean distance between two vectors of equal length. */
export function l2Distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return Math.sqrt(s);
}

/** A copy of `v` scaled to unit L2 norm (a zero vector stays zero). */
export function l2Normalised(v: ArrayLike<number>): Float32Array {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float32Array(v.length);
  for (let k = 0; k < v.length; k++) out[k] = v[k] * inv;
  return out;
}
