import { describe, expect, it } from 'vitest';
import { averageLinkage, mergeByAverageLinkage } from '../../main/engine/cluster/average-linkage.ts';
import { prepareConstraints } from '../../main/engine/cluster/constraints.ts';
import { buildFaceGraph } from '../../main/engine/cluster/graph.ts';
import { exactNeighbours } from '../../main/engine/math/neighbours.ts';
import { finishLabels } from '../../main/engine/cluster/labels.ts';
import { naiveAverageLinkage } from './naive-linkage.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

// Loose identities (same-identity distances about 0.85-1.1) so that thresholds around 1.1-1.3 make
// real choices between merging and not.
const faces = syntheticFaces({ n: 90, dim: 32, seed: 21, noise: [0.6, 1.4], maxIdentitySize: 20 });

describe('average linkage on the face graph', () => {
  it.each([0.9, 1.1, 1.2, 1.3])('on the complete graph equals textbook agglomeration (threshold %s)', (threshold) => {
    const complete = buildFaceGraph(exactNeighbours(faces.vectors, faces.n, faces.dim, faces.n - 1, 2));
    const key = mergeByAverageLinkage(complete, faces, prepareConstraints(faces), threshold);
    expect(Array.from(finishLabels(key).labels)).toEqual(Array.from(naiveAverageLinkage(faces, threshold)));
  });

  it.each([0.9, 1.1, 1.2])('on the sparse kNN graph (k = 10, radius = threshold) still equals it (threshold %s)', (threshold) => {
    const result = averageLinkage.cluster(faces, { threshold, k: 10 });
    expect(Array.from(result.labels)).toEqual(Array.from(naiveAverageLinkage(faces, threshold)));
  });

  it('stops at the threshold: every two clusters left are farther apart than it', () => {
    const threshold = 1.15;
    const { labels, clusters } = averageLinkage.cluster(faces, { threshold });
    const members: number[][] = Array.from({ length: clusters }, () => []);
    labels.forEach((l, i) => members[l].push(i));
    const rms = (a: number[], b: number[]): number => {
      let sum = 0;
      for (const i of a) for (const j of b) for (let d = 0; d < faces.dim; d++) sum += (faces.vectors[i * faces.dim + d] - faces.vectors[j * faces.dim + d]) ** 2;
      return Math.sqrt(sum / (a.length * b.length));
    };
    for (let a = 0; a < clusters; a++) for (let b = a + 1; b < clusters; b++) expect(rms(members[a], members[b])).toBeGreaterThan(threshold);
  });
});
