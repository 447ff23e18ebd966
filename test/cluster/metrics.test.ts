import { describe, expect, it } from 'vitest';
import {
  bcubedScores,
  clusteringScores,
  normalisedMutualInformation,
  pairwiseScores,
} from '../../main/engine/cluster/metrics.ts';

// Six faces: identities a a a b b c; predicted clusters {0: a a}, {1: a b b}, and c as noise.
const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
const predicted = [0, 0, 1, 1, 1, -1];

describe('clustering metrics on a hand-computed example', () => {
  it('pairwise: 2 of 4 predicted pairs are true, 2 of 4 true pairs are found', () => {
    // Predicted pairs: C(2,2) + C(3,2) = 4; true pairs: C(3,2) + C(2,2) = 4; shared: (a,a) in 0, (b,b) in 1.
    const s = pairwiseScores(truth, predicted);
    expect(s.precision).toBeCloseTo(0.5, 12);
    expect(s.recall).toBeCloseTo(0.5, 12);
    expect(s.f1).toBeCloseTo(0.5, 12);
  });

  it('BCubed: per-face precision 1,1,1/3,2/3,2/3,1 and recall 2/3,2/3,1/3,1,1,1', () => {
    const s = bcubedScores(truth, predicted);
    expect(s.precision).toBeCloseTo(14 / 3 / 6, 12);
    expect(s.recall).toBeCloseTo(14 / 3 / 6, 12);
    expect(s.f1).toBeCloseTo(7 / 9, 12);
  });

  it('NMI: I = ln 2, H(truth) = H(predicted) = ln2/2 + ln3/3 + ln6/6', () => {
    const h = Math.log(2) / 2 + Math.log(3) / 3 + Math.log(6) / 6;
    expect(normalisedMutualInformation(truth, predicted)).toBeCloseTo(Math.log(2) / h, 12);
  });

  it('counts each noise face as a cluster of its own', () => {
    const s = clusteringScores(truth, predicted);
    expect(s.clusters).toBe(3);
    expect(s.identities).toBe(3);
    expect(s.faces).toBe(6);
    // Two noise faces of one identity are two singletons, not a shared cluster.
    expect(pairwiseScores(['x', 'x'], [-1, -1]).recall).toBe(0);
  });
});

describe('clustering metrics at the extremes', () => {
  const ids = [1, 1, 2, 2, 2, 3];

  it('a perfect clustering scores 1 everywhere, whatever the label names', () => {
    const s = clusteringScores(ids, [7, 7, 0, 0, 0, 4]);
    for (const v of [s.pairwise.precision, s.pairwise.recall, s.pairwise.f1, s.bcubed.precision, s.bcubed.recall, s.bcubed.f1, s.nmi]) {
      expect(v).toBeCloseTo(1, 12);
    }
  });

  it('one big cluster: full recall, precision = true pairs / all pairs', () => {
    const s = clusteringScores(ids, [0, 0, 0, 0, 0, 0]);
    expect(s.pairwise.recall).toBe(1);
    expect(s.pairwise.precision).toBeCloseTo(4 / 15, 12);
    // BCubed precision: (2*2/6 + 3*3/6 + 1*1/6) / 6.
    expect(s.bcubed.precision).toBeCloseTo((4 / 6 + 9 / 6 + 1 / 6) / 6, 12);
    expect(s.nmi).toBe(0);
  });

  it('all noise: no predicted pairs (precision 1 by convention), recall 0', () => {
    const s = clusteringScores(ids, [-1, -1, -1, -1, -1, -1]);
    expect(s.pairwise.precision).toBe(1);
    expect(s.pairwise.recall).toBe(0);
    expect(s.pairwise.f1).toBe(0);
    // BCubed recall: each face finds only itself among its identity: (1/2 * 2 + 1/3 * 3 + 1) / 6.
    expect(s.bcubed.recall).toBeCloseTo(3 / 6, 12);
    expect(s.clusters).toBe(6);
  });

  it('rejects label arrays of different lengths', () => {
    expect(() => clusteringScores([1, 2], [0])).toThrow(RangeError);
  });
});
