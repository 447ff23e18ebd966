// `face-atlas photos --with NAME|ID [--only] [--json]` on a real SQLite catalog (faces and people written
// through the catalog, no inference): the photos where all the people appear, newest first by date taken
// (else file time), with each photo's people; clear errors for unknown and ambiguous names.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import type { AnalysedFace } from '../../main/engine/face/types.ts';
import { runCli } from '../helpers/cli.ts';

const face = (i: number): AnalysedFace => ({
  box: { x: 10 + 120 * i, y: 10, width: 100, height: 100 }, landmarks: [[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]], score: 0.99, source: 'detector',
  embedding: new Float32Array(192).fill(1 / Math.sqrt(192)), modelId: 'mobilefacenet-192', quality: { size: 100, sharpness: 100, frontal: 1 },
});

describe('face-atlas photos', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-photos-cli-'));
  const db = path.join(dir, 'catalog.db');
  const ids: Record<string, number> = {};
  const people: Record<string, number> = {};

  beforeAll(() => {
    const catalog = new Catalog(db);
    for (const name of ['Ann', 'Ben', 'Cleo']) people[name] = catalog.people.create(name).id;
    people.twin = catalog.people.create('Twin').id;
    catalog.people.create('twin');
    const add = (name: string, takenAt: number | null, mtimeMs: number, who: string[]) => {
      const { photoId, faceIds } = catalog.photos.insertAnalysed(
        { rootId: null, path: path.join(dir, `${name}.jpg`), size: 1, mtimeMs },
        { contentHash: name, width: 800, height: 600, orientation: 1, takenAt },
        { detectorId: 'mtcnn', modelId: 'mobilefacenet-192', faces: who.map((_, i) => face(i)) },
      );
      who.forEach((w, i) => catalog.people.assign(faceIds[i], people[w], 'user'));
      ids[name] = photoId;
    };
    add('ab-2019', Date.UTC(2019, 4, 1), Date.UTC(2024, 0, 1), ['Ann', 'Ben']);
    add('abc-2021', null, Date.UTC(2021, 6, 1), ['Ann', 'Ben', 'Cleo']);
    add('ab-2023', Date.UTC(2023, 1, 1), Date.UTC(2023, 1, 2), ['Ben', 'Ann']);
    add('a-2024', Date.UTC(2024, 1, 1), Date.UTC(2024, 1, 1), ['Ann']);
    catalog.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the photos with all the people, newest first, by name (any case) or id', async () => {
    const r = await runCli(['photos', '--with', 'ann', '--with', String(people.Ben), '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.photos).toEqual([
      { id: ids['ab-2023'], path: path.join(dir, 'ab-2023.jpg'), takenAt: Date.UTC(2023, 1, 1), people: [people.Ann, people.Ben] },
      { id: ids['abc-2021'], path: path.join(dir, 'abc-2021.jpg'), takenAt: Date.UTC(2021, 6, 1), people: [people.Ann, people.Ben, people.Cleo] },
      { id: ids['ab-2019'], path: path.join(dir, 'ab-2019.jpg'), takenAt: Date.UTC(2019, 4, 1), people: [people.Ann, people.Ben] },
    ]);
    const plain = await runCli(['photos', '--with', 'Ann', '--with', 'Ben', '--db', db]);
    expect(plain.stdout.trim().split('\n')).toEqual(['ab-2023', 'abc-2021', 'ab-2019'].map((n) => path.join(dir, `${n}.jpg`)));
  });

  it('--only leaves out photos with someone else named', async () => {
    const r = await runCli(['photos', '--with', 'Ann', '--with', 'Ben', '--only', '--db', db, '--json']);
    expect(r.json.photos.map((p: { id: number }) => p.id)).toEqual([ids['ab-2023'], ids['ab-2019']]);
  });

  it('an unknown name, an unknown id or an ambiguous name is a clear error', async () => {
    const unknown = await runCli(['photos', '--with', 'Dora', '--db', db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nobody is named "Dora"/);
    const id = await runCli(['photos', '--with', '999', '--db', db]);
    expect(id.stderr).toMatch(/no person with id 999/);
    const twins = await runCli(['photos', '--with', 'TWIN', '--db', db]);
    expect(twins.stderr).toMatch(/2 people are named "TWIN".*use an id/);
  });
});
