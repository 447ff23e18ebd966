// Large-library mode: a stratified fitted sample, and faces left out of the fit placed beside their own identity.
import { describe, expect, it } from 'vitest';
import { placeByNeighbours } from '../../main/engine/map/placement.ts';
import { project, type Placement, type ProjectionMethod } from '../../main/engine/map/projector.ts';
import { fitSample } from '../../main/engine/map/sample.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

describe('fitSample', () => {
  it('takes one face per group, the other places in proportion, and exactly the requested size', () => {
    // Groups of 100, 40, 10, 3 and 1 faces; a 31-face sample of 154 (plain proportion would give the two
    // smallest groups 0.6 and 0.2 of a place).
    const sizes = [100, 40, 10, 3, 1];
    const groups: number[] = [];
    sizes.forEach((size, g) => {
      for (let t = 0; t < size; t++) groups.push(g * 10);
    });
    const n = groups.length;
    const sampleSize = 31;
    const { fitted, rest } = fitSample(n, sampleSize, 3, groups);
    expect(fitted.length).toBe(sampleSize);
    expect(new Set([...fitted, ...rest]).size).toBe(n);
    const perGroup = new Map<number, number>();
    for (const i of fitted) perGroup.set(groups[i], (perGroup.get(groups[i]) ?? 0) + 1);
    sizes.forEach((size, g) => {
      const taken = perGroup.get(g * 10) ?? 0;
      expect(taken).toBeGreaterThanOrEqual(1);
      const proportional = ((size - 1) * (sampleSize - sizes.length)) / (n - sizes.length);
      expect(Math.abs(taken - 1 - proportional)).toBeLessThan(1);
    });
  });

  it('samples in plain proportion when there are more groups than places', () => {
    const groups = Array.from({ length: 300 }, (_, i) => (i < 200 ? i % 100 : 100));
    const { fitted } = fitSample(groups.length, 20, 1, groups);
    expect(fitted.length).toBe(20);
    const fromBigGroup = Array.from(fitted).filter((i) => groups[i] === 100).length;
    expect(Math.abs(fromBigGroup - (100 * 20) / 300)).toBeLessThan(1);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const a = fitSample(500, 100, 1);
    expect(Array.from(fitSample(500, 100, 1).fitted)).toEqual(Array.from(a.fitted));
    expect(Array.from(fitSample(500, 100, 2).fitted)).not.toEqual(Array.from(a.fitted));
    expect(a.fitted.length).toBe(100);
  });

  it('fits everything when the library is within the limit', () => {
    const { fitted, rest } = fitSample(50, 100, 1, new Array(50).fill(0));
    expect(fitted.length).toBe(50);
    expect(rest.length).toBe(0);
  });
});

/** For each face: is the nearest identity centroid (over all faces of each identity) its own? */
function ownCentroidRate(map: Float32Array, identities: Int32Array, identityCount: number, rows: number[]): number {
  const sumX = new Float64Array(identityCount);
  const sumY = new Float64Array(identityCount);
  const count = new Float64Array(identityCount);
  for (let i = 0; i < identities.length; i++) {
    sumX[identities[i]] += map[2 * i];
    sumY[identities[i]] += map[2 * i + 1];
    count[identities[i]]++;
  }
  let own = 0;
  for (const i of rows) {
    let best = -1;
    let bestDistance = Infinity;
    for (let c = 0; c < identityCount; c++) {
      const d = (map[2 * i] - sumX[c] / count[c]) ** 2 + (map[2 * i + 1] - sumY[c] / count[c]) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best === identities[i]) own++;
  }
  return own / rows.length;
}

describe.each<[ProjectionMethod, Placement]>([
  ['umap', 'transform'],
  ['umap', 'neighbour-median'],
  ['tsne', 'neighbour-median'],
])('sample + placement with %s (%s)', (method, placement) => {
  it('places faces left out of the fit beside their own identity', async () => {
    const identityCount = 15;
    const faces = syntheticFaces({ n: 450, sizes: 450 / identityCount, noise: 1.2 ** 2, sharedDirection: 0, seed: 13 });
    const maxFit = 180;
    const map = await project(faces.vectors, faces.n, faces.dim, {
      method,
      seed: 8,
      maxFit,
      groups: faces.identity,
      umapPlacement: placement,
    });
    const { rest } = fitSample(faces.n, maxFit, 8, faces.identity);
    expect(rest.length).toBe(faces.n - maxFit);
    const rate = ownCentroidRate(map, faces.identity, identityCount, Array.from(rest));
    console.log(`${method} (${placement}): held-out faces nearest their own identity: ${rate.toFixed(3)}`);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });
});

describe('placeByNeighbours', () => {
  it('stays with the majority of its neighbours when a few lie far away on the map', () => {
    // One face, 10 fitted neighbours at equal input distance (so equal weights): 8 sit on a unit circle
    // around (5, 5) on the map, two (another identity) at (100, 100). The weighted mean is (24, 24).
    const fitted = new Float32Array(20);
    for (let t = 0; t < 8; t++) fitted.set([5 + Math.cos(t), 5 + Math.sin(t)], 2 * t);
    fitted.set([100, 100], 16);
    fitted.set([100, 100], 18);
    const graph = {
      n: 1,
      k: 10,
      radius: Infinity,
      indices: Int32Array.from({ length: 10 }, (_, t) => t),
      distances: new Float32Array(10).fill(1),
      counts: Int32Array.of(10),
      method: 'exact' as const,
    };
    const [x, y] = placeByNeighbours(graph, fitted);
    expect(Math.hypot(x - 5, y - 5)).toBeLessThan(1.5);
  });
});
