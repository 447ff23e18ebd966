// Crash safety: an index run killed with SIGKILL at several points and restarted ends with the same
// catalog as an uninterrupted run: no duplicate photos or faces, nothing lost, user decisions intact.
import { sqlOf } from '../../helpers/sql.ts';
import { copyFileSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/engine/library/catalog/catalog.ts';
import { face, hasFaces, noFacesReason } from '../../helpers/data.ts';
import { GOOD_PHOTOS, copyPhotos } from './library.ts';
import { runChild } from './child.ts';
import { catalogContent } from './snapshot.ts';

if (!hasFaces) console.warn(noFacesReason);

/** Kills runs at the given points until one finishes; returns how many were killed. */
async function crashUntilDone(config: object, points: { afterFiles: number; delayMs: number }[]): Promise<number> {
  let kills = 0;
  for (const point of points) {
    const r = await runChild(config, { kill: point });
    if (r.finished) return kills;
    kills++;
  }
  const last = await runChild(config);
  expect(last.finished).toBe(true);
  return kills;
}

describe.skipIf(!hasFaces)('crash safety of an index run (kill -9, restart)', () => {
  let dir: string;
  let lib: string;
  const config = (name: string): object => ({ catalog: path.join(dir, `${name}.db`), roots: [lib], workers: 1, concurrency: 2, cacheDir: path.join(dir, `${name}-cache`) });
  const open = (name: string): Catalog => new Catalog(path.join(dir, `${name}.db`));

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-crash-'));
    lib = path.join(dir, 'library');
    copyPhotos(lib, GOOD_PHOTOS.slice(0, 8));
    copyFileSync(face(GOOD_PHOTOS[2]), path.join(lib, 'z copy.jpg'));
    writeFileSync(path.join(lib, 'broken.jpg'), readFileSync(face(GOOD_PHOTOS[3])).subarray(0, 3000));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same catalog as an uninterrupted run after kills at several points', async () => {
    const reference = await runChild(config('reference'));
    expect(reference.finished).toBe(true);
    // Kill at start-up, after the first commit, mid-analysis and right after commits.
    const kills = await crashUntilDone(config('crashed'), [
      { afterFiles: 0, delayMs: 0 },
      { afterFiles: 1, delayMs: 0 },
      { afterFiles: 2, delayMs: 120 },
      { afterFiles: 1, delayMs: 40 },
      { afterFiles: 2, delayMs: 0 },
    ]);
    expect(kills).toBeGreaterThanOrEqual(3);

    const a = open('reference');
    const b = open('crashed');
    try {
      const want = catalogContent(a, lib);
      const got = catalogContent(b, lib);
      expect(got).toEqual(want);
      expect(want.contents).toHaveLength(8);
      expect(want.failed).toEqual([{ path: 'broken.jpg', code: 'CORRUPT_IMAGE' }]);
      expect(sqlOf(b).prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    } finally {
      a.close();
      b.close();
    }
  });

  it('keeps user decisions through a crashed run that renames, deletes and adds photos', async () => {
    // The same decision in both catalogs: the first face of one photo is named.
    const named = path.join(lib, path.basename(GOOD_PHOTOS[4]));
    for (const name of ['reference', 'crashed']) {
      const c = open(name);
      const photo = c.photos.liveByPath(named)!;
      const [f] = c.faces.ofPhoto(photo.id);
      c.people.assign(f.id, c.people.create('Tom').id, 'user');
      c.close();
    }
    const renamed = path.join(lib, 'Tom – renamed ✓.jpg');
    renameSync(named, renamed);
    unlinkSync(path.join(lib, path.basename(GOOD_PHOTOS[0])));
    copyPhotos(lib, ['Rose_Leslie/Rose_Leslie_0001.jpg', 'Kit_Harington/Kit_Harington_0001.jpg']);

    await runChild(config('reference'));
    await crashUntilDone(config('crashed'), [
      { afterFiles: 1, delayMs: 0 },
      { afterFiles: 1, delayMs: 60 },
    ]);

    const a = open('reference');
    const b = open('crashed');
    try {
      expect(catalogContent(b, lib)).toEqual(catalogContent(a, lib));
      for (const c of [a, b]) {
        const photo = c.photos.liveByPath(renamed)!;
        const [f] = c.faces.ofPhoto(photo.id);
        expect(c.people.assignment(f.id)).toMatchObject({ source: 'user' });
        expect(c.people.get(c.people.assignment(f.id)!.personId)!.name).toBe('Tom');
        expect(c.stats()).toMatchObject({ retired: 1, people: 1 });
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
