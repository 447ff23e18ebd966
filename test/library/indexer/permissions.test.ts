// Files and folders the indexing user may not read. Tests here run as root, which reads everything,
// so the index run is started in a child process as the unprivileged user 'nobody' (uid 65534).
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/engine/library/catalog/catalog.ts';
import { face, hasFaces, noFacesReason } from '../../helpers/data.ts';
import { type ChildOptions, runChild } from './child.ts';
import { copyPhotos } from './library.ts';

if (!hasFaces) console.warn(noFacesReason);

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const unprivileged: ChildOptions = asRoot ? { uid: NOBODY, gid: NOBODY } : {};

describe.skipIf(!hasFaces || process.platform === 'win32')('unreadable photos and folders', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-perm-'));
    chmodSync(dir, 0o777);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records an unreadable photo as UNREADABLE and keeps the photos of a folder it cannot list', async () => {
    const lib = path.join(dir, 'library');
    copyPhotos(lib, ['Jon_Voight/Jon_Voight_0001.jpg', 'Mary_Carey/Mary_Carey_0001.jpg']);
    mkdirSync(path.join(lib, 'locked'));
    copyFileSync(face('Tom_Jones/Tom_Jones_0001.jpg'), path.join(lib, 'locked', 'inside.jpg'));
    const env = { HOME: dir, XDG_DATA_HOME: dir };
    const config = { catalog: path.join(dir, 'catalog.db'), roots: [lib], workers: 1 };
    const first = await runChild(config, { ...unprivileged, env });
    expect(first.finished).toBe(true);

    // Now the folder cannot be listed and a new photo cannot be read by the indexing user.
    chmodSync(path.join(lib, 'locked'), 0o000);
    const secret = path.join(lib, 'secret.jpg');
    copyFileSync(face('Tom_Jones/Tom_Jones_0002.jpg'), secret);
    chmodSync(secret, 0o000);
    const second = await runChild(config, { ...unprivileged, env });
    chmodSync(path.join(lib, 'locked'), 0o755);

    expect(second.lines.filter((l) => l.e === 'warning')).toMatchObject([{ code: 'FOLDER_UNREADABLE', path: path.join(lib, 'locked') }]);
    const catalog = new Catalog(config.catalog);
    try {
      expect(catalog.photos.liveByPath(secret)).toMatchObject({ status: 'failed', errorCode: 'UNREADABLE', errorMessage: 'permission denied' });
      // Not retired: the folder may hold it still; the indexer just could not look.
      expect(catalog.photos.liveByPath(path.join(lib, 'locked', 'inside.jpg'))).toMatchObject({ status: 'ok' });
      expect(catalog.stats()).toMatchObject({ photos: 3, failed: 1, retired: 0 });
    } finally {
      catalog.close();
    }
    expect(existsSync(secret)).toBe(true);
  });
});
