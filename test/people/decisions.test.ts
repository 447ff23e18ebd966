// The people service's rules on synthetic embeddings in a real SQLite catalog, with no photos and no
// inference, so they run everywhere in a second: grouping, the same-photo cannot-link, and every user
// decision (rename, merge, move, "not this person", hide, cover, confirm) with undo, and that re-clustering
// never undoes a decision.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import type { AnalysedFace, FivePoints } from '../../main/engine/face/types.ts';
import { normalDeviates, seededRandom } from '../../main/engine/math/random.ts';
import { l2Normalised } from '../../main/engine/math/vectors.ts';
import { PeopleEdits } from '../../main/engine/people/edits.ts';
import { PeopleError, PeopleService } from '../../main/engine/people/service.ts';

const MODEL = 'mobilefacenet-192';
const DIM = 192;
const LANDMARKS: FivePoints = [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]];

/** Identity centres on the unit sphere; a face is its centre plus noise (same identity ~0.5 apart, others ~1.4). */
function identities(count: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => l2Normalised(normalDeviates(DIM, random)));
}

function faceOf(centre: Float32Array, random: () => number): AnalysedFace {
  const noise = normalDeviates(DIM, random, 0.35 / Math.sqrt(DIM));
  return {
    box: { x: 10, y: 10, width: 100, height: 100 }, landmarks: LANDMARKS, score: 0.99, source: 'detector',
    embedding: l2Normalised(centre.map((v, i) => v + noise[i])), modelId: MODEL, quality: { size: 100, sharpness: 100, frontal: 1 },
  };
}

describe('people decisions on synthetic faces', () => {
  let dir: string;
  let catalog: Catalog;
  let people: PeopleService;
  let random: () => number;
  const centres = identities(4, 7);
  let photoCount = 0;

  /** One photo holding a face of each listed identity; returns its face ids in that order. */
  function photo(...who: number[]): number[] {
    photoCount++;
    return catalog.photos.insertAnalysed(
      { rootId: null, path: `/library/p${photoCount}.jpg`, size: photoCount, mtimeMs: photoCount },
      { contentHash: String(photoCount).padStart(64, '0'), width: 400, height: 300, orientation: 1, takenAt: null },
      { detectorId: 'mtcnn', modelId: MODEL, faces: who.map((i) => faceOf(centres[i], random)) },
    ).faceIds;
  }
  const personOf = (faceId: number): number | undefined => catalog.people.assignment(faceId)?.personId;
  const sourceOf = (faceId: number): string | undefined => catalog.people.assignment(faceId)?.source;

  let a: number[], b: number[], c: number[], group: number[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-decisions-'));
    catalog = new Catalog(path.join(dir, 'catalog.db'));
    random = seededRandom(3);
    photoCount = 0;
    a = [photo(0)[0], photo(0)[0], photo(0)[0]];
    b = [photo(1)[0], photo(1)[0], photo(1)[0]];
    c = [photo(2)[0], photo(2)[0]];
    group = photo(0, 1, 3); // identity 0 and 1 together, and a stranger seen once
    people = new PeopleService(catalog, { modelId: MODEL });
    people.recluster();
  });

  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups each identity into one person; a stranger seen once waits unassigned', () => {
    expect(new Set([...a, group[0]].map(personOf)).size).toBe(1);
    expect(new Set([...b, group[1]].map(personOf)).size).toBe(1);
    expect(new Set(c.map(personOf)).size).toBe(1);
    expect(new Set([personOf(a[0]), personOf(b[0]), personOf(c[0])]).size).toBe(3);
    expect(personOf(group[2])).toBeUndefined();
    expect(people.listPeople().map((p) => p.faceCount).sort()).toEqual([2, 4, 4]);
  });

  it('never puts two faces of one photo in the same person, even when they look alike', () => {
    const twins = photo(0, 0);
    people.recluster();
    expect(personOf(twins[0])).not.toBe(personOf(twins[1]) ?? -1);
    expect(() => people.moveFaces(twins, personOf(a[0])!)).toThrow(PeopleError);
    expect(() => people.confirmFaces([twins.find((f) => personOf(f) !== personOf(a[0]))!], personOf(a[0])!)).toThrow(/already has a face in photo/);
  });

  it('rename locks the faces, survives a re-cluster, and undo restores the old state', () => {
    const p = personOf(a[0])!;
    people.rename(p, '  Ada  ');
    expect(catalog.people.get(p)!.name).toBe('Ada');
    expect(sourceOf(a[0])).toBe('user');
    people.recluster();
    expect(catalog.people.get(p)!.name).toBe('Ada');
    expect(personOf(a[1])).toBe(p);
    expect(() => people.rename(p, '   ')).toThrow(/empty/);
    expect(people.undo()).toEqual({ undone: 'rename' });
    expect(catalog.people.get(p)!.name).toBeNull();
    expect(sourceOf(a[0])).toBe('auto');
  });

  it('undo passes over what a re-index logged (a record, not a decision) and reverts the user\'s last decision', () => {
    const p = personOf(a[0])!;
    people.rename(p, 'Ada');
    // The indexer's record of named faces a changed photo lost, as commit.ts writes it.
    catalog.decisions.log('reindex-removed-faces', { photoId: 1, path: '/library/p1.jpg', faces: [{ faceId: a[0], box: { x: 0, y: 0, width: 1, height: 1 }, assignment: null, constraints: [] }] });
    expect(people.undo()).toEqual({ undone: 'rename' });
    expect(catalog.people.get(p)!.name).toBeNull();
    expect(people.undo()).toBeNull();
    // The record stays in the log, not undone, and the history offers no Undo on it.
    expect(catalog.decisions.list({ limit: 1 })[0]).toMatchObject({ kind: 'reindex-removed-faces', undoneAt: null });
    expect(new PeopleEdits(catalog, people).history().slice(0, 2)).toMatchObject([
      { kind: 'reindex-removed-faces', undone: false, undoable: false },
      { kind: 'rename', undone: true, undoable: false },
    ]);
  });

  it('merge keeps the named person, adds the faces, re-points rejections, and undo brings both back', () => {
    const [pa, pb] = [personOf(a[0])!, personOf(b[0])!];
    people.rename(pb, 'Bea');
    people.rejectFaces([c[0]], pa); // a rejection against the person that is merged away
    const survivor = people.merge([pa, pb]);
    expect(survivor).toBe(pb);
    expect(catalog.people.get(pa)).toBeUndefined();
    // The group photo holds both identities: only one of its two faces can stay in the merged person.
    const merged = new Set(people.personFaces(pb).faces.map((f) => f.faceId));
    expect([...a, ...b].every((f) => merged.has(f))).toBe(true);
    expect(merged.has(group[0]) && merged.has(group[1])).toBe(false);
    expect(catalog.people.constraintsOfFace(c[0]).find((k) => k.kind === 'reject')?.personId).toBe(pb);

    expect(people.undo()).toEqual({ undone: 'merge' });
    expect(catalog.people.get(pa)).toBeDefined();
    expect(personOf(a[0])).toBe(pa);
    expect(personOf(b[0])).toBe(pb);
    expect(catalog.people.constraintsOfFace(c[0]).find((k) => k.kind === 'reject')?.personId).toBe(pa);
    expect(() => people.merge([pa])).toThrow(/at least two/);
  });

  it('move sends faces to another or a new person, rejects the old one for good, and undoes', () => {
    const [pa, pc] = [personOf(a[0])!, personOf(c[0])!];
    people.moveFaces([a[2]], pc);
    expect(personOf(a[2])).toBe(pc);
    people.recluster();
    expect(personOf(a[2])).toBe(pc); // a user decision: re-clustering leaves it
    const fresh = people.moveFaces([a[1]], null);
    expect(fresh).not.toBe(pa);
    expect(catalog.people.constraintsOfFace(a[1]).some((k) => k.kind === 'reject' && k.personId === pa)).toBe(true);
    people.undo();
    expect(catalog.people.get(fresh)).toBeUndefined();
    expect(personOf(a[1])).toBe(pa);
    people.undo();
    expect(personOf(a[2])).toBe(pa);
  });

  it('"not this person" removes a face and it never returns on re-cluster or assignment; undo allows it again', () => {
    const pa = personOf(a[0])!;
    people.rejectFaces([a[2]], pa);
    expect(personOf(a[2])).toBeUndefined();
    people.recluster();
    expect(personOf(a[2])).not.toBe(pa);
    people.assignNew([a[2]]);
    expect(personOf(a[2])).not.toBe(pa);
    expect(people.unassigned().faces.find((f) => f.faceId === a[2])?.suggestions.some((s) => s.personId === pa) ?? false).toBe(false);
    people.undo();
    people.recluster();
    expect(personOf(a[2])).toBe(pa);
  });

  it('hide, cover and confirm are decisions with undo', () => {
    const pa = personOf(a[0])!;
    people.setHidden(pa, true);
    expect(people.listPeople().some((p) => p.id === pa)).toBe(false);
    expect(people.listPeople({ includeHidden: true }).find((p) => p.id === pa)!.hidden).toBe(true);
    people.setCover(pa, a[1]);
    expect(people.listPeople({ includeHidden: true }).find((p) => p.id === pa)!.coverFaceId).toBe(a[1]);
    expect(() => people.setCover(pa, b[0])).toThrow(/not a face of person/);
    people.undo();
    people.undo();
    expect(people.listPeople().find((p) => p.id === pa)!.hidden).toBe(false);

    const stranger = group[2];
    people.confirmFaces([stranger], personOf(c[0])!);
    expect(personOf(stranger)).toBe(personOf(c[0]));
    expect(sourceOf(stranger)).toBe('user');
    people.undo();
    expect(personOf(stranger)).toBeUndefined();
    expect(people.undo()).toBeNull();
  });

  it('new faces join the nearest person incrementally; a decided person attracts them first', () => {
    const pb = personOf(b[0])!;
    people.rename(pb, 'Bea');
    const later = [photo(1)[0], photo(2)[0]];
    const r = people.assignNew(later);
    expect(r.assigned).toBe(2);
    expect(personOf(later[0])).toBe(pb);
    expect(personOf(later[1])).toBe(personOf(c[0]));
    expect(people.whoIs(catalog.faces.get(b[0])!.embedding)[0].personId).toBe(pb);
    expect(people.suggestMerges(pb).every((s) => s.personId !== pb)).toBe(true);
  });
});
