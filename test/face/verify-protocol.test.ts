// The LFW protocol pieces and the calibration, against hand-computed values.
import { describe, expect, it } from 'vitest';
import { accuracyAt, bestThreshold, crossValidate, identityPairs, parseLfwPairs, PairsFormatError, rocAuc } from '../../main/engine/eval/verify.ts';
import { compareEmbeddings, fitPlatt, sameProbability } from '../../main/engine/face/verify.ts';

describe('LFW pairs file', () => {
  it('parses folds of same then different lines', () => {
    const text = '2\t1\nA\t1\t2\nA\t1\tB\t3\nC\t2\t4\nC\t1\tD\t1\n';
    const { folds, perClass, pairs } = parseLfwPairs(text);
    expect([folds, perClass]).toEqual([2, 1]);
    expect(pairs).toEqual([
      { a: { name: 'A', image: 1 }, b: { name: 'A', image: 2 }, same: true, fold: 0 },
      { a: { name: 'A', image: 1 }, b: { name: 'B', image: 3 }, same: false, fold: 0 },
      { a: { name: 'C', image: 2 }, b: { name: 'C', image: 4 }, same: true, fold: 1 },
      { a: { name: 'C', image: 1 }, b: { name: 'D', image: 1 }, same: false, fold: 1 },
    ]);
  });

  it('rejects a file with a bad header or missing lines', () => {
    expect(() => parseLfwPairs('hello\n')).toThrow(PairsFormatError);
    expect(() => parseLfwPairs('1\t2\nA\t1\t2\n')).toThrow(/declares/);
  });
});

describe('threshold, accuracy, AUC', () => {
  const d = [0.2, 0.4, 0.5, 0.9, 1.0, 1.3];
  const s = [true, true, false, true, false, false];
  it('accuracy at a threshold counts "same when distance < threshold"', () => {
    expect(accuracyAt(d, s, 0.45)).toBeCloseTo(5 / 6, 12); // wrong: 0.9 (same, called different)
    expect(accuracyAt(d, s, 0.95)).toBeCloseTo(5 / 6, 12); // wrong: 0.5 (different, called same)
  });
  it('best threshold is a midpoint that reaches the best accuracy', () => {
    const b = bestThreshold(d, s);
    expect(b.accuracy).toBeCloseTo(5 / 6, 12);
    expect([0.45, 0.95]).toContain(Number(b.threshold.toFixed(2)));
  });
  it('AUC by Mann-Whitney: 8 of 9 (same, different) pairs ordered right', () => {
    // Same: 0.2, 0.4, 0.9; different: 0.5, 1.0, 1.3. Misordered: (0.9, 0.5) -> AUC = 8/9.
    expect(rocAuc(d, s)).toBeCloseTo(8 / 9, 12);
  });
  it('cross-validation scores each fold at the threshold chosen on the others', () => {
    // Two folds; fold 0's best threshold (0.3..0.5 separates it) is used on fold 1 and vice versa.
    const dist = [0.1, 0.6, 0.3, 0.7];
    const same = [true, false, true, false];
    const r = crossValidate(dist, same, [0, 0, 1, 1], 2);
    expect(r.folds).toBe(2);
    expect(r.perFold[0].threshold).toBeCloseTo(0.5, 12); // from fold 1: midpoint of 0.3 and 0.7
    expect(r.perFold[1].threshold).toBeCloseTo(0.35, 12); // from fold 0: midpoint of 0.1 and 0.6
    expect(r.accuracy.mean).toBe(1);
    expect(r.accuracy.std).toBe(0);
  });
  it('identity-folder pairs: every same pair, as many different ones, balanced across folds, seeded', () => {
    const ids = new Map([['A', ['1.jpg', '2.jpg', '3.jpg']], ['B', ['1.jpg', '2.jpg']], ['C', ['1.jpg']]]);
    const p = identityPairs(ids, 2, 7);
    expect(p.filter((x) => x.same)).toHaveLength(4); // 3 + 1
    expect(p.filter((x) => !x.same)).toHaveLength(4);
    expect(p.filter((x) => !x.same).every((x) => x.a.name !== x.b.name)).toBe(true);
    expect(identityPairs(ids, 2, 7)).toEqual(p);
  });
});

describe('calibration', () => {
  it('Platt fit: probability falls with distance and crosses 0.5 between the classes', () => {
    const d = [0.5, 0.6, 0.7, 0.8, 1.2, 1.3, 1.4, 1.5, 0.95, 1.0];
    const s = [true, true, true, true, false, false, false, false, true, false];
    const c = fitPlatt(d, s);
    expect(c.a).toBeGreaterThan(0);
    const mid = -c.b / c.a; // P = 0.5 where a d + b = 0
    expect(mid).toBeGreaterThan(0.8);
    expect(mid).toBeLessThan(1.2);
    expect(sameProbability(0.5, { threshold: 1, ...c })).toBeGreaterThan(0.9);
    expect(sameProbability(1.5, { threshold: 1, ...c })).toBeLessThan(0.1);
  });
  it('compares two embeddings: distance by hand', () => {
    const v = compareEmbeddings(new Float32Array([1, 0]), new Float32Array([0, 1]), { threshold: 1.5, a: 10, b: -10 });
    expect(v.distance).toBeCloseTo(Math.SQRT2, 6);
    expect(v.same).toBe(true);
    expect(v.probability).toBeCloseTo(1 / (1 + Math.exp(10 * Math.SQRT2 - 10)), 6);
    expect(() => compareEmbeddings(new Float32Array(2), new Float32Array(3), { threshold: 1, a: 1, b: 1 })).toThrow(/different sizes/);
  });
});

describe('pairs that could not be compared', () => {
  it('count as wrong answers without steering the threshold', () => {
    // Fold 0: two found pairs (right at any threshold between 0.3 and 0.7) and one missing pair -> 2/3.
    const dist = [0.2, 0.8, NaN, 0.3, 0.7, 0.25, 0.9];
    const same = [true, false, true, true, false, true, false];
    const r = crossValidate(dist, same, [0, 0, 0, 1, 1, 1, 1], 2);
    expect(r.perFold[0].accuracy).toBeCloseTo(2 / 3, 12);
    expect(r.perFold[1].accuracy).toBe(1);
    expect(r.pairs).toBe(7);
    expect(r.auc).toBe(1);
  });
});
