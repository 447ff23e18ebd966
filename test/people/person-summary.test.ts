// One person's summary (the person page's header) without reading every person: the same answer as the
// full list gives for that person, hidden or not, after decisions and retirements; nothing for a person
// with no face left or one that does not exist.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import type { AnalysedFace } from '../../main/engine/face/types.ts';
import { PeopleService } from '../../main/engine/people/service.ts';

const MODEL = 'mobilefacenet-192';

const face = (quality: number): AnalysedFace => ({
  box: { x: 10, y: 10, width: 100, height: 100 }, landmarks: [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]], score: 0.99, source: 'detector',
  embedding: new Float32Array(192).fill(1 / Math.sqrt(192)), modelId: MODEL, quality: { size: 100, sharpness: 100, frontal: quality },
});

describe('a person\'s summary', () => {
  let dir: string;
  let catalog: Catalog;
  let people: PeopleService;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-person-summary-'));
    catalog = new Catalog(path.join(dir, 'catalog.db'));
    people = new PeopleService(catalog, { modelId: MODEL });
  });

  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches the list entry of every person, and is undefined for an empty or missing one', () => {
    const [ann, ben, empty] = [catalog.people.create('Ann'), catalog.people.create(null), catalog.people.create('Nobody')];
    const photos = [0.9, 0.5, 0.7].map((q, i) => catalog.photos.insertAnalysed(
      { rootId: null, path: `/lib/${i}.jpg`, size: 1, mtimeMs: i },
      { contentHash: `h${i}`, width: 400, height: 300, orientation: 1, takenAt: null },
      { detectorId: 'mtcnn', modelId: MODEL, faces: [face(q), face(q / 2)] },
    ));
    photos.forEach((p) => catalog.people.assign(p.faceIds[0], ann.id, 'auto'));
    catalog.people.assign(photos[0].faceIds[1], ben.id, 'user');
    catalog.people.assign(photos[2].faceIds[1], ben.id, 'auto');
    catalog.people.update(ben.id, { hidden: true });
    catalog.photos.retire(photos[2].photoId);

    const list = people.listPeople({ includeHidden: true });
    expect(list.map((p) => p.id).sort()).toEqual([ann.id, ben.id].sort());
    for (const p of list) expect(people.person(p.id)).toEqual(p);
    expect(people.person(ann.id)).toMatchObject({ faceCount: 2, coverFaceId: photos[0].faceIds[0] });
    expect(people.person(empty.id)).toBeUndefined();
    expect(people.person(99_999)).toBeUndefined();
  });
});
