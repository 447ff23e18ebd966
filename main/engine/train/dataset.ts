// Labelled embeddings as the trainer sees them: row-major vectors and one identity code per face.

/** Face embeddings with their person labels; `null` (or '') marks an unlabelled face, used only as a negative. */
export interface LabelledEmbeddings {
  /** N x dim, row-major. */
  vectors: Float32Array;
  dim: number;
  labels: readonly (string | null)[];
}

/** Identity codes 0..people-1 per face, -1 for unlabelled faces. */
export interface EncodedLabels {
  codes: Int32Array;
  names: string[];
}

export const UNLABELLED = -1;

export function encodeLabels(labels: readonly (string | null)[]): EncodedLabels {
  const index = new Map<string, number>();
  const names: string[] = [];
  const codes = new Int32Array(labels.length);
  labels.forEach((label, i) => {
    if (label === null || label === '') {
      codes[i] = UNLABELLED;
      return;
    }
    let code = index.get(label);
    if (code === undefined) {
      code = names.length;
      index.set(label, code);
      names.push(label);
    }
    codes[i] = code;
  });
  return { codes, names };
}

export function faceCount(data: LabelledEmbeddings): number {
  return data.vectors.length / data.dim;
}

export function checkEmbeddings(data: LabelledEmbeddings): void {
  if (!Number.isInteger(data.dim) || data.dim <= 0) throw new Error(`embedding dim must be a positive integer, got ${data.dim}`);
  if (data.vectors.length % data.dim !== 0) throw new Error(`vectors length ${data.vectors.length} is not a multiple of dim ${data.dim}`);
  const n = data.vectors.length / data.dim;
  if (data.labels.length !== n) throw new Error(`${data.labels.length} labels for ${n} embeddings`);
}

/** The rows `indices` of a row-major matrix. */
export function selectRows(vectors: Float32Array, dim: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * dim);
  for (let i = 0; i < indices.length; i++) out.set(vectors.subarray(indices[i] * dim, (indices[i] + 1) * dim), i * dim);
  return out;
}

export function subset(data: LabelledEmbeddings, indices: ArrayLike<number>): LabelledEmbeddings {
  return {
    vectors: selectRows(data.vectors, data.dim, indices),
    dim: data.dim,
    labels: Array.from(indices, (i) => data.labels[i]),
  };
}

