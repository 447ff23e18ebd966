// The people and settings verbs of the real CLI on a real catalog of real photos: every verb changes what
// `people --json` reports (whose shape stays), undo reverts, history lists the edits in words, and
// `settings set` is what `cluster` and `index` use.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';

type Person = { id: number; name: string | null; hidden: boolean; coverFaceId: number | null; faceCount: number };

describe.skipIf(!hasFaces)(`face-atlas people and settings verbs${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-peoplecli-'));
  const lib = path.join(dir, 'photos');
  const db = path.join(dir, 'catalog.db');
  const cli = (...args: string[]) => runCli([...args, '--db', db]);
  const people = async (...extra: string[]): Promise<Person[]> => (await cli('people', '--json', ...extra)).json.people;
  let mary: Person;
  let jon: Person;

  beforeAll(async () => {
    mkdirSync(lib);
    for (const f of ['Mary_Carey_0001.jpg', 'Mary_Carey_0002.jpg', 'Mary_Carey_0003.jpg']) copyFileSync(face(`Mary_Carey/${f}`), path.join(lib, f));
    for (const f of ['Jon_Voight_0001.jpg', 'Jon_Voight_0002.jpg', 'Jon_Voight_0003.jpg']) copyFileSync(face(`Jon_Voight/${f}`), path.join(lib, f));
    copyFileSync(face('groups/bbt1.jpg'), path.join(lib, 'bbt1.jpg'));
    const r = await cli('index', lib, '--json');
    expect(r.code, r.stderr).toBe(0);
    [mary, jon] = await people();
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('people --json keeps its shape', async () => {
    const list = await people();
    expect(list).toHaveLength(2);
    for (const p of list) expect(Object.keys(p).sort()).toEqual(['coverFaceId', 'faceCount', 'hidden', 'id', 'name']);
  });

  it('people name names a person, refuses a name another person has, and history lists it', async () => {
    const r = await cli('people', 'name', String(mary.id), 'Mary', 'Carey');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('Named a person Mary Carey');
    expect((await people()).find((p) => p.id === mary.id)?.name).toBe('Mary Carey');
    const dup = await cli('people', 'name', String(jon.id), 'mary carey');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(new RegExp(`person ${mary.id} is already named "Mary Carey": merge with "face-atlas people merge ${jon.id} ${mary.id}"`));
    expect((await people()).find((p) => p.id === jon.id)?.name).toBeNull();
    const bad = await cli('people', 'name', 'x', 'Bob');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/person id must be a positive whole number, not "x"/);
    const h = await cli('people', 'history', '--json');
    expect(h.json.edits[0]).toMatchObject({ summary: 'Named a person Mary Carey', undone: false, kind: 'rename' });
  });

  it('people merge joins two people; people undo separates them again', async () => {
    const m = await cli('people', 'merge', String(jon.id), String(mary.id), '--json');
    expect(m.code, m.stderr).toBe(0);
    expect(m.json.summary).toBe(`Merged an unnamed person (${jon.faceCount} faces) into Mary Carey (${mary.faceCount} faces)`);
    const merged = await people();
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: mary.id, name: 'Mary Carey', faceCount: mary.faceCount + jon.faceCount });
    const u = await cli('people', 'undo');
    expect(u.stdout.trim()).toBe(`Undid: Merged an unnamed person (${jon.faceCount} faces) into Mary Carey (${mary.faceCount} faces)`);
    const back = await people();
    expect(back.map((p) => [p.id, p.faceCount]).sort()).toEqual([[mary.id, mary.faceCount], [jon.id, jon.faceCount]].sort());
    const h = (await cli('people', 'history', '--json')).json.edits;
    expect(h[0]).toMatchObject({ kind: 'merge', undone: true });
  });

  it('people hide takes a person out of the list (--hidden shows it); show brings it back', async () => {
    expect((await cli('people', 'hide', String(jon.id))).stdout.trim()).toBe('Hid an unnamed person');
    expect((await people()).map((p) => p.id)).toEqual([mary.id]);
    expect((await people('--hidden')).find((p) => p.id === jon.id)?.hidden).toBe(true);
    await cli('people', 'show', String(jon.id));
    expect((await people()).find((p) => p.id === jon.id)?.hidden).toBe(false);
  });

  it('people move sends a face to another person or to a new one', async () => {
    const status = await runCli(['status', '--db', db, '--json']);
    expect(status.code).toBe(0);
    // A face of Jon's: the person's cover.
    const face = (await people()).find((p) => p.id === jon.id)!.coverFaceId!;
    const toNew = await cli('people', 'move', String(face), 'new', '--json');
    expect(toNew.code, toNew.stderr).toBe(0);
    expect(toNew.json.summary).toBe('Moved 1 face to a new person');
    const created = (await people()).find((p) => p.id === toNew.json.personId);
    expect(created?.faceCount).toBe(1);
    const toMary = await cli('people', 'move', String(face), String(mary.id));
    expect(toMary.stdout.trim()).toBe('Moved 1 face to Mary Carey');
    expect((await people()).find((p) => p.id === mary.id)?.faceCount).toBe(mary.faceCount + 1);
    const missing = await cli('people', 'move', '999999', String(mary.id));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/face 999999 does not exist/);
    await cli('people', 'undo');
    await cli('people', 'undo');
    expect((await people()).find((p) => p.id === jon.id)?.faceCount).toBe(jon.faceCount);
  });

  it('people faces lists face ids; people ignore takes a face out of unassigned; undo brings it back', async () => {
    const waiting = await cli('people', 'faces', 'unassigned', '--json');
    expect(waiting.code, waiting.stderr).toBe(0);
    expect(waiting.json.total).toBeGreaterThan(0); // the group photo's strangers
    expect(waiting.json.total).toBe((await cli('people', '--json')).json.unassigned);
    const id = waiting.json.faces[0].faceId as number;
    expect(waiting.json.faces[0].path.startsWith(lib)).toBe(true);
    const ofMary = await cli('people', 'faces', String(mary.id), '--json');
    expect(ofMary.json.total).toBe(mary.faceCount);
    const r = await cli('people', 'ignore', String(id));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('Ignored 1 face');
    const after = await cli('people', 'faces', 'unassigned', '--json');
    expect(after.json.total).toBe(waiting.json.total - 1);
    expect(after.json.faces.map((f: { faceId: number }) => f.faceId)).not.toContain(id);
    expect((await cli('people', 'faces', 'ignored', '--json')).json.faces.map((f: { faceId: number }) => f.faceId)).toEqual([id]);
    expect((await cli('people', 'history', '--json')).json.edits[0].summary).toBe('Ignored 1 face');
    await cli('people', 'undo');
    expect((await cli('people', 'faces', 'unassigned', '--json')).json.total).toBe(waiting.json.total);
    expect((await cli('people', 'faces', 'nobody')).stderr).toMatch(/person id must be a positive whole number, not "nobody"/);
  });

  it('settings shows the value in effect; settings set threshold 0.75 is what cluster uses; empty restores the default', async () => {
    const s = await cli('settings', '--json');
    expect(s.code, s.stderr).toBe(0);
    expect(s.json.settings.threshold).toBeNull();
    expect(s.json.effective.threshold).toBe(0.8);
    const set = await runCli(['settings', 'set', 'threshold', '0.75', '--db', db]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^threshold = 0\.75\npeople re-grouped: .*threshold 0\.75/);
    expect((await cli('settings', '--json')).json.effective.threshold).toBe(0.75);
    const c = await cli('cluster', '--json');
    expect(c.json.threshold).toBe(0.75);
    // Decisions stay through the re-grouping.
    expect((await people()).find((p) => p.id === mary.id)?.name).toBe('Mary Carey');
    // A flag still wins for one run.
    expect((await cli('cluster', '--threshold', '0.7', '--json')).json.threshold).toBe(0.7);
    const reset = await runCli(['settings', 'set', 'threshold', '', '--db', db]);
    expect(reset.code, reset.stderr).toBe(0);
    expect((await cli('cluster', '--json')).json.threshold).toBe(0.8);
    const minFaces = await runCli(['settings', 'set', 'min-faces', '3', '--db', db, '--json']);
    expect(minFaces.json.settings.minFaces).toBe(3);
    expect((await cli('cluster', '--json')).json.minFaces).toBe(3);
    await runCli(['settings', 'set', 'min-faces', 'default', '--db', db]);
  });

  it('settings set refuses bad values with a clear message and changes nothing', async () => {
    for (const [key, value, message] of [
      ['threshold', 'abc', /threshold must be a number, not "abc"/],
      ['threshold', '5', /threshold must be a distance from 0.05 to 2, not "5"/],
      ['minFaces', '2.5', /minFaces must be a whole number from 1 to 100/],
      ['embedder', 'resnet', /embedder must be/],
      ['colour', 'red', /unknown setting "colour"/],
    ] as const) {
      const r = await runCli(['settings', 'set', key, value, '--db', db]);
      expect(r.code, `${key} ${value}`).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    expect((await cli('settings', '--json')).json.settings).toEqual({ detector: 'mtcnn', embedder: 'fused', threshold: null, minFaces: null, workers: 0 });
  });

  it('index reads photos with the saved embedder', async () => {
    const set = await runCli(['settings', 'set', 'embedder', 'mobilefacenet', '--db', db]);
    expect(set.stdout).toMatch(/next "face-atlas index" reads the library again with mobilefacenet-192/);
    const r = await cli('index', lib, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect((await cli('cluster', '--json')).json.modelId).toBe('mobilefacenet-192');
    await runCli(['settings', 'set', 'embedder', 'fused', '--db', db]);
  }, 300_000);
});
