// New faces join a stored map without recomputing it: faces the map had keep their exact positions, the new
// ones land among their own identity's faces (neighbour median), and a library that changed much is
// projected afresh. Runs through libraryMap on a real SQLite catalog and the on-disk cache.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import { libraryMap } from '../../main/engine/map/library-map.ts';
import { INCREMENTAL_MAX_NEW_SHARE } from '../../main/engine/map/incremental.ts';
import { syntheticFaces } from '../../main/engine/math/synthetic.ts';

const MODEL = 'mobilefacenet-192';
const IDENTITIES = 8;
// 50 faces an identity; 320 are mapped first, the rest arrive later.
const faces = syntheticFaces({ n: 400, sizes: 400 / IDENTITIES, dim: 192, noise: 1.0 ** 2, sharedDirection: 0, seed: 11 });
const dir = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-incremental-'));
const catalog = new Catalog(path.join(dir, 'catalog.db'));
const cacheDir = path.join(dir, 'cache');
const identityOfFace = new Map<number, number>();

/** One photo with synthetic face `row` as its one face; `name` makes the photo new. */
function insertFace(name: string, row: number): void {
  const { faceIds } = catalog.photos.insertAnalysed(
    { rootId: null, path: `/synthetic/${name}.jpg`, size: 1, mtimeMs: 1 },
    { contentHash: name, width: 100, height: 100, orientation: 1, takenAt: null },
    { detectorId: 'mtcnn', modelId: MODEL, faces: [{
      box: { x: 0, y: 0, width: 100, height: 100 }, landmarks: [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]], score: 0.99, source: 'detector',
      embedding: faces.vectors.slice(row * faces.dim, (row + 1) * faces.dim), modelId: MODEL, quality: { size: 100, sharpness: 100, frontal: 1 },
    }] },
  );
  identityOfFace.set(faceIds[0], faces.identity[row]);
}

function insert(rows: number[]): void {
  catalog.transaction(() => rows.forEach((row) => insertFace(`h${row}`, row)));
}

afterAll(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('incremental map', () => {
  test('new faces are placed among their identity on the stored map, old faces do not move', async () => {
    const all = Array.from({ length: faces.n }, (_, i) => i);
    insert(all.slice(0, 320));
    const first = await libraryMap(catalog, cacheDir, MODEL, 'umap', 1);
    expect(first.placed).toBe(0);
    expect(first.fromCache).toBe(false);
    const before = new Map(first.faceIds.map((id, k) => [id, [first.coordinates[2 * k], first.coordinates[2 * k + 1]]]));

    insert(all.slice(320, 380));
    const second = await libraryMap(catalog, cacheDir, MODEL, 'umap', 1);
    expect(second.fromCache).toBe(false);
    expect(second.placed).toBe(60);
    expect(second.faceIds).toHaveLength(380);
    let newWithOwnIdentity = 0;
    for (let k = 0; k < second.faceIds.length; k++) {
      const id = second.faceIds[k];
      const old = before.get(id);
      if (old) {
        expect([second.coordinates[2 * k], second.coordinates[2 * k + 1]]).toEqual(old);
        continue;
      }
      // Its nearest old face on the map is of its own identity.
      let best = -1, bestD = Infinity;
      for (const [oldId, [x, y]] of before) {
        const d = Math.hypot(x - second.coordinates[2 * k], y - second.coordinates[2 * k + 1]);
        if (d < bestD) {
          bestD = d;
          best = oldId;
        }
      }
      if (identityOfFace.get(best) === identityOfFace.get(id)) newWithOwnIdentity++;
    }
    expect(newWithOwnIdentity / 60).toBeGreaterThan(0.9);
    // Stored like any map: asked again, it comes from the cache.
    expect((await libraryMap(catalog, cacheDir, MODEL, 'umap', 1)).fromCache).toBe(true);
  }, 120_000);

  test('more new faces than INCREMENTAL_MAX_NEW_SHARE of the library: projected afresh', async () => {
    const count = catalog.faces.live(MODEL).length;
    const extra = Math.ceil((INCREMENTAL_MAX_NEW_SHARE * (count + 20)) / (1 - INCREMENTAL_MAX_NEW_SHARE)) + 1;
    // Re-use the synthetic rows as further photos of the same identities (new face ids, new content hashes).
    const rows = Array.from({ length: extra }, (_, i) => i % faces.n);
    catalog.transaction(() => rows.forEach((row, r) => insertFace(`m${r}`, row)));
    const map = await libraryMap(catalog, cacheDir, MODEL, 'umap', 1);
    expect(map.fromCache).toBe(false);
    expect(map.placed).toBe(0);
  }, 120_000);
});
