// Photo lists on a real SQLite file: a person's photos newest first (EXIF date, else file time), people
// together (and only them), folders, date groups; the photo_people index stays equal to the assignments
// whatever writes them; an old catalog is upgraded in place and gets its dates from metadata only.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/engine/library/catalog/catalog.ts';
import { MIGRATIONS } from '../../../main/engine/library/catalog/schema.ts';
import { backfillTakenAt, TAKEN_AT_BACKFILL_KEY } from '../../../main/engine/library/indexer/taken-at.ts';
import { readTakenAt } from '../../../main/engine/library/indexer/exif.ts';
import type { AnalysedFace } from '../../../main/engine/face/types.ts';
import { face as devPhoto, hasFaces, noFacesReason } from '../../helpers/data.ts';

let dir: string;
let catalog: Catalog;

const DAY = 86_400_000;
const BASE = new Date(2024, 0, 10, 12, 0, 0).getTime();

function analysedFace(i: number): AnalysedFace {
  const box = { x: 10 + i * 60, y: 10, width: 50, height: 50 };
  return {
    box,
    landmarks: [[box.x + 10, box.y + 20], [box.x + 40, box.y + 20], [box.x + 25, box.y + 30], [box.x + 15, box.y + 40], [box.x + 35, box.y + 40]],
    score: 0.99, source: 'detector', embedding: new Float32Array([1, 0, 0, 0]), modelId: 'm', quality: { size: 50, sharpness: 100, frontal: 1 },
  };
}

/** A photo in `folder` with `faces` faces, dated by EXIF (takenAt) or only by its file time. */
function addPhoto(name: string, faces: number, dates: { takenAt?: number | null; mtimeMs?: number }, folder = 'a'): { photoId: number; faceIds: number[] } {
  return catalog.photos.insertAnalysed(
    { rootId: null, path: path.join(dir, folder, name), size: 100, mtimeMs: dates.mtimeMs ?? BASE },
    { contentHash: `h-${folder}-${name}`, width: 640, height: 480, orientation: 1, takenAt: dates.takenAt ?? null },
    { detectorId: 'd', modelId: 'm', faces: Array.from({ length: faces }, (_, i) => analysedFace(i)) },
  );
}

/** photo_people recomputed from scratch: what the triggers must keep it equal to. */
function expectedIndex(db: Database.Database): unknown[] {
  return db.prepare(
    `SELECT a.person_id, f.photo_id, COUNT(*) AS faces, COALESCE(p.taken_at, CAST(p.mtime_ms AS INTEGER)) AS taken
       FROM assignments a JOIN faces f ON f.id = a.face_id JOIN photos p ON p.id = f.photo_id GROUP BY a.person_id, f.photo_id ORDER BY 1, 2`,
  ).all();
}
const actualIndex = (db: Database.Database): unknown[] => db.prepare('SELECT person_id, photo_id, faces, taken FROM photo_people ORDER BY 1, 2').all();

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fa-photo-index-'));
  catalog = new Catalog(path.join(dir, 'catalog.db'));
});

afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a person\'s photos', () => {
  it('are whole photos, newest first by EXIF date taken or else file time, paged, grouped by day', () => {
    const ann = catalog.people.create('Ann');
    // EXIF says 2 days after BASE although the file is older; the second has only its file time.
    const exif = addPhoto('exif.jpg', 1, { takenAt: BASE + 2 * DAY, mtimeMs: BASE - 100 * DAY });
    const fileTime = addPhoto('filetime.jpg', 1, { mtimeMs: BASE + 5 * DAY });
    const old = addPhoto('old.jpg', 2, { takenAt: BASE - 30 * DAY });
    const sameDay = addPhoto('sameday.jpg', 1, { takenAt: BASE + 2 * DAY + 3_600_000 });
    addPhoto('nobody.jpg', 1, { takenAt: BASE + 9 * DAY });
    for (const p of [exif, fileTime, old, sameDay]) catalog.people.assign(p.faceIds[0], ann.id, 'auto');

    const source = { kind: 'person', personId: ann.id } as const;
    const page = catalog.photoIndex.page(source, 0, 10);
    expect(page.map((p) => p.id)).toEqual([fileTime.photoId, sameDay.photoId, exif.photoId, old.photoId]);
    expect(page[2].takenAt).toBe(BASE + 2 * DAY);
    expect(page[3].faces).toBe(2);
    expect(catalog.photoIndex.page(source, 1, 2).map((p) => p.id)).toEqual([sameDay.photoId, exif.photoId]);

    const t = catalog.photoIndex.timeline(source);
    const day = (ms: number): string => new Date(ms).toLocaleDateString('sv-SE');
    expect(t).toEqual({
      total: 4, first: BASE - 30 * DAY, last: BASE + 5 * DAY,
      days: [{ day: day(BASE + 5 * DAY), count: 1 }, { day: day(BASE + 2 * DAY), count: 2 }, { day: day(BASE - 30 * DAY), count: 1 }],
    });
  });

  it('a photo where the person has two faces counts once; a new EXIF date re-sorts it', () => {
    const ann = catalog.people.create('Ann');
    const a = addPhoto('a.jpg', 2, { takenAt: BASE });
    const b = addPhoto('b.jpg', 1, { takenAt: BASE + DAY });
    catalog.people.assign(a.faceIds[0], ann.id, 'auto');
    catalog.people.assign(a.faceIds[1], ann.id, 'auto');
    catalog.people.assign(b.faceIds[0], ann.id, 'auto');
    const source = { kind: 'person', personId: ann.id } as const;
    expect(catalog.photoIndex.page(source, 0, 10).map((p) => p.id)).toEqual([b.photoId, a.photoId]);
    catalog.photoIndex.setTakenAt(a.photoId, BASE + 2 * DAY);
    expect(catalog.photoIndex.page(source, 0, 10).map((p) => p.id)).toEqual([a.photoId, b.photoId]);
    catalog.people.unassign(a.faceIds[0]);
    expect(catalog.photoIndex.timeline(source).total).toBe(2);
    catalog.people.unassign(a.faceIds[1]);
    expect(catalog.photoIndex.page(source, 0, 10).map((p) => p.id)).toEqual([b.photoId]);
  });
});

describe('people together', () => {
  it('returns exactly the photos with all of them; "only" drops photos with another named person', () => {
    const [a, b, c] = ['A', 'B', 'C'].map((n) => catalog.people.create(n));
    const unnamed = catalog.people.create(null);
    const ab = addPhoto('ab.jpg', 2, { takenAt: BASE });
    const abc = addPhoto('abc.jpg', 3, { takenAt: BASE + DAY });
    const abUnnamed = addPhoto('ab-unnamed.jpg', 3, { takenAt: BASE + 2 * DAY });
    const ac = addPhoto('ac.jpg', 2, { takenAt: BASE + 3 * DAY });
    const aOnly = addPhoto('a.jpg', 1, { takenAt: BASE + 4 * DAY });
    catalog.people.assign(ab.faceIds[0], a.id, 'auto'); catalog.people.assign(ab.faceIds[1], b.id, 'auto');
    catalog.people.assign(abc.faceIds[0], a.id, 'auto'); catalog.people.assign(abc.faceIds[1], b.id, 'auto'); catalog.people.assign(abc.faceIds[2], c.id, 'user');
    catalog.people.assign(abUnnamed.faceIds[0], a.id, 'auto'); catalog.people.assign(abUnnamed.faceIds[1], b.id, 'auto'); catalog.people.assign(abUnnamed.faceIds[2], unnamed.id, 'auto');
    catalog.people.assign(ac.faceIds[0], a.id, 'auto'); catalog.people.assign(ac.faceIds[1], c.id, 'auto');
    catalog.people.assign(aOnly.faceIds[0], a.id, 'auto');

    const ids = (personIds: number[], only = false): number[] => catalog.photoIndex.page({ kind: 'together', personIds, only }, 0, 100).map((p) => p.id);
    expect(ids([a.id, b.id])).toEqual([abUnnamed.photoId, abc.photoId, ab.photoId]);
    expect(ids([b.id, a.id])).toEqual(ids([a.id, b.id]));
    expect(ids([a.id, b.id, c.id])).toEqual([abc.photoId]);
    // Unnamed people are not "someone else" for "only these people".
    expect(ids([a.id, b.id], true)).toEqual([abUnnamed.photoId, ab.photoId]);
    expect(ids([a.id], true)).toEqual([aOnly.photoId]);
    expect(ids([c.id, b.id])).toEqual([abc.photoId]);
    expect(catalog.photoIndex.timeline({ kind: 'together', personIds: [a.id, b.id], only: false }).total).toBe(3);
    // Somebody without photos, or no such person: nothing.
    expect(ids([a.id, catalog.people.create('D').id])).toEqual([]);
    expect(ids([a.id, 99_999])).toEqual([]);
    expect(catalog.photoIndex.peopleOfPhotos([abc.photoId]).get(abc.photoId)).toEqual([a.id, b.id, c.id].sort((x, y) => x - y));
  });
});

describe('the index follows every change to assignments', () => {
  it('assign, move, unassign, delete a person, retire and revive a photo, re-analyse it', () => {
    const [a, b] = [catalog.people.create('A'), catalog.people.create('B')];
    const p1 = addPhoto('1.jpg', 2, { takenAt: BASE });
    const p2 = addPhoto('2.jpg', 1, { mtimeMs: BASE + DAY });
    // A second connection to the same file sees what the catalog committed (and writes like another service would).
    const raw = new Database(path.join(dir, 'catalog.db'));
    const check = (): void => expect(actualIndex(raw)).toEqual(expectedIndex(raw));
    catalog.people.assign(p1.faceIds[0], a.id, 'auto'); check();
    catalog.people.assign(p1.faceIds[1], a.id, 'auto'); check();
    catalog.people.assign(p2.faceIds[0], a.id, 'auto'); check();
    catalog.people.assign(p1.faceIds[0], b.id, 'user'); check(); // a move is an UPDATE of person_id
    raw.prepare("UPDATE assignments SET source = 'user' WHERE person_id = ?").run(a.id); check();
    catalog.photos.retire(p1.photoId); check();
    expect(catalog.photoIndex.page({ kind: 'person', personId: b.id }, 0, 10)).toEqual([]);
    catalog.photos.revive(p1.photoId, { rootId: null, path: path.join(dir, 'a', 'moved.jpg'), size: 100, mtimeMs: BASE + 7 * DAY }); check();
    expect(catalog.photoIndex.page({ kind: 'person', personId: b.id }, 0, 10).map((p) => p.path)).toEqual([path.join(dir, 'a', 'moved.jpg')]);
    // Re-analysis keeps face 0 and drops face 1 (deleted faces leave the index with their assignment).
    catalog.photos.replaceAnalysis(p1.photoId, { rootId: null, path: path.join(dir, 'a', 'moved.jpg'), size: 120, mtimeMs: BASE + 8 * DAY },
      { contentHash: 'new', width: 640, height: 480, orientation: 1, takenAt: BASE - DAY },
      { detectorId: 'd', modelId: 'm', faces: [analysedFace(0)] }, [p1.faceIds[0]]);
    check();
    expect(actualIndex(raw)).toContainEqual({ person_id: b.id, photo_id: p1.photoId, faces: 1, taken: BASE - DAY });
    catalog.people.delete(a.id); check();
    catalog.photos.delete(p1.photoId); check();
    expect(actualIndex(raw)).toEqual([]);
    raw.close();
  });
});

describe('folders', () => {
  it('lists folders with photo and face counts, and a folder\'s own photos (not its sub-folders\')', () => {
    const x = addPhoto('x.jpg', 2, { takenAt: BASE }, 'trip');
    const y = addPhoto('y.jpg', 1, { takenAt: BASE + DAY }, 'trip');
    addPhoto('z.jpg', 3, { takenAt: BASE }, path.join('trip', 'day2'));
    addPhoto('w.jpg', 0, { takenAt: BASE }, 'trip-other');
    // A folder name outside the BMP (each emoji is two UTF-16 units but one SQLite character).
    const beach = addPhoto('b.jpg', 1, { takenAt: BASE }, 'beach 🏖🌊');
    addPhoto('deeper.jpg', 1, { takenAt: BASE }, path.join('beach 🏖🌊', 'a'));
    expect(catalog.photoIndex.page({ kind: 'folder', folder: path.join(dir, 'beach 🏖🌊') }, 0, 10).map((p) => p.id)).toEqual([beach.photoId]);
    expect(catalog.photoIndex.folders()).toEqual([
      { folder: path.join(dir, 'beach 🏖🌊'), photos: 1, faces: 1 },
      { folder: path.join(dir, 'beach 🏖🌊', 'a'), photos: 1, faces: 1 },
      { folder: path.join(dir, 'trip'), photos: 2, faces: 3 },
      { folder: path.join(dir, 'trip', 'day2'), photos: 1, faces: 3 },
      { folder: path.join(dir, 'trip-other'), photos: 1, faces: 0 },
    ]);
    expect(catalog.photoIndex.page({ kind: 'folder', folder: path.join(dir, 'trip') }, 0, 10).map((p) => p.id)).toEqual([y.photoId, x.photoId]);
    expect(catalog.photoIndex.timeline({ kind: 'folder', folder: path.join(dir, 'trip') }).total).toBe(2);
  });
});

describe.skipIf(!hasFaces)('upgrading a catalog from before photo lists', () => {
  if (!hasFaces) console.warn(noFacesReason);

  it('fills the index from existing assignments and reads missing dates from EXIF only, once', async () => {
    catalog.close();
    const file = path.join(dir, 'old.db');
    // A version-1 catalog as the previous release wrote it: dates never read.
    const raw = new Database(file);
    raw.exec(MIGRATIONS[0]);
    raw.pragma('user_version = 1');
    mkdirSync(path.join(dir, 'lib'));
    const withExif = path.join(dir, 'lib', 'group.jpg');
    copyFileSync(devPhoto('groups/human_group-4.jpg'), withExif);
    const noExif = path.join(dir, 'lib', 'kit.jpg');
    copyFileSync(devPhoto('groups/kit_with_rose.jpg'), noExif);
    const insPhoto = raw.prepare("INSERT INTO photos (path, size, mtime_ms, content_hash, width, height, status, indexed_at) VALUES (?, 1, ?, ?, 10, 10, 'ok', 0)");
    const insFace = raw.prepare("INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, source, quality_size, quality_sharpness, quality_frontal, embedding, model_id, detector_id, created_at) VALUES (?, 0, 0, 1, 1, '[]', 1, 'detector', 1, 1, 1, x'00', 'm', 'd', 0)");
    const g = Number(insPhoto.run(withExif, BASE, 'g').lastInsertRowid);
    const k = Number(insPhoto.run(noExif, BASE + DAY, 'k').lastInsertRowid);
    const person = Number(raw.prepare("INSERT INTO people (name, created_at) VALUES ('Ann', 0)").run().lastInsertRowid);
    for (const photo of [g, k]) raw.prepare("INSERT INTO assignments VALUES (?, ?, 'auto', 0)").run(Number(insFace.run(photo).lastInsertRowid), person);
    raw.close();

    catalog = new Catalog(file);
    expect(catalog.openedAtVersion).toBe(1);
    const source = { kind: 'person', personId: person } as const;
    // Before the dates are read, both sort by file time.
    expect(catalog.photoIndex.page(source, 0, 10).map((p) => p.id)).toEqual([k, g]);
    const exifDate = await readTakenAt(withExif);
    expect(exifDate).not.toBeNull();
    let reads = 0;
    const counted = (f: string): Promise<number | null> => (reads++, readTakenAt(f));
    expect(await backfillTakenAt(catalog, counted)).toBe(1);
    expect(reads).toBe(2);
    expect(catalog.photos.get(g)!.takenAt).toBe(exifDate);
    expect(catalog.photos.get(k)!.takenAt).toBeNull();
    // 2016 from EXIF now sorts before 2024's file time... and it is done once.
    expect(catalog.photoIndex.page(source, 0, 10).map((p) => [p.id, p.takenAt])).toEqual([[k, BASE + DAY], [g, exifDate]]);
    expect(catalog.settings.get(TAKEN_AT_BACKFILL_KEY)).toBe(false);
    expect(await backfillTakenAt(catalog, counted)).toBe(0);
    expect(reads).toBe(2);
    expect(catalog.photos.get(g)!.width).toBe(10); // nothing else was touched
  });
});
