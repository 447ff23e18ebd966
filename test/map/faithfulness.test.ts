// neighbourIdentity and the kNN it relies on (exact and HNSW), on configurations whose answer follows from the geometry.
import { describe, expect, it } from 'vitest';
import { neighbourIdentity } from '../../main/engine/map/faithfulness.ts';
import { exactNeighbours, nearestNeighbours, nearestNeighboursOfRows } from '../../main/engine/map/knn.ts';
import { syntheticFaces } from '../../main/engine/map/synthetic-faces.ts';

describe('neighbourIdentity', () => {
  it('is 1 for two far-apart groups and falls to the chance level when labels alternate on a line', () => {
    // Group A on x in [0, 1), group B on x in [100, 101): every neighbour is from the same group.
    const n = 40;
    const apart = new Float32Array(n * 2);
    const labels: string[] = [];
    for (let i = 0; i < n; i++) {
      const group = i < n / 2 ? 0 : 1;
      apart[2 * i] = group * 100 + (i % 20) / 20;
      labels.push(group === 0 ? 'ann' : 'bob');
    }
    expect(neighbourIdentity(apart, 2, labels, 5)).toBe(1);

    // Points 0..9 on a line, labels alternating: the 2 nearest neighbours of an inner point are its two
    // sides (other label), of an end point the next two (one of each). Mean = (2 x 0.5 + 8 x 0) / 10.
    const line = Float32Array.from({ length: 20 }, (_, e) => (e % 2 === 0 ? e / 2 : 0));
    const alternating = Array.from({ length: 10 }, (_, i) => i % 2);
    expect(neighbourIdentity(line, 2, alternating, 2)).toBeCloseTo(0.1, 10);
  });

  it('estimates from a seeded sample of query points close to the full value', () => {
    const faces = syntheticFaces({ faceCount: 600, identityCount: 30, spread: 2.2, seed: 3 });
    const full = neighbourIdentity(faces.vectors, faces.dim, faces.identities);
    const sampled = neighbourIdentity(faces.vectors, faces.dim, faces.identities, 10, { sampleSize: 300, seed: 1 });
    expect(full).toBeGreaterThan(0.2);
    expect(full).toBeLessThan(0.95);
    expect(Math.abs(sampled - full)).toBeLessThan(0.05);
  });
});

describe('k nearest neighbours', () => {
  it('exact neighbours are sorted, exclude the point and match a plain scan', () => {
    const faces = syntheticFaces({ faceCount: 120, identityCount: 6, dim: 16, seed: 8 });
    const graph = exactNeighbours(faces.vectors, faces.n, faces.dim, 7);
    for (const i of [0, 17, 119]) {
      const scan = Array.from({ length: faces.n }, (_, j) => {
        let d = 0;
        for (let t = 0; t < faces.dim; t++) d += (faces.vectors[i * 16 + t] - faces.vectors[j * 16 + t]) ** 2;
        return { j, d: Math.sqrt(d) };
      })
        .filter(({ j }) => j !== i)
        .sort((a, b) => a.d - b.d)
        .slice(0, 7);
      expect(Array.from(graph.indices.subarray(i * 7, i * 7 + 7))).toEqual(scan.map(({ j }) => j));
      scan.forEach(({ d }, t) => expect(graph.distances[i * 7 + t]).toBeCloseTo(d, 4));
    }
    const ofRows = nearestNeighboursOfRows(faces.vectors, faces.n, faces.dim, Int32Array.from([17, 0]), 7, 1);
    expect(Array.from(ofRows.indices.subarray(0, 7))).toEqual(Array.from(graph.indices.subarray(17 * 7, 17 * 7 + 7)));
  });

  it('HNSW (used above the exact-search limit) finds nearly all true neighbours', () => {
    // 3,000 points = 4.5M pairs, above EXACT_KNN_MAX_PAIRS, so nearestNeighbours takes the HNSW path.
    const faces = syntheticFaces({ faceCount: 3000, identityCount: 150, dim: 32, spread: 1.5, seed: 9 });
    const approximate = nearestNeighbours(faces.vectors, faces.n, faces.dim, 10, 1);
    const exact = exactNeighbours(faces.vectors, faces.n, faces.dim, 10);
    let found = 0;
    for (let i = 0; i < faces.n; i++) {
      const truth = new Set(exact.indices.subarray(i * 10, i * 10 + 10));
      for (let t = 0; t < 10; t++) {
        expect(approximate.indices[i * 10 + t]).not.toBe(i);
        if (truth.has(approximate.indices[i * 10 + t])) found++;
      }
    }
    expect(found / (faces.n * 10)).toBeGreaterThan(0.95);
  });
});
