import { describe, expect, it } from 'vitest';
import { approximateNeighbours, exactNeighbours, findNeighbours } from '../../main/engine/cluster/knn.ts';
import { buildFaceGraph } from '../../main/engine/cluster/graph.ts';
import { bcubedScores } from '../../main/engine/cluster/metrics.ts';
import { syntheticFaces } from './synthetic.ts';

function bruteForce(vectors: Float32Array, n: number, dim: number, k: number, radius: number): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  for (let i = 0; i < n; i++) {
    const row: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += (vectors[i * dim + d] - vectors[j * dim + d]) ** 2;
      if (Math.sqrt(sq) <= radius) row.push([j, Math.sqrt(sq)]);
    }
    row.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    out.push(row.slice(0, k));
  }
  return out;
}

const faces = syntheticFaces({ n: 400, dim: 64, seed: 11 });

describe('exact neighbours', () => {
  it('match a brute-force scan of L2 distances (ids and distances, nearest first, within the radius)', () => {
    const k = 7;
    const radius = 1.2;
    const lists = exactNeighbours(faces.vectors, faces.n, faces.dim, k, radius);
    const want = bruteForce(faces.vectors, faces.n, faces.dim, k, radius);
    for (let i = 0; i < faces.n; i++) {
      expect(lists.counts[i]).toBe(want[i].length);
      for (let t = 0; t < want[i].length; t++) {
        expect(lists.distances[i * k + t]).toBeCloseTo(want[i][t][1], 4);
      }
      // Ids agree except where two distances tie to float precision.
      const got = new Set(Array.from(lists.indices.subarray(i * k, i * k + lists.counts[i])));
      const missing = want[i].filter(([j]) => !got.has(j));
      for (const [, d] of missing) expect(Math.abs(d - want[i][want[i].length - 1][1])).toBeLessThan(1e-5);
    }
  });

  it('never lists a row as its own neighbour and pads short rows with -1', () => {
    const lists = exactNeighbours(faces.vectors, faces.n, faces.dim, 5, 0.8);
    for (let i = 0; i < faces.n; i++) {
      for (let t = 0; t < 5; t++) {
        const j = lists.indices[i * 5 + t];
        expect(j).not.toBe(i);
        if (t >= lists.counts[i]) expect(j).toBe(-1);
      }
    }
  });
});

describe('HNSW neighbours', () => {
  const big = syntheticFaces({ n: 1500, dim: 192, seed: 5 });
  const k = 10;
  const radius = 1.1;
  const exact = exactNeighbours(big.vectors, big.n, big.dim, k, radius);
  const recall = (lists: ReturnType<typeof exactNeighbours>): number => {
    let found = 0;
    let total = 0;
    for (let i = 0; i < big.n; i++) {
      const got = new Set(Array.from(lists.indices.subarray(i * k, i * k + lists.counts[i])));
      for (let t = 0; t < exact.counts[i]; t++) {
        total++;
        if (got.has(exact.indices[i * k + t])) found++;
      }
    }
    return found / total;
  };

  it('searching every row on the full vectors agrees with exact kNN: recall@k >= 0.95', () => {
    const lists = approximateNeighbours(big.vectors, big.n, big.dim, k, radius, { seed: 3, searchAll: true, projectedDim: 0 });
    expect(recall(lists)).toBeGreaterThanOrEqual(0.95);
  });

  it('the default path (projected, bottom-layer links, searching sparse rows) connects the faces the exact graph connects', () => {
    const lists = findNeighbours(big.vectors, big.n, big.dim, k, radius, { method: 'hnsw', seed: 3 });
    expect(lists.method).toBe('hnsw');
    // Distances are exact and within the radius; rows are sorted.
    for (let i = 0; i < big.n; i++) {
      for (let t = 0; t < lists.counts[i]; t++) {
        const j = lists.indices[i * k + t];
        let dot = 0;
        for (let d = 0; d < big.dim; d++) dot += big.vectors[i * big.dim + d] * big.vectors[j * big.dim + d];
        expect(lists.distances[i * k + t]).toBeCloseTo(Math.sqrt(Math.max(0, 2 - 2 * dot)), 4);
        expect(lists.distances[i * k + t]).toBeLessThanOrEqual(radius);
        if (t > 0) expect(lists.distances[i * k + t]).toBeGreaterThanOrEqual(lists.distances[i * k + t - 1]);
      }
    }
    // Its links are chosen to keep HNSW navigable, not to be the k nearest, so compare what clustering
    // needs: the connected components of the two graphs.
    const components = (lists: ReturnType<typeof exactNeighbours>): Int32Array => {
      const graph = buildFaceGraph(lists);
      const label = new Int32Array(big.n).fill(-1);
      for (let s = 0; s < big.n; s++) {
        if (label[s] >= 0) continue;
        const stack = [s];
        label[s] = s;
        while (stack.length) {
          const i = stack.pop()!;
          for (let e = graph.offsets[i]; e < graph.offsets[i + 1]; e++) {
            if (label[graph.targets[e]] < 0) {
              label[graph.targets[e]] = s;
              stack.push(graph.targets[e]);
            }
          }
        }
      }
      return label;
    };
    // Nothing the exact graph joins is split (BCubed recall); the links may join a little more, which
    // average linkage tolerates (it only takes them as candidates) and the other clusterers avoid by
    // searching every row.
    expect(bcubedScores(components(exact), components(lists)).recall).toBeGreaterThanOrEqual(0.99);
    const searched = findNeighbours(big.vectors, big.n, big.dim, k, radius, { method: 'hnsw', seed: 3, searchAll: true });
    expect(bcubedScores(components(exact), components(searched)).f1).toBeGreaterThanOrEqual(0.99);
  });

  it('is repeatable for a seed', () => {
    const a = findNeighbours(big.vectors, big.n, big.dim, k, radius, { method: 'hnsw', seed: 9 });
    const b = findNeighbours(big.vectors, big.n, big.dim, k, radius, { method: 'hnsw', seed: 9 });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  });
});

describe('face graph', () => {
  it('is symmetric, without self-loops or duplicate edges', () => {
    const graph = buildFaceGraph(exactNeighbours(faces.vectors, faces.n, faces.dim, 4, 1.3));
    const edges = new Set<string>();
    for (let i = 0; i < graph.n; i++) {
      for (let e = graph.offsets[i]; e < graph.offsets[i + 1]; e++) {
        const j = graph.targets[e];
        expect(j).not.toBe(i);
        expect(edges.has(`${i},${j}`)).toBe(false);
        edges.add(`${i},${j}`);
      }
    }
    for (const edge of edges) {
      const [i, j] = edge.split(',');
      expect(edges.has(`${j},${i}`)).toBe(true);
    }
  });
});
