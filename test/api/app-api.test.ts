// The app's API object over a small real library: index runs with progress events and pause/resume, people
// after a run, Verify (uploads and library faces, "who is this?"), the cached map, settings, and a
// Personalise run on a worker with adopt/discard. Calls go through the same dispatcher the bridges use.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAppApi, type AppApi } from '../../main/api/app-api.ts';
import { FaceMapPageSchema, type EventData, type IndexProgress } from '../../shared/api.ts';
import { unpackMapPage } from '../../shared/map-pages.ts';
import { dispatch } from '../../shared/rpc.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';
import { buildLibrary } from '../e2e/library.ts';

const PHOTOS = [
  'Mary_Carey/Mary_Carey_0001.jpg', 'Mary_Carey/Mary_Carey_0002.jpg', 'Mary_Carey/Mary_Carey_0003.jpg',
  'Jon_Voight/Jon_Voight_0001.jpg', 'Jon_Voight/Jon_Voight_0002.jpg', 'Jon_Voight/Jon_Voight_0003.jpg',
  'Tom_Jones/Tom_Jones_0001.jpg', 'Tom_Jones/Tom_Jones_0002.jpg',
];

if (!hasFaces) console.warn(noFacesReason);

describe.skipIf(!hasFaces)('app API over a real library', () => {
  let tmp: string;
  let dbFile: string;
  let api: AppApi;
  const progress: IndexProgress[] = [];
  const peopleChanged: string[] = [];
  const trainDone: EventData<'train.done'>[] = [];

  const call = async (method: string, params: unknown = {}): Promise<any> => {
    const r = await dispatch(api.handlers, method, params);
    if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
    return r.result;
  };
  const upload = (rel: string) => ({ source: { kind: 'upload', name: path.basename(rel), data: readFileSync(face(rel)).toString('base64') } });
  const until = async (check: () => boolean, what: string, ms = 120_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-api-'));
    buildLibrary(path.join(tmp, 'photos'), PHOTOS);
    dbFile = path.join(tmp, 'catalog.db');
    api = createAppApi({ dbFile, host: { mode: 'web', version: 'test' } });
    api.events.subscribe((event, data) => {
      if (event === 'index.progress') progress.push(data as IndexProgress);
      if (event === 'people.changed') peopleChanged.push((data as { reason: string }).reason);
      if (event === 'train.done') trainDone.push(data as EventData<'train.done'>);
    });
  });

  afterAll(async () => {
    await api?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a run started while paused waits; resumed, it finishes with progress events and people', async () => {
    await call('library.pause');
    const started = await call('library.addFolder', { path: path.join(tmp, 'photos') });
    expect(started.progress.running).toBe(true);
    expect(started.folders).toHaveLength(1);
    await until(() => progress.some((p) => p.phase === 'indexing'), 'the indexing phase');
    // Give a paused run the chance to (wrongly) do work: nothing may be indexed until resume.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call('library.status')).progress).toMatchObject({ phase: 'indexing', done: 0, paused: true });
    await expect(call('settings.set', { embedder: 'dlib' })).rejects.toMatchObject({ code: 'CONFLICT' });

    await call('library.resume');
    await api.library.idle();
    const status = await call('library.status');
    expect(status.progress).toMatchObject({ phase: 'done', running: false, total: PHOTOS.length + 1, done: PHOTOS.length + 1, failed: 1 });
    expect(status.stats.photos).toBe(PHOTOS.length);
    expect(status.folders[0]).toMatchObject({ photos: PHOTOS.length, failed: 1, available: true });
    expect(status.folders[0].faces).toBe(status.stats.faces);
    const dones = progress.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(peopleChanged).toContain('recluster');
    const people = (await call('people.list')).people;
    expect(people.length).toBeGreaterThanOrEqual(2);
    expect((await call('library.failures')).failures[0]).toMatchObject({ code: 'NOT_AN_IMAGE' });
  });

  test('a second run of an unchanged library reads nothing again', async () => {
    await call('library.rescan');
    await api.library.idle();
    expect((await call('library.status')).progress).toMatchObject({ total: 0, unchanged: PHOTOS.length + 1 });
  });

  test('Verify compares uploads and library faces, and tells who a dropped face is', async () => {
    const a = await call('verify.analyse', upload('Mary_Carey/Mary_Carey_0001.jpg'));
    const b = await call('verify.analyse', upload('Jon_Voight/Jon_Voight_0001.jpg'));
    expect(a.faces[a.mainFace].crop).toMatch(/^data:image\/png;base64,/);
    const different = await call('verify.compare', { a: { photoKey: a.photoKey, face: a.mainFace }, b: { photoKey: b.photoKey, face: b.mainFace } });
    expect(different.same).toBe(false);

    // The same photo's face from the library: the stored embedding equals the dropped one's.
    const photo = api.catalog.photos.liveByPath(path.join(tmp, 'photos', 'Mary_Carey', 'Mary_Carey_0001.jpg'))!;
    const libraryFace = api.catalog.faces.ofPhoto(photo.id)[0];
    const fromLibrary = await call('verify.analyse', { source: { kind: 'face', faceId: libraryFace.id } });
    const same = await call('verify.compare', { a: { photoKey: a.photoKey, face: a.mainFace }, b: { photoKey: fromLibrary.photoKey, face: 0 } });
    expect(same.same).toBe(true);
    expect(same.distance).toBeLessThan(0.05);
    expect(same.probability).toBeGreaterThan(different.probability);

    // Who is this: a photo of Mary Carey not in the library points at the person holding her faces.
    const other = await call('verify.analyse', upload('Mary_Carey/Mary_Carey_0004.jpg'));
    const who = (await call('verify.whoIs', { photoKey: other.photoKey, face: other.mainFace })).suggestions;
    expect(who[0].personId).toBe(api.catalog.people.assignment(libraryFace.id)?.personId);

    await expect(call('verify.analyse', { source: { kind: 'upload', name: 'x.jpg', data: Buffer.from('not an image').toString('base64') } })).rejects.toMatchObject({ code: 'SCHEMA' });
    await expect(call('verify.compare', { a: { photoKey: a.photoKey, face: 9 }, b: { photoKey: b.photoKey, face: 0 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('the map has every face once, with its person and photo, in packed pages, and comes from the cache the second time', async () => {
    const first = await call('map.get', { method: 'umap' });
    const page = await call('map.page', { snapshot: first.snapshot, offset: 0 });
    const a = unpackMapPage(page, page.count);
    const faceIds = [...a.faceIds];
    const faces = api.catalog.faces.live().map((f) => f.id);
    expect(first.total).toBe(faces.length);
    expect([...faceIds].sort((x, y) => x - y)).toEqual(faces);
    expect(a.xy).toHaveLength(2 * faces.length);
    expect([...a.personIds]).toEqual(faceIds.map((id) => api.catalog.people.assignment(id)?.personId ?? 0));
    expect([...a.photoIds]).toEqual(faceIds.map((id) => api.catalog.faces.get(id)!.photoId));
    expect(first.fromCache).toBe(false);
    const second = await call('map.get', { method: 'umap' });
    expect(second.fromCache).toBe(true);
    expect(second.snapshot).not.toBe(first.snapshot);
    const again = unpackMapPage(await call('map.page', { snapshot: second.snapshot, offset: 0 }), page.count);
    expect([...again.xy]).toEqual([...a.xy]);
    // A page that does not exist, or a snapshot no longer kept, is NOT_FOUND; a forged page is refused by the schema.
    await expect(call('map.page', { snapshot: second.snapshot, offset: 7 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await call('map.get', { method: 'umap' });
    await expect(call('map.page', { snapshot: first.snapshot, offset: 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(FaceMapPageSchema.safeParse({ ...page, xy: 'not base64!' }).success).toBe(false);
    expect(() => unpackMapPage({ ...page, xy: page.xy.slice(0, -8) }, page.count)).toThrow(/xy has/);
  });

  test('photo.get names the faces of a photo after a rename', async () => {
    const person = (await call('people.list')).people[0];
    await call('people.rename', { personId: person.id, name: 'Named Person' });
    const faceRef = (await call('people.faces', { personId: person.id, limit: 1 })).faces[0];
    const photo = await call('photo.get', { photoId: faceRef.photoId });
    expect(photo.faces.find((f: { faceId: number }) => f.faceId === faceRef.faceId)).toMatchObject({ personId: person.id, name: 'Named Person' });
    expect(await call('photo.showInFolder', { photoId: faceRef.photoId })).toEqual({ shown: false, path: faceRef.path });
    await expect(call('library.chooseFolder')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  test('Personalise trains on a worker with progress; the head can be adopted and discarded, decisions stay', async () => {
    // Training learns from confirmed faces: name a second person (the first was named above).
    const unnamed = (await call('people.list')).people.find((p: { name: string | null }) => p.name === null);
    await call('people.rename', { personId: unnamed.id, name: 'Second Person' });
    const { jobId } = await call('train.start', { loss: 'center', steps: 20 });
    await expect(call('train.start', { loss: 'triplet' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await until(() => trainDone.some((d) => d.jobId === jobId), 'training to finish');
    const state = await call('train.status');
    expect(state.error).toBeNull();
    expect(state.running).toBe(false);
    expect(state.history.map((h: { step: number }) => h.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const adapterId = state.result.adapterId;
    expect(api.catalog.adapters.list().map((a) => a.id)).toContain(adapterId);
    // The guardrail's verdict and what is in use agree.
    expect(state.adoptedAdapterId === adapterId).toBe(state.result.recommended);

    peopleChanged.length = 0;
    await call('train.adopt', { adapterId });
    expect((await call('train.status')).adoptedAdapterId).toBe(adapterId);
    expect(peopleChanged).toContain('adapter adopted');
    const named = (await call('people.list')).people.filter((p: { name: string | null }) => p.name).map((p: { name: string }) => p.name).sort();
    expect(named).toEqual(['Named Person', 'Second Person']);
    const map = await call('map.get', { method: 'umap' });
    expect(map.fromCache).toBe(false);

    await call('train.discard', { adapterId });
    expect((await call('train.status')).adoptedAdapterId).toBeNull();
    expect(peopleChanged).toContain('adapter discarded');
  });

  test('settings persist in the catalog', async () => {
    expect(await call('settings.set', { threshold: 0.9, minFaces: 3 })).toMatchObject({ threshold: 0.9, minFaces: 3 });
    await api.close();
    api = createAppApi({ dbFile, host: { mode: 'web' } });
    expect(await call('settings.get')).toMatchObject({ threshold: 0.9, minFaces: 3, detector: 'mtcnn' });
    await expect(call('settings.set', { minFaces: 0 })).rejects.toMatchObject({ code: 'SCHEMA' });
  });
});
