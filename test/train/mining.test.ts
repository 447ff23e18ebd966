// Semi-hard and batch-hard mining on batches whose right negatives are known, and the P x K sampler.
import { describe, expect, it } from 'vitest';
import { batchHardTriplets, semiHardTriplets } from '../../main/engine/train/mining.ts';
import { IdentityBatchSampler } from '../../main/engine/train/sampler.ts';

/** Squared distances of points on a line: (x_i - x_j)^2. */
function lineDistances(xs: number[]): Float32Array {
  const n = xs.length;
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = (xs[i] - xs[j]) ** 2;
  return out;
}

function tripletsOf(set: { anchor: Int32Array; positive: Int32Array; negative: Int32Array }): string[] {
  return Array.from(set.anchor, (a, t) => `${a}-${set.positive[t]}-${set.negative[t]}`);
}

describe('semiHardTriplets (FaceNet sec. 3.2)', () => {
  /**
   * A0 at 0, A1 at 1 (person 0); negatives N1 0.9, N2 1.1, N3 1.2 (person 1), N4 -2 (unlabelled).
   * From A0: ||a-p||^2 = 1, band (1, 1.5) with alpha 0.5: N1 0.81 (hard), N2 1.21 and N3 1.44 (semi-hard),
   * N4 4 (easy). The hardest in the band is N2.
   * From A1: ||a-p||^2 = 1; N1 0.01, N2 0.01, N3 0.04 are hard, N4 9 is past the band: nearest beyond is N4.
   * N1..N3 are anchors of person 1 too: e.g. N1 -> N2 (0.04); A0 0.81 and A1 0.01 are nearer... see below.
   */
  const xs = [0, 1, 0.9, 1.1, 1.2, -2];
  const labels = Int32Array.from([0, 0, 1, 1, 1, -1]);
  const set = semiHardTriplets(lineDistances(xs), labels, 0.5);
  const found = tripletsOf(set);

  it('uses every anchor-positive pair and never an unlabelled anchor', () => {
    // Person 0: 2 ordered pairs; person 1: 3 x 2 = 6.
    expect(set.anchor.length).toBe(8);
    expect(Array.from(set.anchor)).not.toContain(5);
  });

  it('picks the hardest negative inside the semi-hard band', () => {
    expect(found).toContain('0-1-3');
  });

  it('falls back to the nearest negative beyond ||a-p||^2 when the band is empty', () => {
    expect(found).toContain('1-0-5');
  });

  /**
   * N1 (0.9) -> N3 (1.2): ||a-p||^2 = 0.09; negatives A0 0.81, A1 0.01, N4 8.41. Band (0.09, 0.59) is empty;
   * nearest beyond is A0 (0.81). N2 (1.1) -> N1 (0.9): 0.04; A1 at 0.01 is hard, A0 1.21: beyond, past band.
   */
  it('counts semi-hard, easy and hard negatives', () => {
    expect(found).toContain('2-4-0');
    expect(found).toContain('3-2-0');
    expect(set.semiHard + set.easy + set.hard).toBe(8);
    expect(set.semiHard).toBeGreaterThanOrEqual(1);
  });

  /** A0 at 0 and A1 at 3 (||a-p||^2 = 9) with negatives at 1 and 2 (1 and 4 from A0): none beyond. */
  it('takes the farthest of the hard negatives when every negative is nearer than the positive', () => {
    const hardSet = semiHardTriplets(lineDistances([0, 3, 1, 2]), Int32Array.from([0, 0, 1, 1]), 0.2);
    const hardFound = tripletsOf(hardSet);
    expect(hardFound).toContain('0-1-3');
    expect(hardFound).toContain('1-0-2');
    // Person 1's pair (1 apart) has A0 and A1 beyond it.
    expect(hardSet.hard).toBe(2);
  });

  it('gives no triplet when the batch has no negative', () => {
    expect(semiHardTriplets(lineDistances([0, 1, 2]), Int32Array.from([4, 4, 4]), 0.2).anchor.length).toBe(0);
  });
});

describe('batchHardTriplets (Hermans et al. 2017)', () => {
  it('pairs each anchor with its farthest positive and nearest negative', () => {
    // Person 0 at 0, 1, 3; person 1 at 2.4; unlabelled at -0.5. From 0: farthest positive 3 (9), nearest
    // negative -0.5 (0.25). From 1: 3 (4) and 2.4 (1.96). From 3: 0 (9) and 2.4 (0.36). Person 1 has no positive.
    const set = batchHardTriplets(lineDistances([0, 1, 3, 2.4, -0.5]), Int32Array.from([0, 0, 0, 1, -1]), 0.2);
    const found = tripletsOf(set);
    expect(found).toEqual(['0-2-4', '1-2-3', '2-0-3']);
    expect(set.hard).toBe(3);
  });
});

describe('IdentityBatchSampler', () => {
  // 12 people with 1..12 faces, plus 10 unlabelled faces.
  const codes: number[] = [];
  for (let person = 0; person < 12; person++) for (let k = 0; k <= person; k++) codes.push(person);
  for (let k = 0; k < 10; k++) codes.push(-1);
  const labels = Int32Array.from(codes);

  it('draws P people x K faces (K capped per person) plus extra negatives of other people', () => {
    const sampler = new IdentityBatchSampler(labels, { peoplePerBatch: 4, facesPerPerson: 3, extraNegatives: 5 }, 1);
    for (let b = 0; b < 20; b++) {
      const batch = sampler.next();
      expect(new Set(batch.indices).size).toBe(batch.indices.length);
      batch.indices.forEach((face, i) => expect(batch.labels[i]).toBe(labels[face]));
      // The P x K part comes first, the extras last.
      const identityRows = Array.from(batch.labels.subarray(0, batch.labels.length - 5));
      const extraRows = Array.from(batch.labels.subarray(batch.labels.length - 5));
      const people = [...new Set(identityRows)];
      expect(people.length).toBe(4);
      for (const person of people) expect(identityRows.filter((l) => l === person).length).toBe(Math.min(3, person + 1));
      // Person 0 has one face: never one of the P.
      expect(people).not.toContain(0);
      for (const label of extraRows) expect(people).not.toContain(label);
    }
  });

  it('repeats with the same seed and covers every eligible person', () => {
    const a = new IdentityBatchSampler(labels, { peoplePerBatch: 4, facesPerPerson: 3, extraNegatives: 2 }, 7);
    const b = new IdentityBatchSampler(labels, { peoplePerBatch: 4, facesPerPerson: 3, extraNegatives: 2 }, 7);
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const batchA = a.next();
      expect(Array.from(batchA.indices)).toEqual(Array.from(b.next().indices));
      for (const label of batchA.labels) seen.add(label);
    }
    expect(a.people.length).toBe(11);
    for (let person = 1; person < 12; person++) expect(seen.has(person)).toBe(true);
  });
});
