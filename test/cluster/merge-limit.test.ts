// The size-aware merge limit on synthetic vectors (no photos): two single faces need to be closer than
// two large groups, the agglomeration follows the limit exactly, and a face's distance to a group is the
// average-linkage distance the people service compares with it.
import { describe, expect, it } from 'vitest';
import { averageLinkage, mergeByAverageLinkage } from '../../main/engine/cluster/average-linkage.ts';
import { prepareConstraints } from '../../main/engine/cluster/constraints.ts';
import { buildFaceGraph } from '../../main/engine/cluster/graph.ts';
import { exactNeighbours } from '../../main/engine/math/neighbours.ts';
import { finishLabels } from '../../main/engine/cluster/labels.ts';
import { distanceToGroup, sizeAwareLimit } from '../../main/engine/cluster/merge-limit.ts';
import { naiveAverageLinkage } from './naive-linkage.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

const DIM = 48;

/** Unit vectors from sparse coordinates {axis: value}, normalised. */
function faces(rows: Array<Record<number, number>>): { vectors: Float32Array; n: number; dim: number } {
  const vectors = new Float32Array(rows.length * DIM);
  rows.forEach((r, i) => {
    const norm = Math.hypot(...Object.values(r));
    for (const [axis, v] of Object.entries(r)) vectors[i * DIM + Number(axis)] = v / norm;
  });
  return { vectors, n: rows.length, dim: DIM };
}

/** Two single faces `d` apart, on axes a and a + 1 (orthogonal to every other pair). */
const pair = (a: number, d: number): Array<Record<number, number>> => {
  const g = 2 * Math.asin(d / 2);
  return [{ [a]: 1 }, { [a]: Math.cos(g), [a + 1]: Math.sin(g) }];
};

/**
 * A tight group of `size` faces (0.5 apart: cos(al) on axis 0 plus sin(al) on one axis each) and one more
 * face whose root-mean-square distance to the group is `rms` (cos(be) on axis 0 plus sin(be) on its own axis).
 */
function groupAndFace(size: number, rms: number): { vectors: Float32Array; n: number; dim: number } {
  const al = Math.asin(0.5 / Math.SQRT2);
  const be = Math.acos((2 - rms * rms) / (2 * Math.cos(al)));
  const rows: Array<Record<number, number>> = [];
  for (let i = 1; i <= size; i++) rows.push({ 0: Math.cos(al), [i]: Math.sin(al) });
  rows.push({ 0: Math.cos(be), [size + 1]: Math.sin(be) });
  return faces(rows);
}

const clusterCount = (input: { vectors: Float32Array; n: number; dim: number }, pairThreshold?: number): number =>
  averageLinkage.cluster(input, { threshold: 0.8, pairThreshold }).clusters;

describe('size-aware merge limit', () => {
  it('is the pair threshold for two single faces and rises towards the threshold as groups grow', () => {
    const limit = sizeAwareLimit(0.8, 0.65);
    expect(limit(1, 1)).toBeCloseTo(0.65, 12);
    expect(limit(1, 2)).toBeCloseTo(0.725, 12);
    expect(limit(2, 2)).toBeCloseTo(0.7625, 12);
    expect(limit(1, 10)).toBeCloseTo(0.785, 12);
    expect(limit(40, 40)).toBeLessThan(0.8);
    expect(limit(40, 40)).toBeGreaterThan(0.7999);
  });

  it('keeps two single faces apart between the pair threshold and the threshold, and joins closer ones', () => {
    const lookalikes = faces([...pair(10, 0.72), ...pair(20, 0.78)]);
    expect(clusterCount(lookalikes)).toBe(2); // one fixed threshold: each pair becomes a "person"
    expect(clusterCount(lookalikes, 0.65)).toBe(4);
    const close = faces([...pair(10, 0.6), ...pair(20, 0.64)]);
    expect(clusterCount(close, 0.65)).toBe(2);
  });

  it('lets a face join a large group at a distance two single faces could not', () => {
    // limit(1, 6) = 0.8 - 0.15 / 6 = 0.775
    expect(clusterCount(groupAndFace(6, 0.76), 0.65)).toBe(1);
    expect(clusterCount(groupAndFace(6, 0.79), 0.65)).toBe(2);
    expect(clusterCount(groupAndFace(6, 0.79))).toBe(1);
    // ...and a group of one face: the same distance keeps them apart.
    expect(clusterCount(groupAndFace(1, 0.76), 0.65)).toBe(2);
  });

  it('measures a face against a group by the average linkage the clustering uses', () => {
    const data = groupAndFace(6, 0.76);
    const dim = data.dim;
    const mean = new Float64Array(dim);
    for (let i = 0; i < 6; i++) for (let d = 0; d < dim; d++) mean[d] += data.vectors[i * dim + d] / 6;
    const length = Math.hypot(...mean);
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += (data.vectors[6 * dim + d] * mean[d]) / length;
    let sum = 0;
    for (let i = 0; i < 6; i++) for (let d = 0; d < dim; d++) sum += (data.vectors[6 * dim + d] - data.vectors[i * dim + d]) ** 2;
    expect(distanceToGroup(dot, length)).toBeCloseTo(Math.sqrt(sum / 6), 6);
    expect(distanceToGroup(dot, length)).toBeCloseTo(0.76, 6);
  });

  // Loose identities (same-identity distances about 0.85-1.1), so limits between 0.9 and 1.3 make real choices.
  const loose = syntheticFaces({ n: 90, dim: 32, seed: 21, noise: [0.6, 1.4], maxIdentitySize: 20 });
  it.each([[1.2, 0.9], [1.3, 1.0], [1.25, 1.15]])('on the complete graph equals textbook agglomeration under the limit (threshold %s, pairs %s)', (threshold, pairThreshold) => {
    const limit = sizeAwareLimit(threshold, pairThreshold);
    const complete = buildFaceGraph(exactNeighbours(loose.vectors, loose.n, loose.dim, loose.n - 1, 2));
    const key = mergeByAverageLinkage(complete, loose, prepareConstraints(loose), threshold, limit);
    const expected = naiveAverageLinkage(loose, threshold, limit);
    expect(Array.from(finishLabels(key).labels)).toEqual(Array.from(expected));
    // ...and differs from one fixed threshold: the limit is doing something.
    expect(Array.from(averageLinkage.cluster(loose, { threshold }).labels)).not.toEqual(Array.from(expected));
  });

  it('still never joins a cannot-link pair, nor splits a must-link pair', () => {
    const data = faces([...pair(10, 0.3), ...pair(20, 0.3)]);
    const { labels } = averageLinkage.cluster({ ...data, cannotLink: [[0, 1]], mustLink: [[2, 0]] }, { threshold: 0.8, pairThreshold: 0.65 });
    expect(labels[0]).not.toBe(labels[1]);
    expect(labels[0]).toBe(labels[2]);
  });
});
