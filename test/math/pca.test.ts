import { describe, expect, it } from 'vitest';
import { fitPca, pcaProject, symmetricEigen } from '../../main/engine/math/pca.ts';
import { createRng } from '../../main/engine/math/random.ts';

describe('symmetric eigen-decomposition', () => {
  it('satisfies A v = lambda v with orthonormal vectors', () => {
    const dim = 12;
    const rng = createRng(3);
    const a = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) a[i * dim + j] = a[j * dim + i] = rng.gaussian();
    const { values, vectors } = symmetricEigen(a, dim);
    for (let c = 0; c < dim; c++) {
      for (let i = 0; i < dim; i++) {
        let av = 0;
        for (let j = 0; j < dim; j++) av += a[i * dim + j] * vectors[j * dim + c];
        expect(av).toBeCloseTo(values[c] * vectors[i * dim + c], 9);
      }
      for (let c2 = 0; c2 < dim; c2++) {
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += vectors[i * dim + c] * vectors[i * dim + c2];
        expect(dot).toBeCloseTo(c === c2 ? 1 : 0, 9);
      }
    }
  });
});

describe('principal-component projection', () => {
  it('finds the axes the data varies along and keeps distances within them', () => {
    // Points spread along x0 (std 3) and x2 (std 2), barely along the other 6 axes.
    const dim = 8;
    const n = 2000;
    const rng = createRng(4);
    const vectors = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dim; d++) vectors[i * dim + d] = 0.01 * rng.gaussian();
      vectors[i * dim] += 3 * rng.gaussian();
      vectors[i * dim + 2] += 2 * rng.gaussian();
    }
    const p = fitPca(vectors, n, dim, 2, n);
    expect(Math.abs(p.axes[0])).toBeCloseTo(1, 2);
    expect(Math.abs(p.axes[dim + 2])).toBeCloseTo(1, 2);
    expect(p.keptVariance).toBeGreaterThan(0.999);
    const projected = pcaProject(p, vectors, n);
    const d2 = (a: Float32Array, i: number, j: number, w: number): number => {
      let s = 0;
      for (let d = 0; d < w; d++) s += (a[i * w + d] - a[j * w + d]) ** 2;
      return Math.sqrt(s);
    };
    for (let t = 0; t < 20; t++) expect(d2(projected, t, t + 1, 2)).toBeCloseTo(d2(vectors, t, t + 1, dim), 1);
  });
});
