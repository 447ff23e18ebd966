// The one synthetic-embedding generator behind the clustering, people and map tests and benchmarks: its
// options give the geometry their comments promise.
import { describe, expect, it } from 'vitest';
import { dot } from '../../main/engine/math/vectors.ts';
import { syntheticFaces, type SyntheticFaces } from '../../main/engine/math/synthetic.ts';

/** Mean cosine similarity of face pairs of one identity and of different identities (first 400 faces). */
function meanCosines(faces: SyntheticFaces): { same: number; different: number } {
  const m = Math.min(faces.n, 400);
  const sums = { same: 0, different: 0 };
  const counts = { same: 0, different: 0 };
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const kind = faces.identity[a] === faces.identity[b] ? 'same' : 'different';
      sums[kind] += dot(faces.vectors, faces.vectors, faces.dim, a * faces.dim, b * faces.dim);
      counts[kind]++;
    }
  }
  return { same: sums.same / counts.same, different: sums.different / counts.different };
}

describe('syntheticFaces', () => {
  it('gives unit rows, the same ones for a seed and others for another seed', () => {
    const a = syntheticFaces({ n: 200, dim: 32, seed: 5 });
    const b = syntheticFaces({ n: 200, dim: 32, seed: 5 });
    const c = syntheticFaces({ n: 200, dim: 32, seed: 6 });
    expect(Array.from(a.vectors)).toEqual(Array.from(b.vectors));
    expect(Array.from(a.vectors)).not.toEqual(Array.from(c.vectors));
    for (let i = 0; i < a.n; i++) expect(dot(a.vectors, a.vectors, a.dim, i * a.dim, i * a.dim)).toBeCloseTo(1, 5);
  });

  it('makes even identities of the given size, or skewed ones with many singletons', () => {
    const even = syntheticFaces({ n: 600, sizes: 20, seed: 1 });
    expect(even.identities).toBe(30);
    const sizes = new Array<number>(even.identities).fill(0);
    for (const id of even.identity) sizes[id]++;
    expect(new Set(sizes)).toEqual(new Set([20]));

    const skewed = syntheticFaces({ n: 5000, seed: 1 });
    const skewedSizes = new Array<number>(skewed.identities).fill(0);
    for (const id of skewed.identity) skewedSizes[id]++;
    const singletons = skewedSizes.filter((s) => s === 1).length;
    expect(singletons / skewed.identities).toBeGreaterThan(0.5);
    expect(Math.max(...skewedSizes)).toBeGreaterThan(20);
  });

  it('places faces of one identity at cosine ~1 / (1 + a) for noise energy a, and identities apart by the shared direction', () => {
    // Isotropic centres (the map's tests and benchmark): different identities about orthogonal.
    const isotropic = meanCosines(syntheticFaces({ n: 400, sizes: 20, noise: 1.2 ** 2, sharedDirection: 0, seed: 2 }));
    expect(isotropic.same).toBeCloseTo(1 / (1 + 1.2 ** 2), 1);
    expect(Math.abs(isotropic.different)).toBeLessThan(0.02);
    // The clustering default: a shared direction of weight 0.378 puts centres at a mean dot product of
    // 0.125, so faces at about 0.125 / (1 + a) = 0.09.
    const shared = meanCosines(syntheticFaces({ n: 400, sizes: 20, noise: 0.4, seed: 2 }));
    expect(shared.same).toBeCloseTo(1 / 1.4, 1);
    expect(shared.different).toBeGreaterThan(0.06);
    expect(shared.different).toBeLessThan(0.12);
  });
});
