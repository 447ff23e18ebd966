// Verification (cross-validated threshold) and 1-NN identification on hand-made cases.
import { describe, expect, it } from 'vitest';
import { bestThreshold, identificationAccuracy, verificationAccuracy, verificationPairs } from '../../main/engine/train/metrics.ts';

describe('bestThreshold', () => {
  it('puts the threshold between the last same and the first different pair', () => {
    expect(bestThreshold([0.1, 0.4, 0.2, 0.3], [1, 0, 1, 0], [0, 1, 2, 3])).toBeCloseTo(0.25, 9);
  });

  it('keeps the best split when classes overlap', () => {
    // Sorted: 0.1 s, 0.2 d, 0.3 s, 0.4 s, 0.5 d, 0.6 d. Best: same when <= 0.45 (5 of 6 right).
    expect(bestThreshold([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1, 0, 1, 1, 0, 0], [0, 1, 2, 3, 4, 5])).toBeCloseTo(0.45, 9);
  });
});

describe('verificationAccuracy', () => {
  it('is 1 for separable pairs and about 0.5 for pairs with no signal', () => {
    // Same pairs at 0..19, different ones at 30..49: every fold's threshold falls in the gap.
    const gapped = Array.from({ length: 40 }, (_, i) => (i < 20 ? i : i + 10));
    expect(verificationAccuracy(gapped, gapped.map((d) => (d < 20 ? 1 : 0)), 10, 1).accuracy).toBe(1);
    const distances = Array.from({ length: 40 }, (_, i) => i);
    const alternating = distances.map((d) => d % 2);
    expect(verificationAccuracy(distances, alternating, 10, 1).accuracy).toBeLessThan(0.7);
  });

  it('reports NaN with fewer than two pairs', () => {
    expect(verificationAccuracy([0.3], [1], 10, 1).accuracy).toBeNaN();
  });
});

describe('verificationPairs', () => {
  it('takes every same pair that involves a probe and as many different pairs', () => {
    // Faces 0,1,2 person 0; 3,4 person 1; 5 person 2. Probes 0 and 3.
    const codes = Int32Array.from([0, 0, 0, 1, 1, 2]);
    const pairs = verificationPairs(codes, [0, 3], [0, 1, 2, 3, 4, 5], 3);
    const same = Array.from(pairs.first, (a, k) => [a, pairs.second[k], pairs.same[k]]).filter((p) => p[2]);
    expect(same.map((p) => `${p[0]}-${p[1]}`).sort()).toEqual(['0-1', '0-2', '3-4']);
    expect(pairs.first.length).toBe(6);
    pairs.first.forEach((a, k) => {
      expect(codes[a] === codes[pairs.second[k]]).toBe(pairs.same[k] === 1);
      expect([0, 3]).toContain(pairs.same[k] ? Math.min(a, pairs.second[k]) : a);
    });
  });
});

describe('identificationAccuracy', () => {
  it('counts probes whose nearest other face is the same person', () => {
    // 1-D: person 0 at 0, 1; person 1 at 1.6, 5. Nearest: 0->1 (ok), 1->1.6 (wrong), 1.6->1 (wrong), 5->1.6 (ok).
    const vectors = Float32Array.from([0, 1, 1.6, 5]);
    const codes = Int32Array.from([0, 0, 1, 1]);
    const result = identificationAccuracy(vectors, 1, codes, [0, 1, 2, 3], [0, 1, 2, 3]);
    expect(result.accuracy).toBe(0.5);
    expect(result.probes).toBe(4);
  });

  it('skips probes whose person has no other face in the gallery', () => {
    const vectors = Float32Array.from([0, 1, 9]);
    const result = identificationAccuracy(vectors, 1, Int32Array.from([0, 0, 1]), [0, 2], [0, 1, 2]);
    expect(result.probes).toBe(1);
    expect(result.accuracy).toBe(1);
  });
});
