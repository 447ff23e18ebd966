// Two writers on one catalog wait for each other instead of aborting: three `face-atlas index` processes
// and a `face-atlas serve` rescan started together on one new catalog all finish, nothing is duplicated
// and SQLite's integrity check passes. Before: the second process to open a new catalog failed with
// "table roots already exists", and read-then-write transactions gave "database is locked".
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runCli } from '../helpers/cli.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';
import { startServe } from '../helpers/serve.ts';

const PHOTOS = ['Mary_Carey/Mary_Carey_0001.jpg', 'Mary_Carey/Mary_Carey_0002.jpg', 'Mary_Carey/Mary_Carey_0003.jpg', 'Jon_Voight/Jon_Voight_0001.jpg', 'Jon_Voight/Jon_Voight_0002.jpg', 'Jon_Voight/Jon_Voight_0003.jpg'];

/** One API call over the web-mode WebSocket. */
async function call(url: URL, method: string, params: unknown): Promise<any> {
  const ws = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`, { headers: { Origin: `http://${url.host}` } });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  try {
    return await new Promise((resolve) => {
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (m.type === 'reply' && m.id === 1) resolve(m);
      });
      ws.send(JSON.stringify({ id: 1, method, params }));
    });
  } finally {
    ws.close();
  }
}

describe.skipIf(!hasFaces)(`two writers on one catalog${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-writers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('three index runs and a serve rescan on one new catalog all finish; nothing duplicated; integrity ok', async () => {
    const lib = path.join(dir, 'photos');
    mkdirSync(lib);
    for (const p of PHOTOS) copyFileSync(face(p), path.join(lib, path.basename(p)));
    const db = path.join(dir, 'catalog.db');

    const serving = startServe(['--db', db, '--workers', '1']);
    const runs = [1, 2, 3].map(() => runCli(['index', lib, '--db', db, '--workers', '1', '--json']));
    const serve = await serving;
    const url = serve.url;
    let rescan: any;
    try {
      expect((await call(url, 'library.addFolder', { path: lib })).ok).toBe(true);
      for (;;) {
        rescan = await call(url, 'library.status', {});
        expect(rescan.ok).toBe(true);
        if (!rescan.result.progress.running) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await serve.stop();
    }
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(rescan.result.progress.phase).toBe('done');
    // Between them the runs added every photo exactly once (the others found it unchanged or already there).
    expect(results.reduce((n, r) => n + r.json.added, 0) + rescan.result.progress.added).toBeLessThanOrEqual(PHOTOS.length);

    const check = new Database(db, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare("SELECT COUNT(*) AS n FROM photos WHERE status = 'ok'").get()).toEqual({ n: PHOTOS.length });
      expect(check.prepare('SELECT COUNT(*) AS n FROM photos').get()).toEqual({ n: PHOTOS.length });
      expect(check.prepare('SELECT COUNT(*) AS n FROM roots').get()).toEqual({ n: 1 });
      // Each photo has its faces once: no photo holds two faces at the same place.
      expect(check.prepare('SELECT COUNT(*) AS n FROM (SELECT photo_id, x, y FROM faces GROUP BY photo_id, x, y HAVING COUNT(*) > 1)').get()).toEqual({ n: 0 });
      // Every person has faces, and the two identities are two people (not one per run).
      expect(check.prepare('SELECT COUNT(*) AS n FROM people WHERE id NOT IN (SELECT person_id FROM assignments)').get()).toEqual({ n: 0 });
      expect(check.prepare('SELECT COUNT(*) AS n FROM people').get()).toEqual({ n: 2 });
    } finally {
      check.close();
    }
    const status = await runCli(['status', '--db', db, '--json']);
    expect(status.json).toMatchObject({ photos: PHOTOS.length, people: 2, failed: 0 });
  }, 240_000);
});
