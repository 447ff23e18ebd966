// The CLI and odd catalogs: an empty or foreign file is reported and never overwritten (item 5), read
// commands work on a catalog in a read-only folder and write commands say why they cannot (item 9),
// names and paths cannot inject terminal escapes (item 7), and `people | head` ends quietly (item 10).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import type { FivePoints } from '../../main/engine/face/types.ts';
import { runCli } from '../helpers/cli.ts';
import { repoRoot } from '../e2e/harness.ts';

const bin = path.join(repoRoot, 'bin', 'face-atlas.js');
const landmarks: FivePoints = [[80, 70], [120, 70], [100, 90], [85, 110], [115, 110]];
/** The library's default embedding model (the one its settings name). */
const FUSED = 'fused-mfn192-dlib128';
const HOSTILE_NAME = 'Eve\x1b[2J\x1b]0;pwned\x07\u202eevil';

/** A catalog of `people` people with one synthetic face each, the first one named HOSTILE_NAME. */
function makeCatalog(file: string, people: number): void {
  const catalog = new Catalog(file);
  try {
    catalog.transaction(() => {
      for (let i = 0; i < people; i++) {
        const embedding = new Float32Array(320);
        embedding[i % 320] = 1;
        const { faceIds } = catalog.photos.insertAnalysed(
          { rootId: null, path: `/photos/p${i}.jpg`, size: 1, mtimeMs: 1 },
          { contentHash: i.toString(16).padStart(64, '0'), width: 200, height: 160, orientation: 1, takenAt: null },
          { detectorId: 'mtcnn', modelId: FUSED, faces: [{ box: { x: 70, y: 50, width: 60, height: 70 }, landmarks, score: 0.99, source: 'detector', embedding, modelId: FUSED, quality: { size: 60, sharpness: 100, frontal: 1 } }] },
        );
        const person = catalog.people.create(i === 0 ? HOSTILE_NAME : `Person ${i}`);
        catalog.people.assign(faceIds[0], person.id, 'user');
      }
    });
  } finally {
    catalog.close();
  }
}

describe('the CLI on odd catalogs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-catalog-safety-'));
  const db = path.join(dir, 'catalog.db');
  beforeAll(() => makeCatalog(db, 3000));
  afterAll(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an empty (0-byte) catalog is reported as damaged and never re-created', async () => {
    const empty = path.join(dir, 'empty.db');
    writeFileSync(empty, '');
    for (const args of [['status'], ['errors'], ['people'], ['cluster'], ['index', dir]]) {
      const r = await runCli([...args, '--db', empty]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/empty \(0 bytes\).*left untouched/);
      expect(statSync(empty).size).toBe(0);
    }
  });

  it('a file that is not a catalog (text, or another SQLite database) is reported and left as it was', async () => {
    const text = path.join(dir, 'notes.db');
    writeFileSync(text, 'these are my notes, not a database\n'.repeat(200));
    const before = readFileSync(text);
    const nothing = path.join(dir, 'nothing');
    mkdirSync(nothing);
    for (const args of [['status'], ['index', nothing]]) {
      const r = await runCli([...args, '--db', text]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not a FaceAtlas catalog/);
    }
    expect(readFileSync(text).equals(before)).toBe(true);

    const foreign = path.join(dir, 'foreign.db');
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(foreign);
    other.exec('CREATE TABLE mine (x); INSERT INTO mine VALUES (42);');
    other.close();
    const r = await runCli(['index', nothing, '--db', foreign]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a FaceAtlas catalog/);
    const check = new Database(foreign, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'mine' }]);
    check.close();
  });

  it('person names cannot put escape sequences on the terminal', async () => {
    const r = await runCli(['people', '--db', db]);
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- the escapes are what is looked for
    expect(r.stdout).not.toMatch(/[\x1b\x07\u202e]/);
    expect(r.stdout).toContain('Eve\\x1b[2J\\x1b]0;pwned\\x07\\u202eevil');
    // JSON keeps the name exactly (escaped by JSON itself).
    const j = await runCli(['people', '--db', db, '--json']);
    expect(j.json.people.find((p: { name: string }) => p.name === HOSTILE_NAME)).toBeDefined();
  });

  it('`people | head -1` ends quietly: no EPIPE stack trace', () => {
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${bin}" people --db "${db}" | head -1`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    // And the same with a reader that closes the pipe after the first chunk, status of the CLI itself.
    return new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'people', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => {
        try {
          expect(stderr).toBe('');
          expect(code).toBe(0);
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
  });

  // As root, permissions do not stop writes: run the CLI as an unprivileged user there.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const canDropPrivileges = process.getuid?.() !== 0 || spawnSync(process.execPath, ['-e', '0'], asUser).status === 0;

  it.skipIf(process.platform === 'win32' || !canDropPrivileges)('read commands work on a catalog in a read-only folder; write commands say why they cannot', () => {
    const roDir = path.join(dir, 'readonly');
    mkdirSync(roDir);
    const roDb = path.join(roDir, 'catalog.db');
    makeCatalog(roDb, 3);
    chmodSync(roDb, 0o444);
    chmodSync(roDir, 0o555);
    chmodSync(dir, 0o755);
    try {
      const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args, '--db', roDb], { ...asUser, encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } });
      const status = run(['status', '--json']);
      expect(status.status, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout.trim().split('\n').pop()!)).toMatchObject({ photos: 3, people: 3 });
      expect(run(['errors']).status).toBe(0);
      const people = run(['people']);
      expect(people.status, people.stderr).toBe(0);
      expect(people.stdout).toContain('Person 2');
      const cluster = run(['cluster']);
      expect(cluster.status).toBe(1);
      expect(cluster.stderr).toMatch(/cannot write the catalog .*read-only.*read commands \(status, errors, people\) still work/);
      expect(cluster.stderr).not.toMatch(/at .*\.ts:/);
    } finally {
      chmodSync(roDir, 0o755);
    }
  });
});
