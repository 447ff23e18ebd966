// The catalog on a real SQLite file: schema migrations, typed round trips, retire/revive, constraints, the undo log.
import { sqlOf } from '../../helpers/sql.ts';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog, type PhotoFile } from '../../../main/engine/library/catalog/catalog.ts';
import { appDataDir, defaultCatalogPath } from '../../../main/engine/library/catalog/location.ts';
import { SCHEMA_VERSION } from '../../../main/engine/library/catalog/schema.ts';
import type { AnalysedFace, Box } from '../../../main/engine/face/types.ts';

let dir: string;
let file: string;
let catalog: Catalog;

function face(box: Box, seed: number): AnalysedFace {
  const v = new Float32Array(192).map((_, i) => Math.sin(seed * 7.1 + i * 0.37));
  const n = Math.hypot(...v);
  return {
    box,
    landmarks: [[box.x + 1, box.y + 2], [box.x + 3, box.y + 2], [box.x + 2, box.y + 3], [box.x + 1, box.y + 4], [box.x + 3, box.y + 4]],
    score: 0.99,
    source: 'detector',
    embedding: v.map((x) => x / n),
    modelId: 'test-model',
    quality: { size: Math.min(box.width, box.height), sharpness: 120.5, frontal: 0.9 },
  };
}

function photoFile(name: string, size = 1000): PhotoFile {
  return { rootId: null, path: path.join(dir, name), size, mtimeMs: 1_700_000_000_000.123, };
}

function addPhoto(name: string, hash: string, boxes: Box[]): { photoId: number; faceIds: number[] } {
  return catalog.photos.insertAnalysed(
    photoFile(name),
    { contentHash: hash, width: 640, height: 480, orientation: 1, takenAt: null },
    { detectorId: 'test-detector', modelId: 'test-model', faces: boxes.map((b, i) => face(b, i + hash.length)) },
  );
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fa-catalog-'));
  file = path.join(dir, 'sub', 'catalog.db');
  catalog = new Catalog(file);
});

afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening and migrations', () => {
  it('creates the file with the schema, WAL and foreign keys', () => {
    expect(catalog.openedAtVersion).toBe(0);
    expect(sqlOf(catalog).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(sqlOf(catalog).pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (sqlOf(catalog).prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    for (const t of ['roots', 'photos', 'faces', 'people', 'assignments', 'constraints', 'decisions', 'adapters', 'settings']) expect(tables).toContain(t);
  });

  it('does not migrate again on reopen and keeps the data', () => {
    addPhoto('a.jpg', 'h1', [{ x: 10, y: 10, width: 50, height: 60 }]);
    catalog.close();
    catalog = new Catalog(file);
    expect(catalog.openedAtVersion).toBe(SCHEMA_VERSION);
    expect(catalog.stats()).toMatchObject({ photos: 1, faces: 1 });
  });

  it('refuses a file written by a newer schema', () => {
    catalog.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => new Catalog(file)).toThrow(/newer/);
    catalog = new Catalog(path.join(dir, 'other.db'));
  });

  it('defaults to the per-platform app-data folder', () => {
    expect(defaultCatalogPath({ XDG_DATA_HOME: '/x/data' }, 'linux')).toBe('/x/data/face-atlas/catalog.db');
    expect(defaultCatalogPath({}, 'linux')).toBe(path.join(os.homedir(), '.local', 'share', 'face-atlas', 'catalog.db'));
    expect(appDataDir({}, 'darwin')).toBe(path.join(os.homedir(), 'Library', 'Application Support', 'face-atlas'));
    expect(appDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toContain('face-atlas');
  });
});

describe('commit modes', () => {
  const synchronous = () => catalog.synchronousLevel();

  it('commits user work with a WAL fsync (FULL) and redoable work without one, then returns to FULL', () => {
    expect(synchronous()).toBe(2);
    const seen: unknown[] = [];
    catalog.redoableTransaction(() => {
      seen.push(synchronous());
      addPhoto('a.jpg', 'h1', [{ x: 10, y: 10, width: 50, height: 60 }]);
    });
    expect(seen).toEqual([1]); // NORMAL inside
    expect(synchronous()).toBe(2);
    // Committed: another connection (another process) reads it.
    const other = new Database(file, { readonly: true });
    try {
      expect(other.prepare('SELECT COUNT(*) AS n FROM photos').get()).toEqual({ n: 1 });
    } finally {
      other.close();
    }
  });

  it('rolls a failed redoable transaction back and still returns to FULL; inside a transaction it is part of it', () => {
    expect(() => catalog.redoableTransaction(() => {
      addPhoto('a.jpg', 'h1', []);
      throw new Error('boom');
    })).toThrow('boom');
    expect(catalog.photos.list()).toHaveLength(0);
    expect(synchronous()).toBe(2);
    expect(() => catalog.transaction(() => {
      catalog.redoableTransaction(() => addPhoto('b.jpg', 'h2', []));
      expect(synchronous()).toBe(2); // the outer transaction's commit decides: FULL
      throw new Error('outer fails');
    })).toThrow('outer fails');
    expect(catalog.photos.list()).toHaveLength(0);
  });
});

describe('photos and faces', () => {
  it('round-trips a face exactly (box, landmarks, quality, Float32 embedding)', () => {
    const box = { x: 12.5, y: 30.25, width: 80.125, height: 96.75 };
    const { photoId, faceIds } = addPhoto('a.jpg', 'h1', [box]);
    const [stored] = catalog.faces.ofPhoto(photoId);
    const original = face(box, 0 + 'h1'.length);
    expect(stored.id).toBe(faceIds[0]);
    expect(stored.box).toEqual(box);
    expect(stored.landmarks).toEqual(original.landmarks);
    expect(stored.source).toBe('detector');
    expect(stored.quality).toEqual(original.quality);
    expect(Array.from(stored.embedding)).toEqual(Array.from(original.embedding));
    expect(catalog.photos.get(photoId)).toMatchObject({ status: 'ok', contentHash: 'h1', mtimeMs: 1_700_000_000_000.123, modelId: 'test-model' });
  });

  it('writes a photo and its faces atomically', () => {
    const bad = face({ x: 0, y: 0, width: 1, height: 1 }, 1);
    (bad as { score: unknown }).score = null; // violates NOT NULL on the second face
    expect(() =>
      catalog.photos.insertAnalysed(photoFile('a.jpg'), { contentHash: 'h', width: 1, height: 1, orientation: 1, takenAt: null }, {
        detectorId: 'd', modelId: 'm', faces: [face({ x: 0, y: 0, width: 5, height: 5 }, 0), bad],
      }),
    ).toThrow();
    expect(catalog.photos.list()).toHaveLength(0);
    expect(sqlOf(catalog).prepare('SELECT COUNT(*) AS n FROM faces').get()).toEqual({ n: 0 });
  });

  it('keeps the ids (and names) of re-detected faces when a photo is analysed again', () => {
    const { photoId, faceIds } = addPhoto('a.jpg', 'h1', [{ x: 10, y: 10, width: 50, height: 50 }, { x: 200, y: 10, width: 50, height: 50 }]);
    const ann = catalog.people.create('Ann');
    catalog.people.assign(faceIds[0], ann.id, 'user');
    catalog.people.assign(faceIds[1], ann.id, 'auto');
    const { faceIds: after, removedFaceIds } = catalog.photos.replaceAnalysis(
      photoId,
      photoFile('a.jpg', 2000),
      { contentHash: 'h2', width: 640, height: 480, orientation: 1, takenAt: 42 },
      { detectorId: 'd', modelId: 'test-model', faces: [face({ x: 11, y: 11, width: 50, height: 50 }, 5), face({ x: 400, y: 300, width: 40, height: 40 }, 6)] },
      [faceIds[0], null],
    );
    expect(after[0]).toBe(faceIds[0]);
    expect(after[1]).not.toBe(faceIds[1]);
    expect(removedFaceIds).toEqual([faceIds[1]]);
    expect(catalog.people.assignment(faceIds[0])).toMatchObject({ personId: ann.id, source: 'user' });
    expect(catalog.people.assignment(faceIds[1])).toBeUndefined();
    expect(catalog.faces.get(faceIds[0])!.box.x).toBe(11);
    expect(catalog.photos.get(photoId)).toMatchObject({ contentHash: 'h2', size: 2000, takenAt: 42 });
  });

  it('retires a photo (faces leave people) and revives it with its names', () => {
    const { photoId, faceIds } = addPhoto('a.jpg', 'h1', [{ x: 10, y: 10, width: 50, height: 50 }]);
    const bob = catalog.people.create('Bob');
    catalog.people.assign(faceIds[0], bob.id, 'user');
    catalog.people.reject(faceIds[0], catalog.people.create('Not Bob').id);
    catalog.photos.retire(photoId);
    expect(catalog.photos.get(photoId)!.status).toBe('retired');
    expect(catalog.people.assignment(faceIds[0])).toBeUndefined();
    expect(catalog.people.assignmentsOf(bob.id)).toEqual([]);
    expect(catalog.stats()).toMatchObject({ photos: 0, faces: 0, retired: 1 });
    expect(catalog.faces.get(faceIds[0])).toBeDefined();
    expect(catalog.people.constraintsOfFace(faceIds[0])).toHaveLength(1);

    // The path is free for another live row while the retired one keeps it for the record.
    const other = addPhoto('a.jpg', 'h3', []);
    expect(catalog.photos.liveByPath(path.join(dir, 'a.jpg'))!.id).toBe(other.photoId);
    expect(catalog.photos.canonicalByHash('h1')!.id).toBe(photoId);

    catalog.photos.revive(photoId, photoFile('moved/a.jpg'));
    expect(catalog.photos.get(photoId)).toMatchObject({ status: 'ok', path: path.join(dir, 'moved/a.jpg'), retiredAt: null });
    expect(catalog.people.assignment(faceIds[0])).toMatchObject({ personId: bob.id, source: 'user' });
  });

  it('does not restore an assignment to a person deleted while the photo was retired', () => {
    const { photoId, faceIds } = addPhoto('a.jpg', 'h1', [{ x: 10, y: 10, width: 50, height: 50 }]);
    const p = catalog.people.create('Gone');
    catalog.people.assign(faceIds[0], p.id, 'user');
    catalog.photos.retire(photoId);
    catalog.people.delete(p.id);
    catalog.photos.revive(photoId, photoFile('a.jpg'));
    expect(catalog.people.assignment(faceIds[0])).toBeUndefined();
  });

  it('allows one live row per path', () => {
    addPhoto('a.jpg', 'h1', []);
    expect(() => addPhoto('a.jpg', 'h2', [])).toThrow(/UNIQUE/);
  });

  it('records failures and duplicates with the rules of the schema', () => {
    const canon = addPhoto('a.jpg', 'h1', []);
    const dup = catalog.photos.insertDuplicate(photoFile('copy of a.jpg'), 'h1', canon.photoId);
    const failed = catalog.photos.recordFailure(photoFile('bad.jpg'), null, 'CORRUPT_IMAGE', 'truncated');
    expect(catalog.photos.recordFailure(photoFile('bad.jpg', 5), 'hx', 'NOT_AN_IMAGE', 'text')).toBe(failed);
    expect(catalog.photos.get(failed)).toMatchObject({ status: 'failed', errorCode: 'NOT_AN_IMAGE', size: 5 });
    expect(catalog.photos.duplicatesOf(canon.photoId).map((p) => p.id)).toEqual([dup]);
    expect(catalog.stats()).toMatchObject({ photos: 1, failed: 1, duplicates: 1 });
    expect(catalog.photos.failures().map((p) => p.errorMessage)).toEqual(['text']);
    expect(() => catalog.photos.recordFailure(photoFile('a.jpg'), null, 'X', 'y')).toThrow(/still owned/);
    expect(() => sqlOf(catalog).prepare("INSERT INTO photos (path, size, mtime_ms, status, indexed_at) VALUES ('x', 1, 1, 'failed', 1)").run()).toThrow(/CHECK/);
  });

  it('lists live photos under a folder by path prefix only (unicode, no sibling folders)', () => {
    addPhoto('Zoë 🎉/a.jpg', 'h1', []);
    addPhoto('Zoë 🎉/deep/b.jpg', 'h2', []);
    addPhoto('Zoë 🎉2/c.jpg', 'h3', []);
    addPhoto('line\nbreak.jpg', 'h4', []);
    const under = catalog.photos.liveUnder(path.join(dir, 'Zoë 🎉')).map((p) => path.basename(p.path));
    expect(under).toEqual(['a.jpg', 'b.jpg']);
    expect(catalog.photos.liveByPath(path.join(dir, 'line\nbreak.jpg'))?.contentHash).toBe('h4');
  });
});

describe('people, constraints, decisions, adapters, settings', () => {
  it('stores reject and link constraints once, ordered, and cascades them with faces', () => {
    const { photoId, faceIds } = addPhoto('a.jpg', 'h1', [{ x: 0, y: 0, width: 9, height: 9 }, { x: 20, y: 0, width: 9, height: 9 }]);
    const p = catalog.people.create('P');
    catalog.people.reject(faceIds[0], p.id);
    catalog.people.reject(faceIds[0], p.id);
    catalog.people.linkFaces(faceIds[1], faceIds[0], 'must-link');
    catalog.people.linkFaces(faceIds[0], faceIds[1], 'cannot-link');
    const cs = catalog.people.constraintsOfFace(faceIds[0]);
    expect(cs.filter((c) => c.kind === 'reject')).toHaveLength(1);
    const links = cs.filter((c) => c.kind !== 'reject');
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ kind: 'cannot-link', faceId: Math.min(...faceIds), otherFaceId: Math.max(...faceIds) });
    expect(() => catalog.people.linkFaces(faceIds[0], faceIds[0], 'must-link')).toThrow();
    catalog.photos.delete(photoId);
    expect(sqlOf(catalog).prepare('SELECT COUNT(*) AS n FROM constraints').get()).toEqual({ n: 0 });
  });

  it('keeps an append-only decision log with undo marks', () => {
    const a = catalog.decisions.log('name', { personId: 1, name: 'A' });
    const b = catalog.decisions.log('merge', { from: 2, into: 1 });
    expect(catalog.decisions.last()!.id).toBe(b);
    catalog.decisions.markUndone(b);
    expect(catalog.decisions.last<{ name: string }>()!.payload.name).toBe('A');
    expect(() => catalog.decisions.markUndone(b)).toThrow(/already undone/);
    expect(catalog.decisions.list({ includeUndone: true }).map((d) => d.id)).toEqual([b, a]);
    expect(catalog.decisions.list({ includeUndone: true })[0].undoneAt).not.toBeNull();
  });

  it('adopts at most one adapter per model', () => {
    const weights = new Uint8Array([1, 2, 3, 250]);
    const a = catalog.adapters.save({ modelId: 'm', loss: 'triplet', weights, metrics: { acc: 0.9 } });
    const b = catalog.adapters.save({ modelId: 'm', loss: 'center', weights, metrics: { acc: 0.95 } });
    catalog.adapters.adopt('m', a);
    catalog.adapters.adopt('m', b);
    expect(catalog.adapters.adopted('m')!.id).toBe(b);
    expect(catalog.adapters.list('m').filter((x) => x.adopted)).toHaveLength(1);
    expect(Array.from(catalog.adapters.list('m')[0].weights)).toEqual([1, 2, 3, 250]);
    expect(() => catalog.adapters.adopt('other', a)).toThrow();
    expect(catalog.adapters.adopted('m')!.id).toBe(b); // the failed adoption rolled back
  });

  it('stores settings as JSON', () => {
    expect(catalog.settings.get('x')).toBeUndefined();
    catalog.settings.set('x', { threshold: 1.1, roots: ['/a'] });
    catalog.settings.set('x', { threshold: 1.2, roots: ['/a'] });
    expect(catalog.settings.get('x')).toEqual({ threshold: 1.2, roots: ['/a'] });
  });

  it('renames, hides and covers people; deleting one frees its faces', () => {
    const { faceIds } = addPhoto('a.jpg', 'h1', [{ x: 0, y: 0, width: 9, height: 9 }]);
    const p = catalog.people.create(null);
    catalog.people.update(p.id, { name: 'Cy', hidden: true, coverFaceId: faceIds[0] });
    expect(catalog.people.get(p.id)).toMatchObject({ name: 'Cy', hidden: true, coverFaceId: faceIds[0] });
    catalog.people.assign(faceIds[0], p.id, 'auto');
    catalog.people.delete(p.id);
    expect(catalog.people.assignment(faceIds[0])).toBeUndefined();
    expect(catalog.stats().people).toBe(0);
  });
});
