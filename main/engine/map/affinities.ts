// t-SNE input similarities: perplexity-calibrated Gaussian weights on a kNN graph, symmetrised into a sparse P (van der Maaten 2014, Sec. 4.1).

const MAX_BISECTION_STEPS = 200;
const ENTROPY_TOLERANCE = 1e-5;

/**
 * Writes p_{j|i} = exp(-beta d_ij^2) / sum_k exp(-beta d_ik^2) over one row of neighbour distances
 * (Euclidean, ascending) into `out`, with beta = 1 / (2 sigma_i^2) found by bisection so that the
 * Shannon entropy H(P_i) equals log(perplexity) (nats). Returns beta.
 */
export function calibrateRow(
  distances: Float32Array,
  start: number,
  count: number,
  perplexity: number,
  out: Float64Array,
  outStart: number,
): number {
  const targetEntropy = Math.log(Math.min(perplexity, count));
  // Shift by the nearest squared distance so exp() cannot underflow to an all-zero row.
  const nearest = distances[start] * distances[start];
  let beta = 1;
  let betaLow = -Infinity;
  let betaHigh = Infinity;
  for (let step = 0; step < MAX_BISECTION_STEPS; step++) {
    let sum = 0;
    let weighted = 0;
    for (let t = 0; t < count; t++) {
      const shifted = distances[start + t] * distances[start + t] - nearest;
      const p = Math.exp(-beta * shifted);
      out[outStart + t] = p;
      sum += p;
      weighted += p * shifted;
    }
    // H = log(sum) + beta * E[d^2 - d_min^2] for the normalised row.
    const entropy = Math.log(sum) + (beta * weighted) / sum;
    const error = entropy - targetEntropy;
    if (Math.abs(error) < ENTROPY_TOLERANCE) break;
    if (error > 0) {
      betaLow = beta;
      beta = betaHigh === Infinity ? beta * 2 : (beta + betaHigh) / 2;
    } else {
      betaHigh = beta;
      beta = betaLow === -Infinity ? beta / 2 : (beta + betaLow) / 2;
    }
  }
  let sum = 0;
  for (let t = 0; t < count; t++) sum += out[outStart + t];
  for (let t = 0; t < count; t++) out[outStart + t] /= sum;
  return beta;
}

/** Symmetric sparse matrix in CSR form: row i holds columns cols[rowStart[i] .. rowStart[i+1]). */
export interface SparseAffinities {
  n: number;
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/**
 * Sparse joint probabilities p_ij = (p_{j|i} + p_{i|j}) / 2N over the kNN graph (van der Maaten
 * 2014, Sec. 4.1: conditional p_{j|i} only on the floor(3u) nearest neighbours, zero elsewhere).
 */
export function jointProbabilities(
  graph: { n: number; k: number; indices: Int32Array; distances: Float32Array },
  perplexity: number,
): SparseAffinities {
  const { n, k, indices, distances } = graph;
  const conditional = new Float64Array(n * k);
  for (let i = 0; i < n; i++) calibrateRow(distances, i * k, k, perplexity, conditional, i * k);

  // Every conditional entry goes to (i, j) and (j, i); counting sort by row, then merge duplicates.
  const rowCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      rowCount[i + 1]++;
      rowCount[indices[i * k + t] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) rowCount[i + 1] += rowCount[i];
  const fill = rowCount.slice(0, n);
  const rawCols = new Int32Array(rowCount[n]);
  const rawValues = new Float64Array(rowCount[n]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const p = conditional[i * k + t];
      rawCols[fill[i]] = j;
      rawValues[fill[i]++] = p;
      rawCols[fill[j]] = i;
      rawValues[fill[j]++] = p;
    }
  }

  const rowStart = new Int32Array(n + 1);
  const cols = new Int32Array(rowCount[n]);
  const values = new Float64Array(rowCount[n]);
  let written = 0;
  let order = new Int32Array(0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = written;
    const start = rowCount[i];
    const length = rowCount[i + 1] - start;
    if (order.length < length) order = new Int32Array(length * 2);
    const view = order.subarray(0, length);
    for (let t = 0; t < length; t++) view[t] = start + t;
    view.sort((a, b) => rawCols[a] - rawCols[b]);
    for (let t = 0; t < length; t++) {
      const source = view[t];
      if (written > rowStart[i] && cols[written - 1] === rawCols[source]) {
        values[written - 1] += rawValues[source];
      } else {
        cols[written] = rawCols[source];
        values[written++] = rawValues[source];
      }
      total += rawValues[source];
    }
  }
  rowStart[n] = written;
  // Normalising by the total (= 2N when every row sums to one) gives sum_ij p_ij = 1.
  for (let e = 0; e < written; e++) values[e] /= total;
  return { n, rowStart, cols: cols.slice(0, written), values: values.slice(0, written) };
}
