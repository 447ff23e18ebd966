import { describe, expect, it } from 'vitest';
import { CLUSTER_NEIGHBOURS } from '../../main/engine/cluster/constants.ts';
import { MAP_NEIGHBOURS } from '../../main/engine/map/constants.ts';
import {
  exactNeighbours,
  exactNeighboursAmong,
  findNeighbours,
  hnswNeighbours,
  NeighbourIndex,
  neighboursOfRows,
} from '../../main/engine/math/neighbours.ts';
import { createRng } from '../../main/engine/math/random.ts';
import { buildFaceGraph } from '../../main/engine/cluster/graph.ts';
import { bcubedScores } from '../../main/engine/cluster/metrics.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

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

describe('HNSW neighbours with clustering\'s tuning (CLUSTER_NEIGHBOURS)', () => {
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
    const lists = hnswNeighbours(big.vectors, big.n, big.dim, k, { ...CLUSTER_NEIGHBOURS.hnsw, projectedDim: 0 }, { radius, seed: 3, searchAll: true });
    expect(recall(lists)).toBeGreaterThanOrEqual(0.95);
  });

  it('the default path (projected, bottom-layer links, searching sparse rows) connects the faces the exact graph connects', () => {
    const lists = findNeighbours(big.vectors, big.n, big.dim, k, CLUSTER_NEIGHBOURS, { radius, method: 'hnsw', seed: 3 });
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
    const searched = findNeighbours(big.vectors, big.n, big.dim, k, CLUSTER_NEIGHBOURS, { radius, method: 'hnsw', seed: 3, searchAll: true });
    expect(bcubedScores(components(exact), components(searched)).f1).toBeGreaterThanOrEqual(0.99);
  });

  it('is repeatable for a seed', () => {
    const a = findNeighbours(big.vectors, big.n, big.dim, k, CLUSTER_NEIGHBOURS, { radius, method: 'hnsw', seed: 9 });
    const b = findNeighbours(big.vectors, big.n, big.dim, k, CLUSTER_NEIGHBOURS, { radius, method: 'hnsw', seed: 9 });
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

describe('neighbours for the map (MAP_NEIGHBOURS)', () => {
  it('exact neighbours are sorted, exclude the point and match a plain scan', () => {
    const faces = syntheticFaces({ n: 120, sizes: 20, dim: 16, noise: 0.8 ** 2, sharedDirection: 0, seed: 8 });
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
    const ofRows = neighboursOfRows(faces.vectors, faces.n, faces.dim, Int32Array.from([17, 0]), 7, MAP_NEIGHBOURS, 1);
    expect(Array.from(ofRows.indices.subarray(0, 7))).toEqual(Array.from(graph.indices.subarray(17 * 7, 17 * 7 + 7)));
  });

  it('HNSW (used above the exact-search limit) finds nearly all true neighbours', () => {
    // 3,000 points = 4.5M pairs, above EXACT_KNN_MAX_PAIRS, so findNeighbours takes the HNSW path.
    const faces = syntheticFaces({ n: 3000, sizes: 20, dim: 32, noise: 1.5 ** 2, sharedDirection: 0, seed: 9 });
    const approximate = findNeighbours(faces.vectors, faces.n, faces.dim, 10, MAP_NEIGHBOURS, { seed: 1 });
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

describe('one neighbour index for embeddings and map points alike', () => {
  // Points of a 2-D map: far from unit length, the case a unit-vector shortcut (|a-b|^2 = 2 - 2 a.b) gets wrong.
  const rng = createRng(4);
  const n = 3000;
  const points = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) points.set([(i % 30) * 3 + rng.gaussian(), 40 * rng.next()], 2 * i);
  const exactOnly = { ...MAP_NEIGHBOURS, exactMaxPairs: Infinity };
  const hnswOnly = { ...MAP_NEIGHBOURS, exactMaxPairs: 0 };

  it('exact neighbours of points of any length match a brute-force scan, with and without a radius', () => {
    const some = points.subarray(0, 400 * 2);
    for (const radius of [Infinity, 1.5]) {
      const lists = exactNeighbours(some, 400, 2, 6, radius);
      const want = bruteForce(some, 400, 2, 6, radius);
      for (let i = 0; i < 400; i++) {
        expect(lists.counts[i]).toBe(want[i].length);
        want[i].forEach(([, d], t) => expect(lists.distances[i * 6 + t]).toBeCloseTo(d, 4));
      }
    }
  });

  it('NeighbourIndex answers the same through HNSW as by exact scan, and leaves each row itself out', () => {
    const rows = Int32Array.from({ length: 300 }, (_, q) => (q * 7919) % n);
    const k = 10;
    const exact = neighboursOfRows(points, n, 2, rows, k, exactOnly, 1);
    const approximate = neighboursOfRows(points, n, 2, rows, k, hnswOnly, 1);
    expect(exact.method).toBe('exact');
    expect(approximate.method).toBe('hnsw');
    let found = 0;
    for (let q = 0; q < rows.length; q++) {
      expect(approximate.counts[q]).toBe(k);
      const truth = new Set(exact.indices.subarray(q * k, q * k + k));
      for (let t = 0; t < k; t++) {
        const j = approximate.indices[q * k + t];
        expect(j).not.toBe(rows[q]);
        expect(exact.indices[q * k + t]).not.toBe(rows[q]);
        // Distances are exact L2 on the points themselves.
        const d = Math.hypot(points[2 * j] - points[2 * rows[q]], points[2 * j + 1] - points[2 * rows[q] + 1]);
        expect(approximate.distances[q * k + t]).toBeCloseTo(d, 4);
        if (truth.has(j)) found++;
      }
    }
    expect(found / (rows.length * k)).toBeGreaterThan(0.95);
  });

  it('answers queries that are not indexed rows, exact or through HNSW', () => {
    const queries = new Float32Array(50 * 2);
    for (let q = 0; q < 50; q++) queries.set([90 * rng.next(), 40 * rng.next()], 2 * q);
    const exact = new NeighbourIndex(points, n, 2, exactOnly).query(queries, 50, 5);
    const approximate = new NeighbourIndex(points, n, 2, hnswOnly, 3).query(queries, 50, 5);
    const want = exactNeighboursAmong(queries, 50, points, n, 2, 5);
    expect(Array.from(exact.indices)).toEqual(Array.from(want.indices));
    let found = 0;
    for (let q = 0; q < 50; q++) {
      const truth = new Set(want.indices.subarray(q * 5, q * 5 + 5));
      for (let t = 0; t < 5; t++) if (truth.has(approximate.indices[q * 5 + t])) found++;
    }
    expect(found / 250).toBeGreaterThan(0.95);
  });
});
