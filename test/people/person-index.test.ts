// The person index kept on disk (people/person-index-store.ts) on a real SQLite catalog with synthetic
// embeddings: a fresh people service that loads it assigns new faces exactly as one that rebuilds it from
// every embedding; user decisions, other connections' writes and retired photos made in between are in it;
// a damaged, foreign or outdated file is rebuilt, never trusted.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import type { AnalysedFace, FivePoints } from '../../main/engine/face/types.ts';
import { normalDeviates, seededRandom } from '../../main/engine/math/random.ts';
import { l2Normalised } from '../../main/engine/math/vectors.ts';
import { openPeople } from '../../main/engine/people/open.ts';
import { PeopleService } from '../../main/engine/people/service.ts';
import { assignFresh } from '../helpers/people.ts';

const MODEL = 'mobilefacenet-192';
const DIM = 192;
const LANDMARKS: FivePoints = [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]];
/** Identities 0..KNOWN-1 are in the library; the rest are strangers. */
const KNOWN = 40;
const centres = (() => {
  const random = seededRandom(11);
  return Array.from({ length: 3000 }, () => l2Normalised(normalDeviates(DIM, random)));
})();

let dir: string;
let dbFile: string;
let indexDir: string;
let random: () => number;
let photoCount: number;

function faceOf(identity: number): AnalysedFace {
  const noise = normalDeviates(DIM, random, 0.35 / Math.sqrt(DIM));
  return {
    box: { x: 10, y: 10, width: 100, height: 100 }, landmarks: LANDMARKS, score: 0.99, source: 'detector',
    embedding: l2Normalised(centres[identity].map((v, i) => v + noise[i])), modelId: MODEL, quality: { size: 100, sharpness: 100, frontal: 1 },
  };
}

/** One photo holding a face of each identity listed; its face ids in that order. */
function photo(catalog: Catalog, ...who: number[]): number[] {
  photoCount++;
  return catalog.photos.insertAnalysed(
    { rootId: null, path: `/library/p${photoCount}.jpg`, size: photoCount, mtimeMs: photoCount },
    { contentHash: String(photoCount).padStart(64, '0'), width: 400, height: 300, orientation: 1, takenAt: null },
    { detectorId: 'mtcnn', modelId: MODEL, faces: who.map(faceOf) },
  ).faceIds;
}

/** A catalog and its people service as the library opens them, the index kept in `keptIn`. */
async function open(file = dbFile, keptIn = indexDir): Promise<{ catalog: Catalog; people: PeopleService }> {
  const catalog = new Catalog(file);
  return { catalog, people: await openPeople(catalog, MODEL, { personIndexDir: keptIn }) };
}

/** New photos: faces of 30 known identities, 10 strangers, and a photo with two faces of identity 0. */
function addNewFaces(catalog: Catalog): number[] {
  return [
    ...Array.from({ length: 30 }, (_, i) => photo(catalog, i)[0]),
    ...Array.from({ length: 10 }, (_, i) => photo(catalog, KNOWN + i)[0]),
    ...photo(catalog, 0, 0),
  ];
}

/**
 * The new faces assigned twice from the catalog as it is now: by a fresh service that loads the kept index,
 * and by one on a copy of the catalog with no index file. Returns each face's person both ways.
 */
async function assignBothWays(): Promise<{ stored: (number | null)[]; rebuilt: (number | null)[]; source: string | undefined; known: number }> {
  const writer = new Catalog(dbFile);
  const faceIds = addNewFaces(writer);
  writer.close();
  const copy = path.join(dir, 'copy.db');
  copyFileSync(dbFile, copy);
  const stored = await assignFresh(dbFile, MODEL, indexDir, faceIds);
  const rebuilt = await assignFresh(copy, MODEL, path.join(dir, 'no-index'), faceIds);
  expect(rebuilt.source).toBe('catalog');
  rmSync(copy);
  return { stored: stored.personOf, rebuilt: rebuilt.personOf, source: stored.source, known: stored.personOf.slice(0, 30).filter((p) => p !== null).length };
}

/** Two services' person indexes hold the same people with the same centroids, face counts and spreads. */
function expectSameIndex(a: PeopleService, b: PeopleService): void {
  const x = a.grouping.personIndex.current();
  const y = b.grouping.personIndex.current();
  const rows = (live: { vectors: Float32Array; personIds: number[] }) =>
    new Map(live.personIds.map((p, i) => [p, Array.from(live.vectors.subarray(i * DIM, (i + 1) * DIM))]));
  const [rx, ry] = [rows(x.index.live()), rows(y.index.live())];
  expect([...rx.keys()].sort((p, q) => p - q)).toEqual([...ry.keys()].sort((p, q) => p - q));
  for (const [personId, vector] of rx) {
    expect(vector).toEqual(ry.get(personId));
    expect(x.person(personId)).toEqual(y.person(personId));
  }
}

const indexFiles = (): string[] => (existsSync(indexDir) ? readdirSync(indexDir) : []);

/** The library every test starts from: 4 photos of each known identity and 5 photos of two, grouped. */
async function buildLibrary(file: string, keptIn: string): Promise<void> {
  random = seededRandom(5);
  photoCount = 0;
  const { catalog, people } = await open(file, keptIn);
  for (let i = 0; i < KNOWN; i++) for (let k = 0; k < 4; k++) photo(catalog, i);
  for (let i = 0; i < 5; i++) photo(catalog, i, i + 10);
  people.recluster();
  catalog.close();
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fa-person-index-'));
  dbFile = path.join(dir, 'catalog.db');
  indexDir = path.join(dir, 'cache', 'people');
  await buildLibrary(dbFile, indexDir);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the person index kept on disk', () => {
  it('is written by a re-cluster, and a fresh service assigns from it exactly as a rebuild does', async () => {
    expect(indexFiles()).toEqual([`${MODEL}-model.index`]);
    const { stored, rebuilt, source, known } = await assignBothWays();
    expect(source).toBe('file');
    expect(stored).toEqual(rebuilt);
    expect(known).toBeGreaterThanOrEqual(28);
    expect(stored.slice(30, 40)).toEqual(Array(10).fill(null)); // strangers
    // Two faces of one photo never join the same person: only one of the identity-0 pair does.
    const [twinA, twinB] = stored.slice(40);
    expect(twinA === null || twinA !== twinB).toBe(true);
    expect([twinA, twinB].filter((p) => p !== null).length).toBe(1);
  });

  it('holds the decisions made since it was written: merge, move, not this person, confirm, a retired photo', async () => {
    const { catalog, people } = await open();
    const personOfIdentity = (i: number) => catalog.people.assignment(catalog.faces.ofPhoto(catalog.photos.idByPath(`/library/p${4 * i + 1}.jpg`)!)[0].id)!.personId;
    const facesOfIdentity = (i: number) => [1, 2, 3, 4].map((k) => catalog.faces.ofPhoto(catalog.photos.idByPath(`/library/p${4 * i + k}.jpg`)!)[0].id);
    people.merge([personOfIdentity(20), personOfIdentity(21)]);
    people.moveFaces([facesOfIdentity(22)[0]], personOfIdentity(23));
    people.rejectFaces([facesOfIdentity(24)[0]], personOfIdentity(24));
    people.confirmFaces(facesOfIdentity(25).slice(0, 2), personOfIdentity(25));
    catalog.photos.retire(catalog.photos.idByPath('/library/p105.jpg')!); // identity 26's first photo
    catalog.close();

    const fresh = await open();
    const rebuild = new PeopleService(fresh.catalog, { modelId: MODEL });
    try {
      expectSameIndex(fresh.people, rebuild);
      const refresh = fresh.people.personIndexRefresh()!;
      expect(refresh.source).toBe('file');
      // Only the people those decisions touched were read again.
      expect(refresh.recomputed).toBeGreaterThanOrEqual(6);
      expect(refresh.recomputed).toBeLessThan(12);
    } finally {
      fresh.catalog.close();
    }
    const { stored, rebuilt, source } = await assignBothWays();
    expect(source).toBe('file');
    expect(stored).toEqual(rebuilt);
  });

  it("sees another connection's writes while it is held in memory, and stays equal to a rebuild over many rounds", async () => {
    const { catalog, people } = await open();
    const rebuild = new PeopleService(catalog, { modelId: MODEL });
    people.grouping.personIndex.current();
    const other = new Catalog(dbFile);
    const otherPeople = new PeopleService(other, { modelId: MODEL });
    try {
      // Each round moves a face of every sixth person to the next one (a third of the people change, each
      // time other ones): the rows replaced outnumber the live ones by the last round, so it compacts itself.
      for (let round = 0; round < 4; round++) {
        const persons = other.people.all().map((p) => p.id).filter((id) => other.people.assignmentsOf(id).length >= 2);
        for (let i = round; i + 1 < persons.length; i += 6) {
          otherPeople.moveFaces([other.people.assignmentsOf(persons[i])[0].faceId], persons[i + 1]);
        }
        expectSameIndex(people, rebuild);
        const refresh = people.personIndexRefresh()!;
        expect(refresh.source).toBe('memory');
        expect(refresh.recomputed).toBeGreaterThan(10);
      }
    } finally {
      other.close();
      catalog.close();
    }
  });

  it('rebuilds a damaged, truncated, foreign or outdated file instead of trusting it', async () => {
    const [name] = indexFiles();
    const file = path.join(indexDir, name);
    const good = readFileSync(file);
    // Another catalog's index, under the same name: a catalog built the same way (same people, same
    // change numbers, same centroids) is still another catalog.
    const otherDir = path.join(dir, 'other');
    await buildLibrary(path.join(dir, 'other.db'), otherDir);
    const foreign = readFileSync(path.join(otherDir, name));
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)] ^= 0xff;

    for (const bytes of [Buffer.from('not an index'), good.subarray(0, good.length / 2), flipped, foreign, Buffer.alloc(0)]) {
      writeFileSync(file, bytes);
      const { catalog, people } = await open();
      try {
        expectSameIndex(people, new PeopleService(catalog, { modelId: MODEL }));
        expect(people.personIndexRefresh()!.source).toBe('catalog');
        // Written back whole: the next service loads it.
        people.grouping.personIndex.save();
        const next = await openPeople(catalog, MODEL, { personIndexDir: indexDir });
        next.grouping.personIndex.current();
        expect(next.personIndexRefresh()!.source).toBe('file');
      } finally {
        catalog.close();
      }
    }

    // The file of another model or adapter space is not this one's, whatever its name.
    const catalog = new Catalog(dbFile);
    try {
      const otherModel = new PeopleService(catalog, { modelId: 'dlib-resnet-128', personIndexFile: file });
      otherModel.grouping.personIndex.current();
      expect(otherModel.personIndexRefresh()!.source).toBe('catalog');
      const adapted = new PeopleService(catalog, { modelId: MODEL, transform: (v) => v, adapterId: 99, personIndexFile: file });
      adapted.grouping.personIndex.current();
      expect(adapted.personIndexRefresh()!.source).toBe('catalog');
      const same = new PeopleService(catalog, { modelId: MODEL, personIndexFile: file });
      same.grouping.personIndex.current();
      expect(same.personIndexRefresh()!.source).toBe('file');
    } finally {
      catalog.close();
    }
  });

  it('costs only the file, never the job, where the cache folder cannot be written', async () => {
    const { catalog, people } = await open(dbFile, path.join(dbFile, 'people')); // under a file, not a folder
    try {
      const faceIds = addNewFaces(catalog);
      const result = people.assignNew(faceIds);
      expect(result.assigned).toBeGreaterThanOrEqual(28);
      expect(people.personIndexRefresh()!.source).toBe('catalog');
    } finally {
      catalog.close();
    }
  });

  it('rebuilds when the catalog is older than the file (restored from a backup)', async () => {
    const backup = path.join(dir, 'backup.db');
    copyFileSync(dbFile, backup);
    const { catalog, people } = await open();
    const persons = catalog.people.all().map((p) => p.id);
    people.merge([persons[0], persons[1]]);
    people.grouping.personIndex.current();
    people.grouping.personIndex.save();
    catalog.close();
    copyFileSync(backup, dbFile);
    const restored = await open();
    try {
      expectSameIndex(restored.people, new PeopleService(restored.catalog, { modelId: MODEL }));
      expect(restored.people.personIndexRefresh()!.source).toBe('catalog');
    } finally {
      restored.catalog.close();
    }
  });

  it('assigns only the given faces that wait for a person: not ignored, assigned, retired or of another model', async () => {
    const { catalog, people } = await open();
    try {
      const [waiting, ignored, decided, retired] = [0, 1, 2, 3].map((i) => photo(catalog, i)[0]);
      catalog.ignored.add([ignored]);
      const elsewhere = catalog.people.assignment(catalog.faces.ofPhoto(catalog.photos.idByPath('/library/p40.jpg')!)[0].id)!.personId;
      people.moveFaces([decided], elsewhere);
      catalog.photos.retire(catalog.faces.get(retired)!.photoId);
      const otherModel = catalog.photos.insertAnalysed(
        { rootId: null, path: '/library/other-model.jpg', size: 1, mtimeMs: 1 },
        { contentHash: 'other-model'.padStart(64, '0'), width: 400, height: 300, orientation: 1, takenAt: null },
        { detectorId: 'mtcnn', modelId: 'dlib-resnet-128', faces: [{ ...faceOf(0), modelId: 'dlib-resnet-128' }] },
      ).faceIds[0];
      const result = people.assignNew([waiting, ignored, decided, retired, otherModel, 999_999]);
      expect(result).toEqual({ assigned: 1, unassigned: 0, people: 0 });
      expect(catalog.people.assignment(waiting)?.personId).toBe(catalog.people.assignment(catalog.faces.ofPhoto(catalog.photos.idByPath('/library/p1.jpg')!)[0].id)!.personId);
      expect(catalog.people.assignment(decided)).toMatchObject({ personId: elsewhere, source: 'user' });
      for (const id of [ignored, retired, otherModel]) expect(catalog.people.assignment(id)).toBeUndefined();
    } finally {
      catalog.close();
    }
  });

  it('loads an HNSW index (thousands of people) that assigns as a rebuild does', async () => {
    // 2,100 people of 2 faces each, made directly (as a re-cluster would leave them) to stay quick.
    const big = path.join(dir, 'big.db');
    const bigIndex = path.join(dir, 'big-cache');
    {
      const { catalog, people } = await open(big, bigIndex);
      catalog.transaction(() => {
        for (let i = 0; i < 2100; i++) {
          const person = catalog.people.create().id;
          for (let k = 0; k < 2; k++) catalog.people.assign(photo(catalog, i)[0], person, 'auto');
        }
      });
      const built = people.grouping.personIndex.current();
      expect(built.index.method).toBe('hnsw');
      // hnswlib writes its graph through a temporary file: with no temporary folder the index is not kept,
      // and nothing else fails.
      const tmpdir = process.env.TMPDIR;
      process.env.TMPDIR = path.join(dir, 'no-such-folder');
      try {
        people.grouping.personIndex.save();
      } finally {
        if (tmpdir === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = tmpdir;
      }
      expect(existsSync(bigIndex)).toBe(false);
      people.grouping.personIndex.save();
      expect(readdirSync(bigIndex)).toEqual([`${MODEL}-model.index`]);
      catalog.close();
    }
    const writer = new Catalog(big);
    const faceIds = Array.from({ length: 200 }, (_, i) => photo(writer, (i * 13) % 2100)[0]);
    writer.close();
    const copy = path.join(dir, 'big-copy.db');
    copyFileSync(big, copy);
    const stored = await assignFresh(big, MODEL, bigIndex, faceIds);
    const rebuilt = await assignFresh(copy, MODEL, path.join(dir, 'big-copy-cache'), faceIds);
    expect([stored.source, rebuilt.source]).toEqual(['file', 'catalog']);
    expect(stored.personOf).toEqual(rebuilt.personOf);
    expect(stored.personOf.filter((p) => p !== null).length).toBeGreaterThanOrEqual(190);

    // 150 people go: under 2,000 left, the index changes to the exact scan a build of that size uses.
    const { catalog, people } = await open(big, bigIndex);
    try {
      catalog.transaction(() => catalog.people.all().slice(0, 150).forEach((p) => catalog.people.delete(p.id)));
      const { index } = people.grouping.personIndex.current();
      // Recomputed: the 150, and the people the 200 faces above joined (the file is kept as it was before them).
      expect(people.personIndexRefresh()).toMatchObject({ source: 'file' });
      expect(people.personIndexRefresh()!.recomputed).toBeGreaterThanOrEqual(150);
      expect(people.personIndexRefresh()!.recomputed).toBeLessThanOrEqual(350);
      expect(index.method).toBe('exact');
      expect(index.size).toBe(1950);
      expectSameIndex(people, new PeopleService(catalog, { modelId: MODEL }));
    } finally {
      catalog.close();
    }
  }, 60_000);

  it('suggestions ("who is this", unassigned faces, likely merges) come from the kept index as from every centroid', async () => {
    // 2,100 people of 2 faces each: the index is HNSW, and a page of suggestions must not read every embedding.
    const big = path.join(dir, 'suggest.db');
    const { catalog, people } = await open(big, path.join(dir, 'suggest-cache'));
    try {
      const personOf: number[] = [];
      catalog.transaction(() => {
        for (let i = 0; i < 2100; i++) {
          const person = catalog.people.create().id;
          personOf.push(person);
          for (let k = 0; k < 2; k++) catalog.people.assign(photo(catalog, i)[0], person, 'auto');
        }
      });
      const free = Array.from({ length: 40 }, (_, i) => photo(catalog, (i * 37) % 2100)[0]);
      const pair = photo(catalog, 5, 6); // face of 6 beside a face of 5: the person of 5 is never suggested for it
      const personOfIdentity = (i: number) => personOf[i];
      catalog.people.assign(pair[0], personOfIdentity(5), 'user');
      catalog.people.reject(free[0], personOfIdentity(0)); // "not this person" on the first free face's own identity
      // Two more people who are identity 5 again (what a merge suggestion is for): one seen in a photo with the
      // person of 5, so never suggested, and one never with them, so the first suggestion.
      const [withFive, twin] = photo(catalog, 5, 5);
      catalog.people.assign(withFive, personOfIdentity(5), 'auto');
      const seenWith = catalog.people.create().id;
      catalog.people.assign(twin, seenWith, 'auto');
      const apart = catalog.people.create().id;
      catalog.people.assign(photo(catalog, 5)[0], apart, 'auto');
      expect(people.grouping.personIndex.current().index.method).toBe('hnsw');

      // The truth: every person's unit mean over their faces (the confirmed ones where the user confirmed
      // some), ranked by L2 distance, rules applied.
      const rows = catalog.people.assignedFaces(MODEL);
      const confirmed = new Set(rows.filter((r) => r.source === 'user').map((r) => r.personId));
      const sums = new Map<number, Float64Array>();
      const photosOf = new Map<number, Set<number>>();
      for (const r of rows) {
        (photosOf.get(r.personId) ?? photosOf.set(r.personId, new Set()).get(r.personId)!).add(r.photoId);
        if (confirmed.has(r.personId) && r.source !== 'user') continue;
        const sum = sums.get(r.personId) ?? sums.set(r.personId, new Float64Array(DIM)).get(r.personId)!;
        r.embedding.forEach((v, d) => (sum[d] += v));
      }
      const centroid = new Map([...sums].map(([p, sum]) => [p, l2Normalised(Float32Array.from(sum))]));
      const rank = (q: Float32Array, skip: (personId: number) => boolean, k: number) => [...centroid]
        .filter(([p]) => !skip(p))
        .map(([p, c]) => ({ personId: p, distance: Math.sqrt(Math.max(0, 2 - 2 * c.reduce((a, v, d) => a + v * q[d], 0))) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, k);
      const rejections = catalog.people.rejections();
      const faceRow = (id: number) => catalog.faces.get(id)!;
      /**
       * Against the exact ranking: three people the rules allow, nearest first, each at its true distance, and
       * the nearest itself whenever it is a real match. (HNSW is approximate: among people who are all far from
       * the face, about equally unlike it, the runners-up may differ from an exact scan's.)
       */
      const expectLikeTruth = (got: { personId: number; distance: number }[], q: Float32Array, skip: (personId: number) => boolean) => {
        const want = rank(q, skip, 1);
        const at = new Map(rank(q, skip, centroid.size).map((w) => [w.personId, w.distance]));
        expect(got).toHaveLength(3);
        for (const g of got) {
          expect(skip(g.personId)).toBe(false);
          expect(g.distance).toBeCloseTo(at.get(g.personId)!, 5);
        }
        expect(got.map((g) => g.distance)).toEqual([...got.map((g) => g.distance)].sort((a, b) => a - b));
        if (want[0].distance < 1) expect(got[0].personId).toBe(want[0].personId);
        return want[0].distance < 1;
      };

      const { faces } = people.unassigned({ limit: 100 });
      const byFace = new Map(faces.map((f) => [f.faceId, f.suggestions]));
      let matched = 0;
      for (const id of [...free, pair[1]]) {
        const f = faceRow(id);
        if (expectLikeTruth(byFace.get(id)!, f.embedding, (p) => !!rejections.get(id)?.has(p) || [...(photosOf.get(p) ?? [])].includes(f.photoId))) matched++;
      }
      expect(matched).toBeGreaterThanOrEqual(39); // every free face but the one whose own person it was rejected from
      expect(byFace.get(free[0])!.some((s) => s.personId === personOfIdentity(0))).toBe(false);
      expect(byFace.get(pair[1])!.some((s) => s.personId === personOfIdentity(5))).toBe(false);

      const probe = faceRow(free[3]).embedding;
      expect(expectLikeTruth(people.whoIs(probe), probe, () => false)).toBe(true);

      const me = personOfIdentity(5);
      const merges = people.suggestMerges(me);
      expectLikeTruth(merges, centroid.get(me)!, (p) => p === me || [...photosOf.get(p)!].some((ph) => photosOf.get(me)!.has(ph)));
      expect(merges.some((s) => s.personId === personOfIdentity(6))).toBe(false); // seen together in one photo
      expect(merges[0].personId).toBe(apart);
      expect(merges.some((s) => s.personId === seenWith)).toBe(false);
    } finally {
      catalog.close();
    }
  }, 60_000);
});

