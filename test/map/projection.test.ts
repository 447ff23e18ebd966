// The projector on synthetic identities: reproducible for a seed, identities kept apart, fixed output frame.
import { describe, expect, it } from 'vitest';
import { MAP_EXTENT } from '../../main/engine/map/constants.ts';
import { neighbourIdentity } from '../../main/engine/map/faithfulness.ts';
import { project, type ProjectionMethod } from '../../main/engine/map/projector.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

// 12 identities x 25 faces; spread 1.2 gives same-identity cosine ~0.4 against ~0 between identities.
const faces = syntheticFaces({ n: 300, sizes: 25, noise: 1.2 ** 2, sharedDirection: 0, seed: 7 });
/** A face's 10 nearest neighbours on the map should nearly all be the same person (24 candidates each). */
const SEPARATION_BAR = 0.9;

describe.each<ProjectionMethod>(['umap', 'tsne'])('project with %s', (method) => {
  it('gives identical coordinates for the same seed and different ones for another seed', async () => {
    const first = await project(faces.vectors, faces.n, faces.dim, { method, seed: 11 });
    const again = await project(faces.vectors, faces.n, faces.dim, { method, seed: 11 });
    const other = await project(faces.vectors, faces.n, faces.dim, { method, seed: 12 });
    expect(first.length).toBe(faces.n * 2);
    expect(Array.from(again)).toEqual(Array.from(first));
    let moved = 0;
    for (let e = 0; e < first.length; e++) if (Math.abs(first[e] - other[e]) > 1e-3) moved++;
    expect(moved).toBeGreaterThan(first.length / 2);
  });

  it('keeps well-separated identities in separate groups', async () => {
    const map = await project(faces.vectors, faces.n, faces.dim, { method, seed: 3 });
    const original = neighbourIdentity(faces.vectors, faces.dim, faces.identity);
    const mapped = neighbourIdentity(map, 2, faces.identity);
    console.log(`${method}: neighbourIdentity original ${original.toFixed(3)}, map ${mapped.toFixed(3)}`);
    expect(original).toBeGreaterThanOrEqual(SEPARATION_BAR);
    expect(mapped).toBeGreaterThanOrEqual(SEPARATION_BAR);
  });

  it('normalises into the fixed frame with the longer axis spanning it', async () => {
    const map = await project(faces.vectors, faces.n, faces.dim, { method, seed: 5 });
    let maxAbsX = 0;
    let maxAbsY = 0;
    for (let i = 0; i < faces.n; i++) {
      maxAbsX = Math.max(maxAbsX, Math.abs(map[2 * i]));
      maxAbsY = Math.max(maxAbsY, Math.abs(map[2 * i + 1]));
    }
    expect(Math.max(maxAbsX, maxAbsY)).toBeCloseTo(MAP_EXTENT, 5);
    expect(Math.min(maxAbsX, maxAbsY)).toBeLessThanOrEqual(MAP_EXTENT + 1e-6);
  });

  it('reports progress rising to 1', async () => {
    const progress: number[] = [];
    await project(faces.vectors, faces.n, faces.dim, { method, seed: 1, onProgress: (f) => progress.push(f) });
    expect(progress.length).toBeGreaterThan(2);
    for (let t = 1; t < progress.length; t++) expect(progress[t]).toBeGreaterThanOrEqual(progress[t - 1]);
    expect(progress.at(-1)).toBe(1);
  });
});

describe('project edge cases', () => {
  it('maps zero, one and two faces without a neighbourhood graph', async () => {
    expect((await project(new Float32Array(0), 0, 4, { method: 'umap', seed: 1 })).length).toBe(0);
    expect(Array.from(await project(new Float32Array([1, 0, 0, 0]), 1, 4, { method: 'tsne', seed: 1 }))).toEqual([0, 0]);
    const two = await project(new Float32Array([1, 0, 0, 0, 0, 1, 0, 0]), 2, 4, { method: 'umap', seed: 1 });
    expect(Array.from(two)).toEqual([-MAP_EXTENT, 0, MAP_EXTENT, 0]);
  });

  it('stops at the next yield when the signal is aborted in-thread', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = project(faces.vectors, faces.n, faces.dim, {
      method: 'tsne',
      seed: 1,
      signal: controller.signal,
      onProgress: () => {
        calls++;
        if (calls === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(2);
  });
});
