// Map cache: a second request is served from disk without computing; any change to what the map depends on recomputes.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrCompute, mapCacheKey, mapFamilyKey, type MapCacheKeyParts } from '../../main/engine/map/cache.ts';
import { project } from '../../main/engine/map/projector.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

const faces = syntheticFaces({ n: 120, sizes: 20, noise: 1.2 ** 2, sharedDirection: 0, seed: 5 });
const faceIds = Array.from({ length: faces.n }, (_, i) => 1000 + 3 * i);
let cacheDir = '';

beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'face-atlas-map-cache-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

/** A real projection whose calls are counted. */
function countingCompute(vectors: Float32Array, n: number) {
  const counter = { calls: 0 };
  const compute = async () => {
    counter.calls++;
    return project(vectors, n, faces.dim, { method: 'tsne', seed: 9 });
  };
  return { counter, compute };
}

const baseParts: MapCacheKeyParts = {
  method: 'tsne',
  seed: 9,
  modelId: 'mobilefacenet-192',
  adapterId: null,
  faceIds,
  params: { perplexity: 30, maxFit: 10000 },
};

describe('getOrCompute', () => {
  it('computes once, then serves the stored map without calling compute again', async () => {
    const { counter, compute } = countingCompute(faces.vectors, faces.n);
    const first = await getOrCompute(cacheDir, baseParts, compute);
    const second = await getOrCompute(cacheDir, baseParts, compute);
    expect(counter.calls).toBe(1);
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(Array.from(second.coordinates)).toEqual(Array.from(first.coordinates));
    const stored = await readdir(path.join(cacheDir, 'maps'));
    // The coordinates, the header, the face ids (so a later map can extend it) and the family's pointer to it.
    expect(stored.sort()).toEqual([`${first.key}.bin`, `${first.key}.ids`, `${first.key}.json`, `latest-${mapFamilyKey(baseParts)}.json`]);
  });

  it('returns each face its own coordinates when the same faces come in another order', async () => {
    const { counter, compute } = countingCompute(faces.vectors, faces.n);
    const first = await getOrCompute(cacheDir, baseParts, compute);
    const reversedIds = [...faceIds].reverse();
    const reversed = await getOrCompute(cacheDir, { ...baseParts, faceIds: reversedIds }, compute);
    expect(counter.calls).toBe(0);
    expect(reversed.key).toBe(first.key);
    for (let i = 0; i < faces.n; i++) {
      const j = faces.n - 1 - i;
      expect([reversed.coordinates[2 * j], reversed.coordinates[2 * j + 1]]).toEqual([first.coordinates[2 * i], first.coordinates[2 * i + 1]]);
    }
  });

  it('recomputes when a face is added or removed', async () => {
    const fewer = faces.n - 1;
    const { counter, compute } = countingCompute(faces.vectors.subarray(0, fewer * faces.dim), fewer);
    const result = await getOrCompute(cacheDir, { ...baseParts, faceIds: faceIds.slice(0, fewer) }, compute);
    expect(counter.calls).toBe(1);
    expect(result.fromCache).toBe(false);
    expect(result.coordinates.length).toBe(fewer * 2);
  });

  it('recomputes for another model, adapter, seed, method or params', async () => {
    const variants: Partial<MapCacheKeyParts>[] = [
      { modelId: 'dlib-resnet-128' },
      { adapterId: 'adapter-7' },
      { seed: 10 },
      { method: 'umap' },
      { params: { perplexity: 50, maxFit: 10000 } },
    ];
    const keys = new Set([mapCacheKey(baseParts)]);
    for (const variant of variants) {
      const { counter, compute } = countingCompute(faces.vectors, faces.n);
      const result = await getOrCompute(cacheDir, { ...baseParts, ...variant }, compute);
      expect(counter.calls).toBe(1);
      keys.add(result.key);
    }
    expect(keys.size).toBe(variants.length + 1);
  });

  it('treats the same params in another key order as the same map', () => {
    const reordered = { ...baseParts, params: { maxFit: 10000, perplexity: 30 } };
    expect(mapCacheKey(reordered)).toBe(mapCacheKey(baseParts));
    expect(mapCacheKey({ ...baseParts, adapterId: undefined })).toBe(mapCacheKey(baseParts));
  });

  it('recomputes when the stored data is damaged', async () => {
    const { counter, compute } = countingCompute(faces.vectors, faces.n);
    const key = mapCacheKey(baseParts);
    await writeFile(path.join(cacheDir, 'maps', `${key}.bin`), Buffer.alloc(10));
    const result = await getOrCompute(cacheDir, baseParts, compute);
    expect(counter.calls).toBe(1);
    expect(result.fromCache).toBe(false);
    const again = await getOrCompute(cacheDir, baseParts, compute);
    expect(counter.calls).toBe(1);
    expect(again.fromCache).toBe(true);
  });

  it('shares one computation between concurrent requests for the same map', async () => {
    const { counter, compute } = countingCompute(faces.vectors, faces.n);
    const parts = { ...baseParts, seed: 77 };
    const [a, b] = await Promise.all([getOrCompute(cacheDir, parts, compute), getOrCompute(cacheDir, parts, compute)]);
    expect(counter.calls).toBe(1);
    expect(Array.from(a.coordinates)).toEqual(Array.from(b.coordinates));
  });

  it('refuses a face id given twice', async () => {
    const { compute } = countingCompute(faces.vectors, faces.n);
    const ids = [...faceIds];
    ids[5] = ids[4];
    await expect(getOrCompute(cacheDir, { ...baseParts, faceIds: ids }, compute)).rejects.toThrow('appears twice');
  });
});
