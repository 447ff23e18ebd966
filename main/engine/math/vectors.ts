// Row-major embedding matrices as Float32Array (n x dim): copies, L2 normalisation and row selection.

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
