// Adding `/` (or any folder holding /proc, /sys or /dev) is answered with a warning that those are never
// read, in the app as in the CLI; a photos folder is not. The indexer's own refusal is in scan-barriers.test.ts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createAppApi } from '../../main/api/app-api.ts';
import { systemFoldersInside } from '../../main/engine/library/indexer/scan.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fa-system-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test.skipIf(process.platform === 'win32')('the system folders a library folder holds', () => {
  expect(systemFoldersInside('/')).toEqual(['/proc', '/sys', '/dev']);
  expect(systemFoldersInside('/sys')).toEqual(['/sys']);
  expect(systemFoldersInside('/sys/class')).toEqual([]);
  expect(systemFoldersInside('/home')).toEqual([]);
  expect(systemFoldersInside('/pro')).toEqual([]);
});

test('adding a plain photos folder from the app gives no warning', async () => {
  const api = createAppApi({ dbFile: path.join(tmp, 'catalog.db'), host: { mode: 'web' } });
  try {
    const photos = path.join(tmp, 'photos');
    mkdirSync(photos);
    const reply = await api.handlers['library.addFolder']({ path: photos });
    expect(reply.folders.map((f) => f.path)).toEqual([photos]);
    expect(reply.warning).toBeUndefined();
    await api.library.idle();
  } finally {
    await api.close();
  }
});
