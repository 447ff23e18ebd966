// The catalog's log of changed people (migration 5) on a real SQLite file: every write that can change a
// person's centroid numbers that person anew, whoever writes it (this connection or another), deleted
// people included; writes that cannot change a centroid leave the log alone.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/engine/library/catalog/catalog.ts';
import type { AnalysedFace } from '../../../main/engine/face/types.ts';
import { sqlOf } from '../../helpers/sql.ts';

let dir: string;
let catalog: Catalog;
let photos = 0;

function analysedFace(x: number, embedding = [1, 0, 0, 0]): AnalysedFace {
  const box = { x, y: 10, width: 50, height: 50 };
  return {
    box,
    landmarks: [[x + 10, 30], [x + 40, 30], [x + 25, 40], [x + 15, 50], [x + 35, 50]],
    score: 0.99, source: 'detector', embedding: new Float32Array(embedding), modelId: 'm', quality: { size: 50, sharpness: 100, frontal: 1 },
  };
}

function addPhoto(faces: number): { photoId: number; faceIds: number[] } {
  photos++;
  return catalog.photos.insertAnalysed(
    { rootId: null, path: path.join(dir, `p${photos}.jpg`), size: 100, mtimeMs: photos },
    { contentHash: `h${photos}`, width: 640, height: 480, orientation: 1, takenAt: null },
    { detectorId: 'd', modelId: 'm', faces: Array.from({ length: faces }, (_, i) => analysedFace(10 + 60 * i)) },
  );
}

/** The people changed by `write`, as the log says (sorted). */
function changedBy(write: () => void): number[] {
  const before = catalog.personChanges.latest();
  write();
  return catalog.personChanges.since(before);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fa-person-changes-'));
  catalog = new Catalog(path.join(dir, 'catalog.db'));
  photos = 0;
});

afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the log of changed people', () => {
  it('numbers assignments, moves, confirmations and removals, and only the people they touch', () => {
    const a = catalog.people.create().id;
    const b = catalog.people.create().id;
    const c = catalog.people.create().id;
    const [f1, f2] = addPhoto(2).faceIds;
    const [g1] = addPhoto(1).faceIds;
    expect(catalog.personChanges.latest()).toBe(0);
    expect(changedBy(() => catalog.people.assign(f1, a, 'auto'))).toEqual([a]);
    expect(changedBy(() => { catalog.people.assign(f2, b, 'auto'); catalog.people.assign(g1, c, 'auto'); })).toEqual([b, c]);
    // A move changes both people; a confirmation changes which faces define the person.
    expect(changedBy(() => catalog.people.assign(f2, a, 'user'))).toEqual([a, b]);
    expect(changedBy(() => catalog.people.lockFaces(c))).toEqual([c]);
    expect(changedBy(() => catalog.people.unassign(g1))).toEqual([c]);
    // Names, covers, hiding and rejections do not move a centroid.
    expect(changedBy(() => {
      catalog.people.update(a, { name: 'Ada', hidden: true, coverFaceId: f1 });
      catalog.people.reject(g1, a);
      catalog.ignored.add([g1]);
    })).toEqual([]);
    // Numbers only grow: the latest change is the largest, and nothing is newer than it.
    const latest = catalog.personChanges.latest();
    expect(catalog.personChanges.since(latest)).toEqual([]);
    expect(catalog.personChanges.since(0)).toEqual([a, b, c]);
  });

  it('records a deleted person, whose faces leave by cascade', () => {
    const a = catalog.people.create().id;
    const b = catalog.people.create().id;
    const [f1] = addPhoto(1).faceIds;
    catalog.people.assign(f1, a, 'auto');
    expect(changedBy(() => catalog.people.delete(a))).toEqual([a]);
    // A person without faces changes no centroid when it goes.
    expect(changedBy(() => catalog.people.delete(b))).toEqual([]);
  });

  it("records the people of a photo that is retired, revived or re-analysed, and of a deleted face", () => {
    const a = catalog.people.create().id;
    const b = catalog.people.create().id;
    const { photoId, faceIds } = addPhoto(2);
    catalog.people.assign(faceIds[0], a, 'user');
    catalog.people.assign(faceIds[1], b, 'auto');
    const file = { rootId: null, path: path.join(dir, 'p1.jpg'), size: 100, mtimeMs: 1 };
    expect(changedBy(() => catalog.photos.retire(photoId))).toEqual([a, b]);
    expect(changedBy(() => catalog.photos.revive(photoId, file))).toEqual([a, b]);
    // New content: the first face is re-detected (kept, new embedding), the second is gone.
    const meta = { contentHash: 'h1-new', width: 640, height: 480, orientation: 1, takenAt: null };
    const faces = { detectorId: 'd', modelId: 'm', faces: [analysedFace(10, [0, 1, 0, 0])] };
    expect(changedBy(() => catalog.photos.replaceAnalysis(photoId, file, meta, faces, [faceIds[0]]))).toEqual([a, b]);
    // A file that only moved changes nobody.
    expect(changedBy(() => catalog.photos.updateFile(photoId, { ...file, path: path.join(dir, 'moved.jpg') }))).toEqual([]);
    // Any writer that takes a photo out of the analysed ones with its faces still assigned (no method of
    // ours does today) changes their people too: centroids count faces of analysed photos only.
    expect(changedBy(() => sqlOf(catalog).prepare("UPDATE photos SET status = 'failed', error_code = 'X' WHERE id = ?").run(photoId))).toEqual([a]);
  });

  it("sees another connection's writes", () => {
    const a = catalog.people.create().id;
    const [f1] = addPhoto(1).faceIds;
    const seen = catalog.personChanges.latest();
    const other = new Catalog(catalog.file);
    try {
      other.people.assign(f1, a, 'user');
    } finally {
      other.close();
    }
    expect(catalog.personChanges.since(seen)).toEqual([a]);
  });

  it('gives each catalog its own id, kept across openings', () => {
    const id = catalog.personChanges.catalogId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const again = new Catalog(catalog.file);
    const other = new Catalog(path.join(dir, 'other.db'));
    try {
      expect(again.personChanges.catalogId()).toBe(id);
      expect(other.personChanges.catalogId()).toMatch(/^[0-9a-f]{32}$/);
      expect(other.personChanges.catalogId()).not.toBe(id);
    } finally {
      again.close();
      other.close();
    }
  });
});
