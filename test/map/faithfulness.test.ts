// neighbourIdentity and the kNN it relies on (exact and HNSW), on configurations whose answer follows from the geometry.
import { describe, expect, it } from 'vitest';
import { neighbourIdentity } from '../../main/engine/map/faithfulness.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

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
    const faces = syntheticFaces({ n: 600, sizes: 20, noise: 2.2 ** 2, sharedDirection: 0, seed: 3 });
    const full = neighbourIdentity(faces.vectors, faces.dim, faces.identity);
    const sampled = neighbourIdentity(faces.vectors, faces.dim, faces.identity, 10, { sampleSize: 300, seed: 1 });
    expect(full).toBeGreaterThan(0.2);
    expect(full).toBeLessThan(0.95);
    expect(Math.abs(sampled - full)).toBeLessThan(0.05);
  });
});
