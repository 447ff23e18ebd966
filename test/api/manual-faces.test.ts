// Faces drawn by hand and a person's photo list through the app API (the same dispatcher the bridges use),
// over a real library (real engine, real SQLite file): drawing a face is one undoable decision, removing one
// is too (undo puts back the same face: id, embedding, person), bad boxes are refused with the reason and
// change nothing, and the person page's export is byte for byte what `face-atlas export person` prints.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAppApi, type AppApi } from '../../main/api/app-api.ts';
import { dispatch } from '../../shared/rpc.ts';
import { runCli } from '../helpers/cli.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';
import { buildLibrary } from '../e2e/library.ts';

const PHOTOS = ['groups/bbt1.jpg', 'groups/kit_with_rose.jpg', 'Rose_Leslie/Rose_Leslie_0001.jpg', 'Rose_Leslie/Rose_Leslie_0002.jpg'];
/** The lamp shade at the right of bbt1.jpg (1366 x 768): the landmark pass scores it 0.001, no face. */
const LAMP = { x: 1240, y: 90, width: 120, height: 140 };

describe.skipIf(!hasFaces)(`faces drawn by hand and photo lists, through the API${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  let tmp: string;
  let dbFile: string;
  let api: AppApi;

  const call = async (method: string, params: unknown = {}): Promise<any> => {
    const r = await dispatch(api.handlers, method, params);
    if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
    return r.result;
  };
  const photoOf = (name: string) => api.catalog.photos.list({ status: 'ok' }).find((p) => path.basename(p.path) === name)!;
  const detectedOf = (name: string) => api.catalog.faces.ofPhoto(photoOf(name).id).filter((f) => f.source === 'detector');
  const loose = (b: { x: number; y: number; width: number; height: number }, k = 0.15) => ({ x: b.x - k * b.width, y: b.y - k * b.height, width: (1 + 2 * k) * b.width, height: (1 + 2 * k) * b.height });

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-manual-'));
    const library = buildLibrary(path.join(tmp, 'photos'), PHOTOS);
    // The same file twice: the copy is indexed as a duplicate, whose faces the first one holds.
    copyFileSync(face('Rose_Leslie/Rose_Leslie_0001.jpg'), path.join(library, 'copy_of_rose.jpg'));
    dbFile = path.join(tmp, 'catalog.db');
    api = createAppApi({ dbFile, host: { mode: 'web', version: 'test' } });
    await call('library.addFolder', { path: library });
    await api.library.idle();
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('drawing a face adds a manual face, embedded, as one decision that undo takes back', async () => {
    const bbt = photoOf('bbt1.jpg');
    const howard = detectedOf('bbt1.jpg').sort((a, b) => a.box.x - b.box.x)[2];
    const decisionsBefore = api.catalog.decisions.list().length;
    // Ignore the detected face first, as a user who wants to draw it differently would.
    await call('people.ignore', { faceIds: [howard.id] });
    const r = await call('faces.addManual', { photoId: bbt.id, box: loose(howard.box) });
    expect(r.looksLikeFace).toBe(true);
    expect(r.summary).toBe('Added a face to bbt1.jpg');
    const drawn = api.catalog.faces.get(r.faceId)!;
    expect(drawn.source).toBe('manual');
    expect(drawn.photoId).toBe(bbt.id);
    // Its landmarks were found inside the box: the embedding is the detected face's, near enough.
    let d = 0;
    for (let k = 0; k < drawn.embedding.length; k++) d += (drawn.embedding[k] - howard.embedding[k]) ** 2;
    expect(Math.sqrt(d)).toBeLessThan(0.5);
    // The viewer's photo shows it, marked as drawn by hand; the detected faces are not.
    const photo = await call('photo.get', { photoId: bbt.id });
    expect(photo.faces.find((f: any) => f.faceId === r.faceId)).toMatchObject({ manual: true, personId: null });
    expect(photo.faces.filter((f: any) => f.faceId !== r.faceId).every((f: any) => f.manual === false)).toBe(true);
    // One decision, in the history in plain words; undo removes the face and nothing else.
    expect(api.catalog.decisions.list().length).toBe(decisionsBefore + 2);
    expect((await call('people.history', { limit: 1 })).edits[0]).toMatchObject({ kind: 'add-face', summary: 'Added a face to bbt1.jpg', undone: false });
    expect(await call('people.undo')).toEqual({ undone: 'add-face', summary: 'Undid: Added a face to bbt1.jpg' });
    expect(api.catalog.faces.get(r.faceId)).toBeUndefined();
    expect(api.catalog.ignored.has(howard.id)).toBe(true);
    await call('people.undo'); // the ignore
    expect(api.catalog.ignored.has(howard.id)).toBe(false);
  });

  test('a face drawn for a person joins them as a decision; a box with no face in it is kept as drawn and says so', async () => {
    const bbt = photoOf('bbt1.jpg');
    const person = api.catalog.people.create().id;
    api.catalog.people.update(person, { name: 'Lamp Example' });
    const r = await call('faces.addManual', { photoId: bbt.id, box: LAMP, personId: person });
    expect(r.looksLikeFace).toBe(false);
    expect(r.summary).toBe('Added a face of Lamp Example to bbt1.jpg');
    expect(api.catalog.people.assignment(r.faceId)).toMatchObject({ personId: person, source: 'user' });
    // A second face of the same person in that photo is refused before anything is stored.
    const faces = api.catalog.faces.ofPhoto(bbt.id).length;
    await expect(call('faces.addManual', { photoId: bbt.id, box: { ...LAMP, y: 300 }, personId: person })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(api.catalog.faces.ofPhoto(bbt.id).length).toBe(faces);
    await call('people.undo');
    expect(api.catalog.faces.get(r.faceId)).toBeUndefined();
    expect(api.catalog.people.assignmentsOf(person)).toEqual([]);
  });

  test('a box too small or off the photo is refused with the reason, and nothing changes', async () => {
    const bbt = photoOf('bbt1.jpg');
    const faces = api.catalog.faces.ofPhoto(bbt.id).length;
    const decisions = api.catalog.decisions.list({ includeUndone: true }).length;
    await expect(call('faces.addManual', { photoId: bbt.id, box: { x: 100, y: 100, width: 8, height: 40 } })).rejects.toThrow(/too small: a face needs at least 12 px of the photo on each side \(this one is 8 x 40\)/);
    await expect(call('faces.addManual', { photoId: bbt.id, box: { x: 1400, y: 10, width: 50, height: 50 } })).rejects.toThrow(/lies outside the photo \(1366 x 768 px\)/);
    await expect(call('faces.addManual', { photoId: bbt.id, box: { x: 10, y: 10, width: Number.NaN, height: 50 } })).rejects.toMatchObject({ code: 'SCHEMA' });
    await expect(call('faces.addManual', { photoId: 999_999, box: LAMP })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(api.catalog.faces.ofPhoto(bbt.id).length).toBe(faces);
    expect(api.catalog.decisions.list({ includeUndone: true }).length).toBe(decisions);
  });

  test('a face drawn on a duplicate goes to the photo it duplicates (the one that holds its faces)', async () => {
    // Whichever of the two was indexed second is the duplicate.
    const [dup, ...more] = api.catalog.photos.list({ status: 'duplicate' });
    expect(more).toEqual([]);
    expect(['copy_of_rose.jpg', 'Rose_Leslie_0001.jpg']).toContain(path.basename(dup.path));
    expect(api.catalog.photos.get(dup.duplicateOf!)!.status).toBe('ok');
    const r = await call('faces.addManual', { photoId: dup.id, box: { x: 900, y: 500, width: 120, height: 120 } });
    expect(api.catalog.faces.get(r.faceId)!.photoId).toBe(dup.duplicateOf);
    await call('people.undo');
    expect(api.catalog.faces.get(r.faceId)).toBeUndefined();
  });

  test('removing a drawn face is undoable: the same face comes back with its person, rejections and cover', async () => {
    const kit = photoOf('kit_with_rose.jpg');
    const rose = detectedOf('kit_with_rose.jpg').sort((a, b) => a.box.x - b.box.x)[0];
    await call('people.ignore', { faceIds: [rose.id] });
    const { faceId } = await call('faces.addManual', { photoId: kit.id, box: loose(rose.box, 0.1) });
    // Named as the viewer's panel names it: a new person with the name, in one decision.
    const decisions = api.catalog.decisions.list().length;
    const { personId, summary } = await call('people.moveFaces', { faceIds: [faceId], toPersonId: null, name: ' Rose Example ' });
    expect(summary).toBe('Moved 1 face to a new person, Rose Example');
    expect(api.catalog.people.get(personId)!.name).toBe('Rose Example');
    expect(api.catalog.decisions.list().length).toBe(decisions + 1);
    await expect(call('people.moveFaces', { faceIds: [faceId], toPersonId: personId, name: 'Someone' })).rejects.toMatchObject({ code: 'SCHEMA' });
    await call('people.setCover', { personId, faceId });
    const other = api.catalog.people.create().id;
    api.catalog.people.reject(faceId, other);
    const before = api.catalog.faces.get(faceId)!;

    // A detected face cannot be removed.
    await expect(call('faces.removeManual', { faceId: detectedOf('kit_with_rose.jpg')[0].id })).rejects.toThrow(/only faces drawn by hand can be removed/);
    const r = await call('faces.removeManual', { faceId });
    expect(r.summary).toBe('Removed a face of Rose Example from kit_with_rose.jpg');
    expect(api.catalog.faces.get(faceId)).toBeUndefined();
    expect(api.catalog.people.get(personId)!.coverFaceId).toBeNull();
    expect((await call('photo.get', { photoId: kit.id })).faces.map((f: any) => f.faceId)).not.toContain(faceId);

    expect((await call('people.undo')).summary).toBe('Undid: Removed a face of Rose Example from kit_with_rose.jpg');
    const back = api.catalog.faces.get(faceId)!;
    expect({ ...back, embedding: [...back.embedding] }).toEqual({ ...before, embedding: [...before.embedding] });
    expect(api.catalog.people.assignment(faceId)).toMatchObject({ personId, source: 'user' });
    expect(api.catalog.people.get(personId)).toMatchObject({ name: 'Rose Example', coverFaceId: faceId });
    expect(api.catalog.people.constraintsOfFace(faceId).filter((c) => c.kind === 'reject').map((c) => c.personId)).toEqual([other]);
    expect((await call('photo.get', { photoId: kit.id })).faces.find((f: any) => f.faceId === faceId)).toMatchObject({ manual: true, personId, name: 'Rose Example' });
    // The person's photo list counts it again.
    expect(api.catalog.people.assignmentsOf(personId).map((a) => a.faceId)).toEqual([faceId]);
  });

  test("a person's photo list downloads as the CLI writes it, CSV and JSON, named after the person", async () => {
    const person = api.catalog.people.all().find((p) => p.name === 'Rose Example')!;
    const json = await call('people.exportPhotos', { personId: person.id, format: 'json' });
    const csv = await call('people.exportPhotos', { personId: person.id, format: 'csv' });
    expect(json).toMatchObject({ fileName: 'Rose Example - photos.json', mimeType: 'application/json', photos: 1 });
    expect(csv).toMatchObject({ fileName: 'Rose Example - photos.csv', mimeType: 'text/csv', photos: 1 });
    const list = JSON.parse(json.text);
    const face = api.catalog.faces.get(api.catalog.people.assignmentsOf(person.id)[0].faceId)!;
    expect(list).toEqual({ person: { id: person.id, name: 'Rose Example' }, photos: [{ path: photoOf('kit_with_rose.jpg').path, photoId: face.photoId, faceId: face.id, box: face.box, confirmed: true, takenAt: photoOf('kit_with_rose.jpg').takenAt }] });
    for (const format of ['csv', 'json'] as const) {
      const cli = await runCli(['export', 'person', String(person.id), '--format', format, '--db', dbFile]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toBe(format === 'csv' ? csv.text : json.text);
    }
    expect(csv.text.split('\r\n')[0]).toBe('path,taken_at,photo_id,face_id,x,y,width,height,confirmed,person_id,person_name');
    // A name no file system takes whole is cleaned for the file name only.
    await call('people.rename', { personId: person.id, name: 'Rose / "Example"?' });
    expect((await call('people.exportPhotos', { personId: person.id, format: 'csv' })).fileName).toBe('Rose _ _Example_ - photos.csv');
    await call('people.undo');
    // A name a spreadsheet would run as a formula (names come from other tools' XMP too) stays text in CSV;
    // JSON keeps it as it is.
    await call('people.rename', { personId: person.id, name: '=HYPERLINK("http://example.test","Rose")' });
    const hostile = await call('people.exportPhotos', { personId: person.id, format: 'csv' });
    expect(hostile.text.split('\r\n')[1].endsWith(`,${person.id},"'=HYPERLINK(""http://example.test"",""Rose"")"`)).toBe(true);
    expect(JSON.parse((await call('people.exportPhotos', { personId: person.id, format: 'json' })).text).person.name).toBe('=HYPERLINK("http://example.test","Rose")');
    await call('people.undo');
    await expect(call('people.exportPhotos', { personId: 999_999, format: 'csv' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('people.exportPhotos', { personId: person.id, format: 'xml' })).rejects.toMatchObject({ code: 'SCHEMA' });
  });
});
