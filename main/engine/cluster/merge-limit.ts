// How far apart two groups of faces may be and still be joined, by their sizes: the one rule that both
// the agglomeration and the assignment of new faces to people follow.

/**
 * The largest average-linkage distance at which clusters of these sizes may merge, at most the threshold
 * the face graph was built with (its radius).
 */
export type MergeLimit = (sizeA: number, sizeB: number) => number;

/**
 * The size-aware limit on the average-linkage (root-mean-square) distance between groups of `a` and `b`
 * faces: `pairThreshold` for two single faces, rising as 1/(a b) towards `threshold` for large groups:
 *   limit(a, b) = threshold - (threshold - pairThreshold) / (a b).
 * Why: one face pair is one noisy measurement, and in a library of thousands of people seen once every
 * face has some stranger close to it by chance (dev + strangers: the nearest other person's face is
 * 0.69-0.85 away, median 0.78, while 95% of faces have a face of their own person within 0.63). The
 * average over a b pairs is a steadier measurement, so groups may merge at the looser threshold that
 * varied identities need (ORL/Yale/BBT faces of one person average 0.7-0.8 apart).
 */
export function sizeAwareLimit(threshold: number, pairThreshold: number): MergeLimit {
  const gap = threshold - pairThreshold;
  return (a, b) => threshold - gap / (a * b);
}

/**
 * Average-linkage distance from one unit face to a group of unit faces, from the face's dot product with
 * the group's unit mean direction and the length of the group's mean vector (1 for one face, smaller the
 * more its faces spread): the mean of ||x - f||^2 over the group is 2 - 2 x.mean.
 */
export function distanceToGroup(dotWithUnitMean: number, meanLength: number): number {
  return Math.sqrt(Math.max(0, 2 - 2 * dotWithUnitMean * meanLength));
}
