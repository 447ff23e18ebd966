// The library commands of the real CLI on a real SQLite file: index, status, errors, people, cluster, map, train.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';

describe.skipIf(!hasFaces)(`face-atlas library commands${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-libcli-'));
  const lib = path.join(dir, 'photos');
  const db = path.join(dir, 'catalog.db');

  beforeAll(() => {
    mkdirSync(lib);
    for (const f of ['Mary_Carey_0001.jpg', 'Mary_Carey_0002.jpg', 'Mary_Carey_0003.jpg']) copyFileSync(face(`Mary_Carey/${f}`), path.join(lib, f));
    for (const f of ['Jon_Voight_0001.jpg', 'Jon_Voight_0002.jpg', 'Jon_Voight_0003.jpg']) copyFileSync(face(`Jon_Voight/${f}`), path.join(lib, f));
    writeFileSync(path.join(lib, 'notes.jpg'), 'not a photo');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('status before any index says how to start', async () => {
    const r = await runCli(['status', '--db', path.join(dir, 'none.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/face-atlas index/);
  });

  it('index, then status and errors report photos, faces, people and the bad file', async () => {
    const r = await runCli(['index', lib, '--db', db, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.added).toBe(6);
    expect(r.json.failed).toBe(1);
    expect(r.json.people.people).toBe(2); // two identities with three photos each become two people
    const s = await runCli(['status', '--db', db, '--json']);
    expect(s.json).toMatchObject({ photos: 6, failed: 1, people: 2 });
    expect(s.json.faces).toBeGreaterThanOrEqual(6);
    const e = await runCli(['errors', '--db', db, '--json']);
    expect(e.json.failures).toEqual([{ path: path.join(lib, 'notes.jpg'), code: 'NOT_AN_IMAGE', message: expect.any(String) }]);
    const again = await runCli(['index', lib, '--db', db, '--json']);
    expect(again.json.unchanged).toBe(7);
    expect(again.json.added).toBe(0);
  });

  it('people and cluster list and re-group the people', async () => {
    const p = await runCli(['people', '--db', db, '--json']);
    expect(p.json.people).toHaveLength(2);
    expect(p.json.people.map((x: { faceCount: number }) => x.faceCount)).toEqual([3, 3]);
    const c = await runCli(['cluster', '--db', db, '--json']);
    expect(c.json.people).toBe(2);
  });

  it('map writes one point per face and reuses its cache', async () => {
    const out = path.join(dir, 'map.json');
    const first = await runCli(['map', '--db', db, '--method', 'umap', '--out', out, '--json']);
    expect(first.json.fromCache).toBe(false);
    const second = await runCli(['map', '--db', db, '--method', 'umap', '--json']);
    expect(second.json.fromCache).toBe(true);
    expect(second.json.faces).toBe(first.json.faces);
  });

  it('train refuses clearly when fewer than two people are confirmed', async () => {
    const r = await runCli(['train', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/at least two people/);
  });
});
