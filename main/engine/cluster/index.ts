// Identity clustering: the public API (clusterers by name, defaults, assignment, quality metrics).
import { averageLinkage } from './average-linkage.ts';
import { chineseWhispersClusterer } from './chinese-whispers.ts';
import { DEFAULT_CLUSTERER, DEFAULT_THRESHOLD } from './constants.ts';
import { dbscanClusterer } from './dbscan.ts';
import type { ClusterInput, ClusterOptions, ClusterResult, Clusterer } from './types.ts';

export const clusterers = {
  'average-linkage': averageLinkage,
  'chinese-whispers': chineseWhispersClusterer,
  dbscan: dbscanClusterer,
} as const satisfies Record<string, Clusterer>;

export type ClustererName = keyof typeof clusterers;

export function isClustererName(name: string): name is ClustererName {
  return Object.hasOwn(clusterers, name);
}

export function createClusterer(name: ClustererName = DEFAULT_CLUSTERER): Clusterer {
  return clusterers[name];
}

/** Clusters faces with the default algorithm and threshold unless told otherwise. */
export function clusterFaces(input: ClusterInput, options: Partial<ClusterOptions> & { algorithm?: ClustererName } = {}): ClusterResult {
  const { algorithm, ...rest } = options;
  return createClusterer(algorithm).cluster(input, { ...rest, threshold: rest.threshold ?? DEFAULT_THRESHOLD });
}

export { DEFAULT_CLUSTERER, DEFAULT_THRESHOLD };
export { PersonIndex, personCentroids, type AssignOptions, type FaceAssignment, type PersonMatch } from './assign.ts';
export { bcubedScores, clusteringScores, normalisedMutualInformation, pairwiseScores } from './metrics.ts';
export type { ClusteringScores, PrecisionRecall } from './metrics.ts';
export { ConstraintConflictError } from './types.ts';
export type { ClusterInput, ClusterOptions, ClusterResult, Clusterer } from './types.ts';
