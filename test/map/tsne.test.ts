// Barnes-Hut t-SNE pieces against their definitions: calibrated P, exact repulsion at theta = 0, a falling cost.
import { describe, expect, it } from 'vitest';
import { calibrateRow, jointProbabilities } from '../../main/engine/map/affinities.ts';
import { exactNeighbours } from '../../main/engine/math/neighbours.ts';
import { QuadTree } from '../../main/engine/map/quadtree.ts';
import { gaussianRandom, seededRandom } from '../../main/engine/math/random.ts';
import { BarnesHutTsne, tsneNeighbourCount } from '../../main/engine/map/tsne.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

function randomPoints(n: number, seed: number, scale = 3): Float64Array {
  const gaussian = gaussianRandom(seededRandom(seed));
  return Float64Array.from({ length: 2 * n }, () => scale * gaussian());
}

describe('calibrateRow', () => {
  it('finds the bandwidth whose row entropy is log(perplexity)', () => {
    const distances = Float32Array.from({ length: 60 }, (_, t) => 0.5 + 0.02 * t);
    const p = new Float64Array(60);
    calibrateRow(distances, 0, 60, 12, p, 0);
    let sum = 0;
    let entropy = 0;
    for (const value of p) {
      sum += value;
      if (value > 0) entropy -= value * Math.log(value);
    }
    expect(sum).toBeCloseTo(1, 10);
    expect(Math.exp(entropy)).toBeCloseTo(12, 3);
    for (let t = 1; t < 60; t++) expect(p[t]).toBeLessThanOrEqual(p[t - 1]);
  });
});

describe('jointProbabilities', () => {
  it('is symmetric, non-negative and sums to one', () => {
    const faces = syntheticFaces({ n: 150, sizes: 30, noise: 0.8 ** 2, sharedDirection: 0, seed: 2 });
    const graph = exactNeighbours(faces.vectors, faces.n, faces.dim, tsneNeighbourCount(10, faces.n));
    const p = jointProbabilities(graph, 10);
    const entries = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < p.n; i++) {
      for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) {
        expect(p.values[e]).toBeGreaterThan(0);
        expect(p.cols[e]).not.toBe(i);
        entries.set(`${i},${p.cols[e]}`, p.values[e]);
        total += p.values[e];
      }
    }
    expect(total).toBeCloseTo(1, 10);
    for (const [pair, value] of entries) {
      const [i, j] = pair.split(',');
      expect(entries.get(`${j},${i}`)).toBeCloseTo(value, 15);
    }
  });
});

describe('QuadTree.repulsion', () => {
  function exactRepulsion(y: Float64Array, n: number, i: number): { z: number; fx: number; fy: number } {
    let z = 0;
    let fx = 0;
    let fy = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = y[2 * i] - y[2 * j];
      const dy = y[2 * i + 1] - y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy);
      z += q;
      fx += q * q * dx;
      fy += q * q * dy;
    }
    return { z, fx, fy };
  }

  it('equals the exact O(n^2) sums at theta = 0, duplicates included', () => {
    const n = 200;
    const y = randomPoints(n, 4);
    y[2 * 7] = y[2 * 8];
    y[2 * 7 + 1] = y[2 * 8 + 1];
    const tree = new QuadTree();
    tree.build(y, n);
    const force = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const z = tree.repulsion(i, y[2 * i], y[2 * i + 1], 0, force);
      const exact = exactRepulsion(y, n, i);
      expect(z).toBeCloseTo(exact.z, 9);
      expect(force[2 * i]).toBeCloseTo(exact.fx, 9);
      expect(force[2 * i + 1]).toBeCloseTo(exact.fy, 9);
    }
  });

  it('approximates better as theta falls, within 10% of Z at the default theta', () => {
    const n = 2000;
    const y = randomPoints(n, 5, 20);
    const tree = new QuadTree();
    tree.build(y, n);
    const exactZ = Array.from({ length: n }, (_, i) => exactRepulsion(y, n, i).z).reduce((a, b) => a + b, 0);
    const zError = (theta: number) => {
      const force = new Float64Array(2 * n);
      let z = 0;
      for (let i = 0; i < n; i++) z += tree.repulsion(i, y[2 * i], y[2 * i + 1], theta, force);
      return Math.abs(z - exactZ) / exactZ;
    };
    const errors = [0.1, 0.25, 0.5].map(zError);
    expect(errors[0]).toBeLessThan(errors[1]);
    expect(errors[1]).toBeLessThan(errors[2]);
    expect(errors[2]).toBeLessThan(0.1);
  });
});

describe('BarnesHutTsne', () => {
  /** KL(P || Q) with Q computed exactly over all pairs of the current layout. */
  function klDivergence(run: BarnesHutTsne, p: ReturnType<typeof jointProbabilities>): number {
    const y = run.positions();
    let z = 0;
    for (let i = 0; i < run.n; i++) {
      for (let j = 0; j < run.n; j++) {
        if (i !== j) z += 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
      }
    }
    let kl = 0;
    for (let i = 0; i < run.n; i++) {
      for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) {
        const j = p.cols[e];
        const q = 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2) / z;
        kl += p.values[e] * Math.log(p.values[e] / q);
      }
    }
    return kl;
  }

  it('lowers the KL divergence between input and map similarities', () => {
    const faces = syntheticFaces({ n: 200, sizes: 25, noise: 1.2 ** 2, sharedDirection: 0, seed: 6 });
    const graph = exactNeighbours(faces.vectors, faces.n, faces.dim, tsneNeighbourCount(30, faces.n));
    const p = jointProbabilities(graph, 30);
    const run = new BarnesHutTsne(graph, 1, { iterations: 500 });
    const atStart = klDivergence(run, p);
    for (let t = 0; t < 300; t++) run.step();
    const afterExaggeration = klDivergence(run, p);
    while (!run.done) run.step();
    const atEnd = klDivergence(run, p);
    expect(afterExaggeration).toBeLessThan(atStart);
    expect(atEnd).toBeLessThan(afterExaggeration);
    expect(run.completedIterations).toBe(500);
  });
});
