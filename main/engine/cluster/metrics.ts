// Clustering quality against true identities: pairwise and BCubed precision/recall/F1, and NMI.
// Predicted label -1 (noise) counts as a singleton cluster per face.

export interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClusteringScores {
  pairwise: PrecisionRecall;
  bcubed: PrecisionRecall;
  nmi: number;
  /** Predicted clusters, each noise face counted as its own. */
  clusters: number;
  identities: number;
  faces: number;
}

type Labels = ArrayLike<string | number>;

/** Cell counts n_ij of the contingency table between truth and prediction, plus the marginals. */
interface Contingency {
  n: number;
  cells: number[];
  cellTruth: number[];
  cellPredicted: number[];
  truthSizes: number[];
  predictedSizes: number[];
}

function contingency(truth: Labels, predicted: ArrayLike<number>): Contingency {
  if (truth.length !== predicted.length) {
    throw new RangeError(`truth has ${truth.length} labels but prediction has ${predicted.length}`);
  }
  const truthIds = new Map<string | number, number>();
  const predictedIds = new Map<number, number>();
  const cellIds = new Map<number, number>();
  const out: Contingency = { n: truth.length, cells: [], cellTruth: [], cellPredicted: [], truthSizes: [], predictedSizes: [] };
  for (let i = 0; i < truth.length; i++) {
    let t = truthIds.get(truth[i]);
    if (t === undefined) {
      truthIds.set(truth[i], (t = truthIds.size));
      out.truthSizes.push(0);
    }
    // Each noise face is a cluster of its own.
    const raw = predicted[i] < 0 ? -1 - i : predicted[i];
    let p = predictedIds.get(raw);
    if (p === undefined) {
      predictedIds.set(raw, (p = predictedIds.size));
      out.predictedSizes.push(0);
    }
    out.truthSizes[t]++;
    out.predictedSizes[p]++;
    const cellKey = t * (truth.length + 1) + p;
    let c = cellIds.get(cellKey);
    if (c === undefined) {
      cellIds.set(cellKey, (c = out.cells.length));
      out.cells.push(0);
      out.cellTruth.push(t);
      out.cellPredicted.push(p);
    }
    out.cells[c]++;
  }
  return out;
}

function f1(precision: number, recall: number): PrecisionRecall {
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

const pairs = (m: number): number => (m * (m - 1)) / 2;

/**
 * Over all unordered face pairs: precision = pairs together in both / pairs together in the prediction,
 * recall = pairs together in both / pairs together in the truth. A ratio with no pairs to count is 1.
 */
export function pairwiseScores(truth: Labels, predicted: ArrayLike<number>): PrecisionRecall {
  return pairwiseFrom(contingency(truth, predicted));
}

function pairwiseFrom(c: Contingency): PrecisionRecall {
  const together = c.cells.reduce((s, m) => s + pairs(m), 0);
  const predictedPairs = c.predictedSizes.reduce((s, m) => s + pairs(m), 0);
  const truePairs = c.truthSizes.reduce((s, m) => s + pairs(m), 0);
  return f1(predictedPairs > 0 ? together / predictedPairs : 1, truePairs > 0 ? together / truePairs : 1);
}

/**
 * BCubed (Bagga & Baldwin 1998; Amigo et al. 2009): per face, precision = share of its predicted
 * cluster that has its identity, recall = share of its identity that is in its predicted cluster;
 * both averaged over faces. As sums over cells: P = (1/n) sum n_ij^2 / |C_j|, R = (1/n) sum n_ij^2 / |L_i|.
 */
export function bcubedScores(truth: Labels, predicted: ArrayLike<number>): PrecisionRecall {
  return bcubedFrom(contingency(truth, predicted));
}

function bcubedFrom(c: Contingency): PrecisionRecall {
  if (c.n === 0) return f1(1, 1);
  let precision = 0;
  let recall = 0;
  for (let k = 0; k < c.cells.length; k++) {
    const m = c.cells[k];
    precision += (m * m) / c.predictedSizes[c.cellPredicted[k]];
    recall += (m * m) / c.truthSizes[c.cellTruth[k]];
  }
  return f1(precision / c.n, recall / c.n);
}

/**
 * Normalised mutual information with the arithmetic-mean normaliser, NMI = 2 I(T;P) / (H(T) + H(P))
 * (scikit-learn's default). 1 when both labelings have a single group.
 */
export function normalisedMutualInformation(truth: Labels, predicted: ArrayLike<number>): number {
  return nmiFrom(contingency(truth, predicted));
}

function nmiFrom(c: Contingency): number {
  const { n } = c;
  if (n === 0) return 1;
  const entropy = (sizes: number[]): number => sizes.reduce((h, m) => h - (m / n) * Math.log(m / n), 0);
  const hTruth = entropy(c.truthSizes);
  const hPredicted = entropy(c.predictedSizes);
  if (hTruth === 0 && hPredicted === 0) return 1;
  let mutual = 0;
  for (let k = 0; k < c.cells.length; k++) {
    const m = c.cells[k];
    mutual += (m / n) * Math.log((m * n) / (c.truthSizes[c.cellTruth[k]] * c.predictedSizes[c.cellPredicted[k]]));
  }
  // Clamp float round-off.
  return Math.min(1, Math.max(0, (2 * mutual) / (hTruth + hPredicted)));
}

/** All scores at once (one contingency table), as `face-atlas eval cluster` reports them. */
export function clusteringScores(truth: Labels, predicted: ArrayLike<number>): ClusteringScores {
  const c = contingency(truth, predicted);
  return {
    pairwise: pairwiseFrom(c),
    bcubed: bcubedFrom(c),
    nmi: nmiFrom(c),
    clusters: c.predictedSizes.length,
    identities: c.truthSizes.length,
    faces: c.n,
  };
}
