// The indexer on real photos with the real face engine and a real SQLite file: incremental runs,
// renames, deletions, modifications, duplicates, bad input, files changing mid-run, pause/cancel, thumbnails.
import { sqlOf } from '../../helpers/sql.ts';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/engine/library/catalog/catalog.ts';
import { createFaceEngine, type FaceEngine } from '../../../main/engine/face/engine.ts';
import { decodePhoto } from '../../../main/engine/face/decode.ts';
import type { FileReport } from '../../../main/engine/library/indexer/index-file.ts';
import { Indexer, type IndexerOptions } from '../../../main/engine/library/indexer/indexer.ts';
import type { IndexProgress } from '../../../main/engine/library/indexer/progress.ts';
import { ThumbnailCache } from '../../../main/engine/library/thumbs/thumbnail-cache.ts';
import { face, hasFaces, noFacesReason } from '../../helpers/data.ts';
import { GOOD_PHOTOS, copyPhotos, reencode, writeBadInputs } from './library.ts';

if (!hasFaces) console.warn(noFacesReason);

/** Waits for a condition the watcher brings about; fails with `what` if it never comes. */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe.skipIf(!hasFaces)('Indexer on real photos', () => {
  let engine: FaceEngine;
  let dir: string;
  let lib: string;
  let catalog: Catalog;
  let thumbs: ThumbnailCache;

  const makeIndexer = (opts: Partial<IndexerOptions> = {}): Indexer => new Indexer({ catalog, analyser: engine, thumbs, concurrency: 4, ...opts });
  const photoAt = (name: string) => catalog.photos.liveByPath(path.join(lib, name));

  beforeAll(async () => {
    engine = await createFaceEngine({ workers: 2 });
  });
  afterAll(async () => {
    await engine?.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-indexer-'));
    lib = path.join(dir, 'library');
    catalog = new Catalog(path.join(dir, 'catalog.db'));
    thumbs = new ThumbnailCache(catalog, path.join(dir, 'cache'));
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes every photo with its faces, reports progress, and a second run indexes nothing', async () => {
    const files = copyPhotos(lib);
    const indexer = makeIndexer();
    const progress: IndexProgress[] = [];
    indexer.on('progress', (p) => progress.push(p));
    const first = await indexer.run([lib]);

    expect(first).toMatchObject({ phase: 'done', cancelled: false, found: files.length, total: files.length, done: files.length, added: files.length, failed: 0 });
    for (const f of files) {
      const p = catalog.photos.liveByPath(f)!;
      const meta = await sharp(f).metadata();
      expect(p, f).toMatchObject({ status: 'ok', size: statSync(f).size, contentHash: sha256(f), width: meta.width, height: meta.height, modelId: engine.modelId });
      expect(catalog.faces.ofPhoto(p.id).length, f).toBeGreaterThanOrEqual(1);
    }
    const groups = catalog.photos.liveByPath(path.join(lib, 'bbt3.jpg'))!;
    expect(catalog.faces.ofPhoto(groups.id).length).toBeGreaterThanOrEqual(3);
    expect(first.faces).toBe(catalog.stats().faces);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', done: files.length });
    expect(progress.some((p) => p.phase === 'indexing' && p.photosPerSecond > 0 && p.etaSeconds !== null)).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);

    const before = sqlOf(catalog).prepare('SELECT * FROM photos ORDER BY id').all();
    const facesBefore = sqlOf(catalog).prepare('SELECT * FROM faces ORDER BY id').all();
    const seen: FileReport[] = [];
    indexer.on('file', (r) => seen.push(r));
    const second = await indexer.run([lib]);
    expect(second).toMatchObject({ found: files.length, unchanged: files.length, total: 0, done: 0, added: 0, retired: 0 });
    expect(seen).toEqual([]);
    expect(sqlOf(catalog).prepare('SELECT * FROM photos ORDER BY id').all()).toEqual(before);
    expect(sqlOf(catalog).prepare('SELECT * FROM faces ORDER BY id').all()).toEqual(facesBefore);
  });

  it('keeps the faces and their person of a renamed and moved photo', async () => {
    copyPhotos(lib, GOOD_PHOTOS.slice(0, 4).concat('groups/kit_with_rose.jpg'));
    const indexer = makeIndexer();
    await indexer.run([lib]);
    const photo = photoAt('kit_with_rose.jpg')!;
    const faces = catalog.faces.ofPhoto(photo.id);
    const kit = catalog.people.create('Kit');
    catalog.people.assign(faces[0].id, kit.id, 'user');
    catalog.people.reject(faces[1].id, kit.id);
    const facesTotal = catalog.stats().faces;

    const moved = path.join(lib, 'trip 2019', 'Kit & Rose – été.jpg');
    mkdirSync(path.dirname(moved));
    renameSync(photo.path, moved);
    const reports: FileReport[] = [];
    indexer.on('file', (r) => reports.push(r));
    const run = await indexer.run([lib]);

    expect(reports).toEqual([{ path: moved, outcome: 'moved', photoId: photo.id }]);
    expect(run).toMatchObject({ moved: 1, added: 0, retired: 0 });
    expect(catalog.photos.get(photo.id)).toMatchObject({ status: 'ok', path: moved });
    expect(catalog.faces.ofPhoto(photo.id).map((f) => f.id)).toEqual(faces.map((f) => f.id));
    expect(catalog.people.assignment(faces[0].id)).toMatchObject({ personId: kit.id, source: 'user' });
    expect(catalog.people.constraintsOfFace(faces[1].id)).toMatchObject([{ kind: 'reject', personId: kit.id }]);
    expect(catalog.stats()).toMatchObject({ faces: facesTotal, retired: 0 });
  });

  it('retires a deleted photo (its faces leave people) and revives it with its names when it comes back', async () => {
    copyPhotos(lib, GOOD_PHOTOS.slice(0, 4));
    const indexer = makeIndexer();
    await indexer.run([lib]);
    const name = path.basename(GOOD_PHOTOS[0]);
    const photo = photoAt(name)!;
    const [f0] = catalog.faces.ofPhoto(photo.id);
    const jon = catalog.people.create('Jon');
    catalog.people.assign(f0.id, jon.id, 'user');
    const others = catalog.photos.list({ status: 'ok' }).filter((p) => p.id !== photo.id);

    const backup = path.join(dir, 'backup.jpg');
    renameSync(photo.path, backup);
    const retired: unknown[] = [];
    indexer.on('retired', (r) => retired.push(r));
    const run = await indexer.run([lib]);
    expect(run.retired).toBe(1);
    expect(retired).toEqual([{ photoId: photo.id, path: photo.path, outcome: 'retired' }]);
    expect(catalog.photos.get(photo.id)!.status).toBe('retired');
    expect(catalog.people.assignmentsOf(jon.id)).toEqual([]);
    expect(catalog.stats().photos).toBe(others.length);
    // Nothing else changed.
    for (const p of others) expect(catalog.photos.get(p.id)).toEqual(p);

    renameSync(backup, path.join(lib, 'back again.jpg'));
    const again = await indexer.run([lib]);
    expect(again).toMatchObject({ moved: 1, added: 0 });
    expect(catalog.photos.get(photo.id)).toMatchObject({ status: 'ok', path: path.join(lib, 'back again.jpg') });
    expect(catalog.people.assignment(f0.id)).toMatchObject({ personId: jon.id, source: 'user' });
  });

  it('changes nothing under a root that is not there (an unplugged drive)', async () => {
    copyPhotos(lib, GOOD_PHOTOS.slice(0, 3));
    const indexer = makeIndexer();
    await indexer.run([lib]);
    const before = catalog.photos.list();
    renameSync(lib, path.join(dir, 'unplugged'));
    const run = await indexer.run([lib]);
    expect(run.warnings).toMatchObject([{ code: 'ROOT_UNAVAILABLE', path: lib }]);
    expect(run).toMatchObject({ retired: 0, found: 0 });
    expect(catalog.photos.list()).toEqual(before);
  });

  it('re-reads a modified photo: re-detected faces keep their ids and names, a new picture replaces them (logged)', async () => {
    copyPhotos(lib, ['groups/kit_with_rose.jpg', 'Mary_Carey/Mary_Carey_0001.jpg']);
    const indexer = makeIndexer();
    await indexer.run([lib]);
    const photo = photoAt('kit_with_rose.jpg')!;
    const faces = catalog.faces.ofPhoto(photo.id);
    const rose = catalog.people.create('Rose');
    catalog.people.assign(faces[1].id, rose.id, 'user');

    // Same picture saved again (an editor touching the file): new bytes, same faces.
    const tmp = path.join(dir, 're-saved.jpg');
    await reencode(photo.path, tmp, 80);
    copyFileSync(tmp, photo.path);
    const reports: FileReport[] = [];
    indexer.on('file', (r) => reports.push(r));
    await indexer.run([lib]);
    expect(reports).toMatchObject([{ outcome: 'updated', photoId: photo.id }]);
    const after = catalog.faces.ofPhoto(photo.id);
    expect(after.map((f) => f.id).sort()).toEqual(faces.map((f) => f.id).sort());
    expect(catalog.photos.get(photo.id)!.contentHash).toBe(sha256(photo.path));
    expect(catalog.people.assignment(faces[1].id)).toMatchObject({ personId: rose.id, source: 'user' });

    // A face the user drew (where detection found none) is user work too.
    const drawn = catalog.faces.insert(photo.id, { ...faces[0], box: { x: 5, y: 5, width: 40, height: 40 }, source: 'manual', score: 0 }, 'manual');
    // A different picture under the same name: old faces go, the user's lost name and drawn face are written to the log.
    copyFileSync(face('Tom_Jones/Tom_Jones_0001.jpg'), photo.path);
    reports.length = 0;
    await indexer.run([lib]);
    expect(reports).toMatchObject([{ outcome: 'updated', photoId: photo.id }]);
    const replaced = catalog.faces.ofPhoto(photo.id);
    expect(replaced.length).toBeGreaterThanOrEqual(1);
    expect(replaced.some((f) => faces.some((o) => o.id === f.id))).toBe(false);
    expect(catalog.people.assignmentsOf(rose.id)).toEqual([]);
    const log = catalog.decisions.list<{ photoId: number; summary: string; faces: { faceId: number; drawn: boolean; assignment: { personId: number } | null }[] }>({ limit: 1 })[0];
    expect(log.kind).toBe('reindex-removed-faces');
    expect(log.payload.photoId).toBe(photo.id);
    expect(log.payload.faces).toMatchObject([{ faceId: faces[1].id, drawn: false, assignment: { personId: rose.id } }, { faceId: drawn, drawn: true, assignment: null }]);
    expect(log.payload.summary).toBe('kit_with_rose.jpg changed and was read again: 1 named face and 1 face you drew no longer found (cannot be undone)');
  });

  it('indexes duplicate content once, and the faces stay with the surviving copy', async () => {
    const [original] = copyPhotos(lib, ['Rose_Leslie/Rose_Leslie_0001.jpg', 'Tom_Jones/Tom_Jones_0002.jpg']);
    mkdirSync(path.join(lib, 'copies'));
    const copy = path.join(lib, 'copies', 'rose copy.jpg');
    copyFileSync(original, copy);
    const indexer = makeIndexer();
    const run = await indexer.run([lib]);
    expect(run).toMatchObject({ added: 2, duplicates: 1 });
    const a = catalog.photos.liveByPath(original)!;
    const b = catalog.photos.liveByPath(copy)!;
    const [canonical, duplicate] = a.status === 'ok' ? [a, b] : [b, a];
    expect(duplicate).toMatchObject({ status: 'duplicate', duplicateOf: canonical.id, contentHash: canonical.contentHash });
    expect(catalog.faces.ofPhoto(duplicate.id)).toEqual([]);
    const faceIds = catalog.faces.ofPhoto(canonical.id).map((f) => f.id);
    expect(catalog.stats()).toMatchObject({ photos: 2, duplicates: 1 });

    unlinkSync(canonical.path);
    await indexer.run([lib]);
    expect(catalog.photos.get(canonical.id)).toMatchObject({ status: 'ok', path: duplicate.path });
    expect(catalog.photos.get(duplicate.id)).toBeUndefined();
    expect(catalog.faces.ofPhoto(canonical.id).map((f) => f.id)).toEqual(faceIds);
    expect(catalog.stats()).toMatchObject({ photos: 2, duplicates: 0, retired: 0 });
  });

  it('records every bad input with a clear reason and indexes every good photo (odd names, formats, links included)', async () => {
    const good = copyPhotos(lib, GOOD_PHOTOS.slice(0, 3));
    const cases = await writeBadInputs(path.join(lib, 'odd'), face('Rose_Leslie/Rose_Leslie_0001.jpg'));
    const indexer = makeIndexer();
    const failedReports: FileReport[] = [];
    indexer.on('file', (r) => r.outcome === 'failed' && failedReports.push(r));
    const run = await indexer.run([lib]);

    for (const c of cases) {
      const p = catalog.photos.liveByPath(path.join(lib, 'odd', c.name));
      expect(p, c.name).toBeDefined();
      if (c.code) {
        expect(p, c.name).toMatchObject({ status: 'failed', errorCode: c.code });
        expect(p!.errorMessage!.length, c.name).toBeGreaterThan(5);
        expect(failedReports.find((r) => r.path === p!.path)?.error?.code, c.name).toBe(c.code);
      } else {
        expect(['ok', 'duplicate'], c.name).toContain(p!.status);
        expect(catalog.faces.ofPhoto(p!.duplicateOf ?? p!.id).length, c.name).toBeGreaterThanOrEqual(1);
      }
    }
    for (const g of good) expect(catalog.photos.liveByPath(g)!.status).toBe('ok');
    expect(catalog.photos.liveByPath(path.join(lib, 'odd', 'link-to-gray.jpg'))!.status).toBe('duplicate');
    // Hidden and system folders were not entered; the folder loop was reported, not followed.
    expect(catalog.photos.list().filter((p) => /\.git|@eaDir|\$RECYCLE|\._/.test(p.path))).toEqual([]);
    expect(catalog.photos.list().filter((p) => p.path.includes('back-to-top'))).toEqual([]);
    expect(run.warnings).toMatchObject([{ code: 'SYMLINK_LOOP', path: path.join(lib, 'odd', 'sub', 'back-to-top') }]);
    expect(catalog.photos.list()).toHaveLength(good.length + cases.length);
    expect(run.failed).toBe(cases.filter((c) => c.code).length);
    // The upright face of the EXIF-rotated photo sits where it does in the original (the tag was applied).
    const rotated = catalog.faces.ofPhoto(catalog.photos.liveByPath(path.join(lib, 'odd', 'exif-rotated.jpg'))!.id)[0];
    const upright = catalog.faces.ofPhoto(catalog.photos.liveByPath(path.join(lib, 'odd', 'with space.jpg'))!.id)[0];
    expect(Math.abs(rotated.box.x - upright.box.x)).toBeLessThan(upright.box.width * 0.2);
    expect(Math.abs(rotated.box.y - upright.box.y)).toBeLessThan(upright.box.height * 0.2);

    const second = await indexer.run([lib]);
    expect(second).toMatchObject({ total: 0, failed: 0, added: 0 });
    expect(catalog.photos.list()).toHaveLength(good.length + cases.length);
  });

  it('handles files deleted or replaced while the run is in progress', async () => {
    const files = copyPhotos(lib, GOOD_PHOTOS.slice(0, 6));
    const [first, , , toDelete, , toReplace] = files; // scan order is by name, and these names sort that way
    expect([...files].sort()).toEqual(files);
    const indexer = makeIndexer({ concurrency: 1 });
    const reports: FileReport[] = [];
    indexer.on('file', (r) => {
      reports.push(r);
      if (r.path === first) {
        unlinkSync(toDelete);
        writeFileSync(toReplace, readFileSync(face('Kit_Harington/Kit_Harington_0001.jpg')));
      }
    });
    const run = await indexer.run([lib]);
    expect(reports.find((r) => r.path === toDelete)).toMatchObject({ outcome: 'vanished', error: { code: 'VANISHED' } });
    expect(catalog.photos.liveByPath(toDelete)).toBeUndefined();
    expect(catalog.photos.liveByPath(toReplace)).toMatchObject({ status: 'ok', contentHash: sha256(toReplace) });
    expect(run).toMatchObject({ done: files.length, added: files.length - 1 });
    expect((await indexer.run([lib])).total).toBe(0);
  });

  it('pauses, resumes and cancels; a cancelled run keeps its work and the next run finishes it', async () => {
    const files = copyPhotos(lib, GOOD_PHOTOS.slice(0, 6));
    const indexer = makeIndexer({ concurrency: 1 });
    let pausedProgress: IndexProgress | null = null;
    let filesWhilePaused = 0;
    indexer.on('progress', (p) => p.paused && (pausedProgress ??= p));
    const onFirst = (): void => {
      indexer.off('file', onFirst);
      indexer.pause();
      indexer.on('file', countPaused);
      setTimeout(() => {
        indexer.off('file', countPaused);
        indexer.resume();
      }, 1500);
    };
    const countPaused = (): void => void filesWhilePaused++;
    indexer.on('file', onFirst);
    const run = await indexer.run([lib]);
    expect(pausedProgress).toMatchObject({ paused: true, done: 0 });
    expect(filesWhilePaused).toBe(0);
    expect(run).toMatchObject({ done: files.length, added: files.length, paused: false });

    // Cancel after two photos: those two are kept; a new run does the rest and nothing twice.
    rmSync(lib, { recursive: true });
    catalog.close();
    catalog = new Catalog(path.join(dir, 'catalog2.db'));
    thumbs = new ThumbnailCache(catalog, path.join(dir, 'cache'));
    copyPhotos(lib, GOOD_PHOTOS.slice(0, 6));
    const again = makeIndexer({ concurrency: 1 });
    const abort = new AbortController();
    let n = 0;
    again.on('file', () => ++n === 2 && abort.abort());
    const cancelled = await again.run([lib], { signal: abort.signal });
    expect(cancelled).toMatchObject({ cancelled: true, phase: 'cancelled', done: 2 });
    expect(catalog.stats().photos).toBe(2);
    const rest = await again.run([lib]);
    expect(rest).toMatchObject({ cancelled: false, unchanged: 2, added: files.length - 2 });
    expect(catalog.stats().photos).toBe(files.length);
  });

  it('watch mode indexes photos added, changed, renamed and deleted while it runs', async () => {
    copyPhotos(lib, ['Mary_Carey/Mary_Carey_0001.jpg']);
    const indexer = makeIndexer();
    await indexer.run([lib]);
    const watcher = indexer.watch([lib], { debounceMs: 200, writeStableMs: 200 });
    await watcher.ready;
    try {
      const added = path.join(lib, 'new folder', 'arrived later.jpg');
      mkdirSync(path.dirname(added));
      copyFileSync(face('Rose_Leslie/Rose_Leslie_0001.jpg'), added);
      await until(() => catalog.photos.liveByPath(added)?.status === 'ok', 'new photo indexed');
      const id = catalog.photos.liveByPath(added)!.id;
      expect(catalog.faces.ofPhoto(id).length).toBeGreaterThanOrEqual(1);

      const resaved = path.join(dir, 'resaved.jpg');
      await reencode(added, resaved, 70);
      copyFileSync(resaved, added);
      const newHash = sha256(added);
      await until(() => catalog.photos.get(id)?.contentHash === newHash, 'changed photo re-read');

      const renamed = path.join(lib, 'renamed later.jpg');
      renameSync(added, renamed);
      await until(() => catalog.photos.get(id)?.path === renamed && catalog.photos.get(id)?.status === 'ok', 'rename followed');

      unlinkSync(renamed);
      await until(() => catalog.photos.get(id)?.status === 'retired', 'deleted photo retired');
      await watcher.idle();
      expect(catalog.stats()).toMatchObject({ photos: 1, retired: 1 });
    } finally {
      await watcher.close();
    }
  });

  it('cuts WebP thumbnails named by content, and cuts a missing one again on demand', async () => {
    copyPhotos(lib, ['groups/kit_with_rose.jpg', 'Jon_Voight/Jon_Voight_0001.jpg']);
    await makeIndexer().run([lib]);
    const photo = photoAt('kit_with_rose.jpg')!;
    const faces = catalog.faces.ofPhoto(photo.id);
    for (const f of faces) {
      expect(f.thumb).toBe(thumbs.faceThumbName(photo.contentHash!, f.box));
      expect(f.thumb).not.toContain('kit_with_rose');
      const meta = await sharp(thumbs.resolve(f.thumb!)).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: thumbs.options.faceSize, height: thumbs.options.faceSize });
    }
    const photoThumb = await sharp(await thumbs.ensurePhotoThumb(photo.id)).metadata();
    expect(Math.max(photoThumb.width!, photoThumb.height!)).toBe(thumbs.options.photoSize);

    const file = thumbs.resolve(faces[0].thumb!);
    const bytes = readFileSync(file);
    unlinkSync(file);
    expect(await thumbs.ensureFaceThumb(faces[0].id)).toBe(file);
    expect(existsSync(file)).toBe(true);
    const regenerated = await sharp(file).raw().toBuffer();
    const original = await sharp(bytes).raw().toBuffer();
    expect(regenerated.length).toBe(original.length);
    expect(() => thumbs.resolve('../../etc/passwd')).toThrow(/outside/);
  });

  it('cuts thumbnails from the engine\'s decoded pixels when they have the resolution, else decodes the file', async () => {
    copyPhotos(lib, ['groups/kit_with_rose.jpg']);
    await makeIndexer().run([lib]);
    const photo = photoAt('kit_with_rose.jpg')!;
    const faces = catalog.faces.ofPhoto(photo.id);
    expect(faces.length).toBeGreaterThan(0);
    // From the bytes: sharp caches decodes by file name, and these files are rewritten in place.
    const meanRgb = async (file: string) => (await sharp(readFileSync(file)).stats()).channels.slice(0, 3).map((c) => c.mean);
    const photoFile = thumbs.resolve(thumbs.photoThumbName(photo.contentHash!));
    const fromIndex = await meanRgb(photoFile);

    // The indexer's thumbnails (cut from the engine's pixels) look like ones cut from a fresh decode of the file.
    unlinkSync(photoFile);
    await thumbs.ensurePhotoThumb(photo.id);
    const fresh = await meanRgb(photoFile);
    fromIndex.forEach((m, c) => expect(Math.abs(m - fresh[c])).toBeLessThan(2));

    // Pixels of the photo's size are used as given: an all-red image gives red thumbnails.
    const { width, height } = await decodePhoto(path.join(lib, 'kit_with_rose.jpg'));
    const red = (w: number, h: number) => ({ data: new Uint8Array(w * h * 3).map((_, i) => (i % 3 === 0 ? 255 : 0)), width: w, height: h });
    await thumbs.writePhotoThumbs(photo.id, red(width, height));
    for (const file of [photoFile, thumbs.resolve(catalog.faces.ofPhoto(photo.id)[0].thumb!)]) {
      const [r, g, b] = await meanRgb(file);
      expect(r).toBeGreaterThan(240);
      expect(g + b).toBeLessThan(20);
    }
    // Pixels too small for the thumbnails are not used: the file is decoded again.
    await thumbs.writePhotoThumbs(photo.id, red(Math.round(width / 8), Math.round(height / 8)));
    (await meanRgb(photoFile)).forEach((m, c) => expect(Math.abs(m - fresh[c])).toBeLessThan(2));
  });
});
