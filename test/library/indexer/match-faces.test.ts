// Matching re-detected faces to old ones: overlap decides, and the embedding vetoes a different person in the same place.
import { describe, expect, it } from 'vitest';
import { boxIoU, matchReDetectedFaces } from '../../../main/engine/library/indexer/match-faces.ts';

const unit = (...v: number[]): Float32Array => {
  const n = Math.hypot(...v);
  return new Float32Array(v.map((x) => x / n));
};
const opts = { minIoU: 0.5, maxDistance: 0.8 };

describe('boxIoU', () => {
  it('is 1 for the same box, 0 apart, and the overlap ratio between', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(boxIoU(a, a)).toBe(1);
    expect(boxIoU(a, { x: 20, y: 0, width: 10, height: 10 })).toBe(0);
    expect(boxIoU(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150);
  });
});

describe('matchReDetectedFaces', () => {
  const old = [
    { id: 7, box: { x: 0, y: 0, width: 100, height: 100 }, embedding: unit(1, 0, 0), modelId: 'm' },
    { id: 9, box: { x: 300, y: 0, width: 100, height: 100 }, embedding: unit(0, 1, 0), modelId: 'm' },
  ];

  it('keeps ids of faces found again in place, in any order, one to one', () => {
    const found = [
      { box: { x: 305, y: 2, width: 98, height: 100 }, embedding: unit(0.1, 1, 0), modelId: 'm' },
      { box: { x: 2, y: 1, width: 100, height: 99 }, embedding: unit(1, 0.1, 0), modelId: 'm' },
      { box: { x: 4, y: 4, width: 100, height: 100 }, embedding: unit(1, 0.2, 0), modelId: 'm' },
      { box: { x: 600, y: 0, width: 50, height: 50 }, embedding: unit(0, 0, 1), modelId: 'm' },
    ];
    expect(matchReDetectedFaces(old, found, opts)).toEqual([9, 7, null, null]);
  });

  it('does not hand a name to a different face at the same place', () => {
    const stranger = [{ box: { x: 0, y: 0, width: 100, height: 100 }, embedding: unit(0, 0, 1), modelId: 'm' }];
    expect(matchReDetectedFaces(old, stranger, opts)).toEqual([null]);
  });

  it('relies on overlap alone across embedding models (their vectors are not comparable)', () => {
    const otherModel = [{ box: { x: 1, y: 1, width: 100, height: 100 }, embedding: unit(0, 0, 1, 0), modelId: 'n' }];
    expect(matchReDetectedFaces(old, otherModel, opts)).toEqual([7]);
  });
});
