// People edits on real faces: each edit is logged in plain words and listed in the history; "Ignore face"
// takes a face out of unassigned and grouping until undone; a merge keeps the better cover; folder removal
// keeps names for a return. A real catalog of real photos, indexed by the real engine.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import { createFaceEngine, type FaceEngine } from '../../main/engine/face/engine.ts';
import { Indexer } from '../../main/engine/library/indexer/indexer.ts';
import { PeopleService } from '../../main/engine/people/service.ts';
import { coverScore, PeopleEdits } from '../../main/engine/people/edits.ts';
import { plausible, similarity, withSimilarity } from '../../main/engine/people/similarity.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';

const PHOTOS = [
  'Mary_Carey/Mary_Carey_0001.jpg', 'Mary_Carey/Mary_Carey_0002.jpg', 'Mary_Carey/Mary_Carey_0003.jpg',
  'Jon_Voight/Jon_Voight_0001.jpg', 'Jon_Voight/Jon_Voight_0002.jpg', 'Jon_Voight/Jon_Voight_0003.jpg',
  'groups/bbt1.jpg',
];

describe.skipIf(!hasFaces)(`people edits${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  let dir: string;
  let engine: FaceEngine;
  let catalog: Catalog;
  let people: PeopleService;
  let edits: PeopleEdits;
  const personOfFile = (file: string): number => {
    const photo = catalog.photos.liveByPath(path.join(dir, 'lib', file))!;
    const main = catalog.faces.ofPhoto(photo.id).sort((a, b) => b.box.width - a.box.width)[0];
    return catalog.people.assignment(main.id)!.personId;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-edits-'));
    mkdirSync(path.join(dir, 'lib'));
    for (const rel of PHOTOS) copyFileSync(face(rel), path.join(dir, 'lib', path.basename(rel)));
    engine = await createFaceEngine({ workers: 1 });
    catalog = new Catalog(path.join(dir, 'catalog.db'));
    await new Indexer({ catalog, analyser: engine }).run([path.join(dir, 'lib')]);
    people = new PeopleService(catalog, { modelId: engine.modelId });
    people.recluster();
    edits = new PeopleEdits(catalog, people);
  });

  afterAll(async () => {
    catalog?.close();
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says what each edit did in plain words, lists it in the history, and undo says what it undid', () => {
    const mary = personOfFile('Mary_Carey_0001.jpg');
    const jon = personOfFile('Jon_Voight_0001.jpg');
    expect(jon).not.toBe(mary);
    expect(edits.rename(mary, 'Mary Carey').summary).toBe('Named a person Mary Carey');
    expect(edits.rename(mary, 'Mary C.').summary).toBe('Renamed Mary Carey to Mary C.');
    const jonFace = catalog.people.assignmentsOf(jon)[0].faceId;
    expect(edits.moveFaces([jonFace], mary).summary).toBe('Moved 1 face to Mary C.');
    const history = edits.history();
    expect(history.slice(0, 3).map((e) => e.summary)).toEqual(['Moved 1 face to Mary C.', 'Renamed Mary Carey to Mary C.', 'Named a person Mary Carey']);
    expect(edits.undo()?.summary).toBe('Undid: Moved 1 face to Mary C.');
    expect(catalog.people.assignment(jonFace)?.personId).toBe(jon);
    const after = edits.history();
    expect(after[0]).toMatchObject({ summary: 'Moved 1 face to Mary C.', undone: true });
    expect(after[1].undone).toBe(false);
    // The history survives reopening the catalog (it is the catalog's decision log).
    const again = new Catalog(catalog.file);
    try {
      expect(new PeopleEdits(again, new PeopleService(again, { modelId: engine.modelId })).history()[0].summary).toBe('Moved 1 face to Mary C.');
    } finally {
      again.close();
    }
  });

  it('"Ignore face" keeps the face but takes it out of unassigned and grouping; undo brings it back', () => {
    const before = people.unassigned({ limit: 500 });
    expect(before.total).toBeGreaterThan(0); // the group photo's strangers
    const target = before.faces[0].faceId;
    expect(edits.ignore([target]).summary).toBe('Ignored 1 face');
    const after = people.unassigned({ limit: 500 });
    expect(after.total).toBe(before.total - 1);
    expect(after.faces.map((f) => f.faceId)).not.toContain(target);
    expect(edits.ignoredFaces().faces.map((f) => f.faceId)).toEqual([target]);
    expect(catalog.faces.get(target)).toBeDefined();
    // A re-cluster at a threshold that would group everything leaves it out.
    new PeopleService(catalog, { modelId: engine.modelId, threshold: 1.9, assignThreshold: 1.9, minFaces: 1 }).recluster();
    expect(catalog.people.assignment(target)).toBeUndefined();
    // Back at the normal threshold, the people come apart again: the named one does not keep the others.
    people.recluster();
    expect(personOfFile('Jon_Voight_0001.jpg')).not.toBe(personOfFile('Mary_Carey_0001.jpg'));
    expect(edits.undo()?.summary).toBe('Undid: Ignored 1 face');
    expect(edits.ignoredFaces().total).toBe(0);
    expect(people.unassigned({ limit: 500 }).faces.map((f) => f.faceId)).toContain(target);
  });

  it('ignoring an assigned face takes it out of its person; undo puts it back', () => {
    const jon = personOfFile('Jon_Voight_0002.jpg');
    const faceId = catalog.people.assignmentsOf(jon)[0].faceId;
    edits.ignore([faceId]);
    expect(catalog.people.assignment(faceId)).toBeUndefined();
    edits.undo();
    expect(catalog.people.assignment(faceId)?.personId).toBe(jon);
  });

  it('a merge names both people with their face counts and keeps the better cover; undo restores both', () => {
    const mary = personOfFile('Mary_Carey_0002.jpg');
    const jon = personOfFile('Jon_Voight_0002.jpg');
    const list = () => people.listPeople({ includeHidden: true });
    const jonFaces = list().find((p) => p.id === jon)!.faceCount;
    const maryFaces = list().find((p) => p.id === mary)!.faceCount;
    // Give Mary the worst of her faces as cover, so the merge has a better one to keep.
    const scored = (id: number) => catalog.people.assignmentsOf(id).map((a) => ({ id: a.faceId, score: coverScore(catalog.faces.get(a.faceId)!.quality) })).sort((a, b) => a.score - b.score);
    const worstMary = scored(mary)[0].id;
    edits.setCover(mary, worstMary);
    const jonCover = list().find((p) => p.id === jon)!.coverFaceId!;
    const expected = coverScore(catalog.faces.get(jonCover)!.quality) > coverScore(catalog.faces.get(worstMary)!.quality) ? jonCover : worstMary;
    const r = edits.merge([jon, mary], mary);
    expect(r.summary).toBe(`Merged an unnamed person (${jonFaces} faces) into Mary C. (${maryFaces} faces)`);
    expect(list().find((p) => p.id === mary)!.coverFaceId).toBe(expected);
    edits.undo();
    expect(list().find((p) => p.id === jon)?.faceCount).toBe(jonFaces);
    expect(list().find((p) => p.id === mary)!.coverFaceId).toBe(worstMary);
  });

  it('calls a distance very likely, possible or unlikely by its calibrated probability, and offers only plausible ones', () => {
    const model = engine.modelId;
    expect(similarity(0.5, model).likelihood).toBe('very likely');
    expect(similarity(1.3, model).likelihood).toBe('unlikely');
    const s = withSimilarity([{ distance: 0.5 }, { distance: 0.85 }, { distance: 1.3 }], model);
    expect(s.map((x) => x.likelihood)).toEqual(['very likely', 'possible', 'unlikely']);
    expect(s[0].probability).toBeGreaterThan(s[1].probability);
    expect(plausible(s)).toHaveLength(2);
  });

  it('removing a folder retires its photos; adding it again brings the names back', async () => {
    const mary = personOfFile('Mary_Carey_0003.jpg');
    const root = catalog.roots.all()[0];
    const retired = catalog.removeRoot(root.id);
    expect(retired).toBe(PHOTOS.length);
    expect(catalog.stats().photos).toBe(0);
    expect(catalog.roots.all()).toEqual([]);
    await new Indexer({ catalog, analyser: engine }).run([path.join(dir, 'lib')]);
    expect(personOfFile('Mary_Carey_0003.jpg')).toBe(mary);
    expect(catalog.people.get(mary)?.name).toBe('Mary C.');
  });
});
