import { describe, expect, it } from 'vitest';
import { clusterers, clusterFaces, ConstraintConflictError, type ClusterInput } from '../../main/engine/cluster/index.ts';
import { bcubedScores } from '../../main/engine/cluster/metrics.ts';
import { createRng } from '../../main/engine/math/random.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

const threshold = 1.0;
// 20 identities x 8 faces: same-identity distances 0.63-0.87, different about 1.3-1.4.
const even = syntheticFaces({ n: 160, sizes: 8, seed: 3 });
// Skewed sizes with many singletons.
const skewed = syntheticFaces({ n: 400, seed: 4 });

/** Faces of each identity, in row order. */
function byIdentity(identity: Int32Array): number[][] {
  const rows: number[][] = [];
  identity.forEach((id, i) => (rows[id] ??= []).push(i));
  return rows;
}

describe.each(Object.values(clusterers))('$name', (clusterer) => {
  it('recovers well-separated identities', () => {
    const result = clusterer.cluster(even, { threshold, seed: 1 });
    expect(bcubedScores(even.identity, result.labels).f1).toBeGreaterThan(0.99);
    expect(result.clusters).toBe(even.identities);
  });

  it('never joins different identities when sizes are skewed (singletons stay alone or noise)', () => {
    const result = clusterer.cluster(skewed, { threshold, seed: 1 });
    const scores = bcubedScores(skewed.identity, result.labels);
    expect(scores.precision).toBeGreaterThan(0.99);
    // DBSCAN leaves identities smaller than minPts as noise, which costs recall; the others find all.
    expect(scores.recall).toBeGreaterThan(clusterer.name === 'dbscan' ? 0.8 : 0.99);
  });

  it('numbers clusters 0..clusters-1 in order of their first face', () => {
    const { labels, clusters } = clusterer.cluster(skewed, { threshold, seed: 1 });
    let next = 0;
    for (const l of labels) {
      expect(l).toBeGreaterThanOrEqual(-1);
      expect(l).toBeLessThanOrEqual(next);
      if (l === next) next++;
    }
    expect(next).toBe(clusters);
  });

  it('is deterministic for a seed', () => {
    const a = clusterer.cluster(skewed, { threshold, seed: 7 });
    const b = clusterer.cluster(skewed, { threshold, seed: 7 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
  });

  it('never puts a cannot-link pair in one cluster, and splits no more than the constraints require', () => {
    const groups = byIdentity(even.identity);
    const rng = createRng(5);
    // Split every identity's first two faces (as if the user said "not this person"), plus random pairs
    // of different people (as if in one photo).
    const cannotLink: Array<[number, number]> = groups.map((rows) => [rows[0], rows[1]]);
    while (cannotLink.length < groups.length + 40) {
      const [a, b] = [rng.int(even.n), rng.int(even.n)];
      if (even.identity[a] !== even.identity[b]) cannotLink.push([a, b]);
    }
    const input: ClusterInput = { ...even, cannotLink };
    const { labels } = clusterer.cluster(input, { threshold, seed: 1 });
    for (const [a, b] of input.cannotLink!) if (labels[a] >= 0) expect(labels[a]).not.toBe(labels[b]);
    // Each identity splits in two (its first face's side and its second face's), mixing with no other.
    for (const rows of groups) {
      const used = rows.map((i) => labels[i]);
      expect(new Set(used).size).toBe(2);
      expect(used).not.toContain(-1);
    }
    expect(bcubedScores(even.identity, labels).precision).toBe(1);
  });

  it('keeps must-linked faces together, across identities and for isolated faces', () => {
    const groups = byIdentity(even.identity);
    const singletons = byIdentity(skewed.identity).filter((rows) => rows.length === 1).map((rows) => rows[0]);
    // Join identity 0 with identity 1 through one pair, and two unrelated singletons.
    const input: ClusterInput = { ...skewed, mustLink: [[singletons[0], singletons[1]]] };
    const joined = clusterer.cluster(input, { threshold, seed: 1 });
    expect(joined.labels[singletons[0]]).toBeGreaterThanOrEqual(0);
    expect(joined.labels[singletons[0]]).toBe(joined.labels[singletons[1]]);

    const across = clusterer.cluster({ ...even, mustLink: [[groups[0][0], groups[1][0]], [groups[1][1], groups[2][0]]] }, { threshold, seed: 1 });
    expect(across.labels[groups[0][0]]).toBe(across.labels[groups[1][0]]);
    expect(across.labels[groups[1][1]]).toBe(across.labels[groups[2][0]]);
  });

  it('honours must-links and cannot-links together', () => {
    const groups = byIdentity(even.identity);
    const mustLink: Array<[number, number]> = [
      [groups[0][0], groups[0][1]],
      [groups[0][1], groups[3][0]],
    ];
    const cannotLink: Array<[number, number]> = [
      [groups[0][0], groups[0][2]],
      [groups[3][0], groups[3][1]],
    ];
    const { labels } = clusterer.cluster({ ...even, mustLink, cannotLink }, { threshold, seed: 1 });
    for (const [a, b] of mustLink) expect(labels[a]).toBe(labels[b]);
    for (const [a, b] of cannotLink) if (labels[a] >= 0) expect(labels[a]).not.toBe(labels[b]);
  });

  it('rejects contradictory and out-of-range constraints', () => {
    const mustLink: Array<[number, number]> = [
      [0, 1],
      [1, 2],
    ];
    expect(() => clusterer.cluster({ ...even, mustLink, cannotLink: [[2, 0]] }, { threshold })).toThrow(ConstraintConflictError);
    expect(() => clusterer.cluster({ ...even, cannotLink: [[0, even.n]] }, { threshold })).toThrow(RangeError);
  });
});

describe('cluster options', () => {
  it('minClusterSize turns smaller clusters into noise', () => {
    const plain = clusterFaces(skewed, { threshold });
    const pruned = clusterFaces(skewed, { threshold, minClusterSize: 3 });
    const sizes = new Map<number, number>();
    for (const l of plain.labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
    plain.labels.forEach((l, i) => expect(pruned.labels[i] === -1).toBe((sizes.get(l) ?? 0) < 3));
    expect(pruned.clusters).toBe([...sizes.values()].filter((s) => s >= 3).length);
  });

  it('an empty input gives no clusters', () => {
    const result = clusterFaces({ vectors: new Float32Array(0), n: 0, dim: 192 }, { threshold });
    expect(result.clusters).toBe(0);
    expect(result.labels.length).toBe(0);
  });
});
