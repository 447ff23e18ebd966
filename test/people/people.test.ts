// People on real faces: identities come out as people, and every user decision survives a full
// re-cluster and a re-index; same-photo faces never share a person; undo restores the prior state.
import { sqlOf } from '../helpers/sql.ts';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import { createFaceEngine, type FaceEngine } from '../../main/engine/face/engine.ts';
import { Indexer } from '../../main/engine/library/indexer/indexer.ts';
import { PeopleService } from '../../main/engine/people/service.ts';
import { openPeople } from '../../main/engine/people/open.ts';
import { trainOnLibrary } from '../../main/engine/train/library.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';

const IDENTITIES: Record<string, string[]> = {
  Mary_Carey: ['Mary_Carey_0001.jpg', 'Mary_Carey_0002.jpg', 'Mary_Carey_0003.jpg', 'Mary_Carey_0004.jpg'],
  Jon_Voight: ['Jon_Voight_0001.jpg', 'Jon_Voight_0002.jpg', 'Jon_Voight_0003.jpg'],
  Katy_Perry: ['Katy_Perry_0002.jpg', 'Katy_Perry_0003.jpg', 'Katy_Perry_0004.jpg'],
  Human_StockEmotions_A: ['Human_StockEmotions_A_0001.jpg', 'Human_StockEmotions_A_0002.jpg', 'Human_StockEmotions_A_0003.jpg'],
};

describe.skipIf(!hasFaces)(`people${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  let dir: string;
  let engine: FaceEngine;
  let catalog: Catalog;
  let people: PeopleService;
  let indexer: Indexer;
  const personOf = (file: string): number | undefined => {
    const photo = catalog.photos.liveByPath(path.join(dir, 'lib', file))!;
    const faces = catalog.faces.ofPhoto(photo.id);
    const main = faces.sort((a, b) => b.box.width - a.box.width)[0];
    return catalog.people.assignment(main.id)?.personId;
  };
  const mainFace = (file: string): number => {
    const photo = catalog.photos.liveByPath(path.join(dir, 'lib', file))!;
    return catalog.faces.ofPhoto(photo.id).sort((a, b) => b.box.width - a.box.width)[0].id;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-people-'));
    mkdirSync(path.join(dir, 'lib'));
    for (const [who, files] of Object.entries(IDENTITIES)) for (const f of files) copyFileSync(face(`${who}/${f}`), path.join(dir, 'lib', f));
    copyFileSync(face('groups/bbt1.jpg'), path.join(dir, 'lib', 'bbt1.jpg'));
    engine = await createFaceEngine({ workers: 2 });
    catalog = new Catalog(path.join(dir, 'catalog.db'));
    indexer = new Indexer({ catalog, analyser: engine });
    await indexer.run([path.join(dir, 'lib')]);
    people = new PeopleService(catalog, { modelId: engine.modelId });
    people.recluster();
  });

  afterAll(async () => {
    catalog?.close();
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns each identity into one person, and different identities into different people', () => {
    const ids = Object.entries(IDENTITIES).map(([, files]) => {
      const persons = new Set(files.map(personOf));
      expect(persons.size).toBe(1);
      const [p] = persons;
      expect(p).toBeDefined();
      return p;
    });
    expect(new Set(ids).size).toBe(ids.length);
    const listed = people.listPeople();
    for (const id of ids) expect(listed.find((p) => p.id === id)?.faceCount).toBeGreaterThanOrEqual(3);
  });

  it('never puts two faces of one photo in the same person, even at a huge threshold', () => {
    const loose = new PeopleService(catalog, { modelId: engine.modelId, threshold: 1.9, assignThreshold: 1.9 });
    loose.recluster();
    const photo = catalog.photos.liveByPath(path.join(dir, 'lib', 'bbt1.jpg'))!;
    const persons = catalog.faces.ofPhoto(photo.id).map((f) => catalog.people.assignment(f.id)?.personId).filter((p) => p !== undefined);
    expect(new Set(persons).size).toBe(persons.length);
    people.recluster();
  });

  it('keeps names, merges, moves, rejections, hiding and covers through a full re-cluster and a re-index', async () => {
    const mary = personOf('Mary_Carey_0001.jpg')!;
    const jon = personOf('Jon_Voight_0001.jpg')!;
    const katy = personOf('Katy_Perry_0002.jpg')!;
    const model = personOf('Human_StockEmotions_A_0001.jpg')!;
    people.rename(mary, 'Mary Carey');
    // A deliberate (wrong) user decision: Katy and the stock model merged into one person. It must stick.
    const merged = people.merge([katy, model]);
    // Move one of Jon's faces to Mary (the user insists), and reject another from Jon.
    const moved = mainFace('Jon_Voight_0002.jpg');
    people.moveFaces([moved], mary);
    const rejected = mainFace('Jon_Voight_0003.jpg');
    people.rejectFaces([rejected], jon);
    people.setHidden(merged, true);
    const cover = mainFace('Mary_Carey_0003.jpg');
    people.setCover(mary, cover);

    const check = () => {
      expect(catalog.people.get(mary)!.name).toBe('Mary Carey');
      expect(personOf('Katy_Perry_0003.jpg')).toBe(merged);
      expect(personOf('Human_StockEmotions_A_0002.jpg')).toBe(merged);
      expect(catalog.people.get(merged)!.hidden).toBe(true);
      expect(catalog.people.assignment(moved)!.personId).toBe(mary);
      expect(catalog.people.assignment(rejected)?.personId).not.toBe(jon);
      expect(catalog.people.get(mary)!.coverFaceId).toBe(cover);
      expect(people.listPeople().some((p) => p.id === merged)).toBe(false); // hidden
      expect(people.listPeople({ includeHidden: true }).some((p) => p.id === merged)).toBe(true);
    };
    check();
    people.recluster();
    check();
    // A loose re-cluster (as after a model or threshold change) cannot undo them either.
    new PeopleService(catalog, { modelId: engine.modelId, threshold: 1.5, assignThreshold: 1.5 }).recluster();
    check();
    // Re-index after a rename on disk: the photo is recognised by content and keeps its decisions.
    renameSync(path.join(dir, 'lib', 'Jon_Voight_0002.jpg'), path.join(dir, 'lib', 'renamed jon ü.jpg'));
    await indexer.run([path.join(dir, 'lib')]);
    people.assignNew();
    expect(catalog.people.assignment(moved)!.personId).toBe(mary);
    expect(personOf('renamed jon ü.jpg')).toBe(mary);
    people.recluster();
    expect(catalog.people.get(mary)!.name).toBe('Mary Carey');
    renameSync(path.join(dir, 'lib', 'renamed jon ü.jpg'), path.join(dir, 'lib', 'Jon_Voight_0002.jpg'));
    await indexer.run([path.join(dir, 'lib')]);
  });

  it('undo restores the state before each decision, newest first', () => {
    people.recluster();
    const jon = personOf('Jon_Voight_0001.jpg')!;
    const mary = personOf('Mary_Carey_0001.jpg')!;
    const jonFaces = people.personFaces(jon).faces.map((f) => f.faceId).sort();
    const maryFaces = people.personFaces(mary).faces.map((f) => f.faceId).sort();
    const maryName = catalog.people.get(mary)!.name;

    people.rename(jon, 'Jon');
    const survivor = people.merge([jon, mary], jon);
    expect(catalog.people.get(mary)).toBeUndefined();
    const f = jonFaces[0];
    people.rejectFaces([f], survivor);
    expect(catalog.people.assignment(f)).toBeUndefined();

    expect(people.undo()?.undone).toBe('reject');
    expect(catalog.people.assignment(f)?.personId).toBe(survivor);
    expect(people.undo()?.undone).toBe('merge');
    expect(catalog.people.get(mary)!.name).toBe(maryName);
    expect(people.personFaces(mary).faces.map((x) => x.faceId).sort()).toEqual(maryFaces);
    expect(people.personFaces(jon).faces.map((x) => x.faceId).sort()).toEqual(jonFaces);
    expect(people.undo()?.undone).toBe('rename');
    expect(catalog.people.get(jon)!.name).toBeNull();
  });

  it('suggests people for unassigned faces and answers "who is this?"', () => {
    const katyFace = mainFace('Katy_Perry_0004.jpg');
    const katy = catalog.people.assignment(katyFace)!.personId;
    people.rejectFaces([katyFace], katy);
    // Rejected from Katy, it is never suggested for Katy again...
    const waiting = people.unassigned().faces.find((x) => x.faceId === katyFace)!;
    expect(waiting.suggestions.every((s) => s.personId !== katy)).toBe(true);
    // ...but the closest person to its embedding is still Katy.
    expect(people.whoIs(catalog.faces.get(katyFace)!.embedding)[0].personId).toBe(katy);
    people.undo();
    expect(catalog.people.assignment(katyFace)?.personId).toBe(katy);
  });

  it('refuses bad decisions clearly', () => {
    expect(() => people.rename(999999, 'x')).toThrow(/does not exist/);
    expect(() => people.merge([1])).toThrow(/at least two/);
    const photo = catalog.photos.liveByPath(path.join(dir, 'lib', 'bbt1.jpg'))!;
    const two = catalog.faces.ofPhoto(photo.id).slice(0, 2).map((x) => x.id);
    expect(() => people.moveFaces(two, null)).toThrow(/same photo/);
  });

  it('personalises: trains an adapter on confirmed people, stores it with its report, and decisions survive adoption', async () => {
    people.recluster();
    // (Katy and the stock model were merged by the user in an earlier test: they are one person now.)
    const named = new Map(Object.entries(IDENTITIES).map(([who, files]) => [who, personOf(files[0])!]));
    for (const [who, id] of named) people.rename(id, who.replace(/_/g, ' '));
    const r = await trainOnLibrary(catalog, engine.modelId, { steps: 40, seed: 3 });
    expect(r.people).toBe(new Set(named.values()).size);
    const stored = catalog.adapters.list(engine.modelId).find((a) => a.id === r.adapterId)!;
    expect(stored.loss).toBe('triplet');
    expect(stored.weights.byteLength).toBeGreaterThan(0);
    expect(r.report.before.heldOut.verification).toBeGreaterThan(0);
    expect(catalog.adapters.adopted(engine.modelId)?.id === r.adapterId).toBe(r.adopted);
    // Whatever the guardrail decided, re-grouping in the adapted space keeps every decided face and every name.
    const decided = () => sqlOf(catalog).prepare("SELECT face_id, person_id FROM assignments WHERE source = 'user' ORDER BY face_id").all();
    const namesOf = () => catalog.people.all().map((p) => [p.id, p.name]);
    const before = { decided: decided(), names: namesOf() };
    catalog.adapters.adopt(engine.modelId, r.adapterId);
    const adapted = await openPeople(catalog, engine.modelId);
    adapted.recluster();
    expect(decided()).toEqual(before.decided);
    expect(namesOf().filter(([, n]) => n !== null)).toEqual(before.names.filter(([, n]) => n !== null));
    expect(before.decided.length).toBeGreaterThanOrEqual(10);
    catalog.adapters.adopt(engine.modelId, null);
  });
});
