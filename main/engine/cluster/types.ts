// The data contract of identity clustering: embeddings in, one label per face out.

/**
 * Faces to cluster: `n` embeddings of `dim` floats, row-major, each row L2-normalised
 * (so the L2 distance of two rows is sqrt(2 - 2 a.b), in 0..2).
 */
export interface ClusterInput {
  vectors: Float32Array;
  n: number;
  dim: number;
  /** Row pairs that must never share a cluster (two faces in one photo, a user's "not this person"). */
  cannotLink?: Array<[number, number]>;
  /** Row pairs that must share a cluster (faces the user confirmed as the same person). */
  mustLink?: Array<[number, number]>;
}

export interface ClusterOptions {
  /** L2 distance: the largest distance at which two faces (or two clusters, by linkage) are joined. */
  threshold: number;
  /**
   * Average linkage: the threshold for joining two single faces; larger groups may join up to `threshold`
   * (see sizeAwareLimit). Unset: every merge uses `threshold`.
   */
  pairThreshold?: number;
  /**
   * Clusters with fewer faces are returned as noise (-1). For DBSCAN this is minPts, the number of
   * faces within `threshold` (the face itself included) that makes a core face. Default 1, DBSCAN 3.
   */
  minClusterSize?: number;
  /** Neighbours kept per face in the kNN graph. */
  k?: number;
  /** Seed for every random choice (ANN index build, Chinese whispers order). */
  seed?: number;
}

export interface ClusterResult {
  /** One label per input row: 0..clusters-1, numbered by each cluster's first row; -1 = noise / unassigned. */
  labels: Int32Array;
  /** Number of clusters (noise excluded). */
  clusters: number;
}

/** An identity-clustering algorithm. Implementations are pure: same input, options and seed give the same labels. */
export interface Clusterer {
  readonly name: string;
  cluster(input: ClusterInput, options: ClusterOptions): ClusterResult;
}

/** Thrown when the constraints contradict each other (a cannot-link pair joined by a chain of must-links). */
export class ConstraintConflictError extends Error {
  constructor(
    readonly pair: [number, number],
  ) {
    super(`cannot-link pair (${pair[0]}, ${pair[1]}) is joined by must-link constraints`);
    this.name = 'ConstraintConflictError';
  }
}
