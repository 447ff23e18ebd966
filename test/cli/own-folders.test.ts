// A catalog kept inside the photo folder: its thumbnails (cached beside it) were indexed as photos, 3
// photos became 30 over four runs and thumbnail faces joined people. Now the app's own folders are never
// indexed, and a file whose name is not valid UTF-8 is listed by `errors` instead of skipped silently.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';

describe.skipIf(!hasFaces)(`a catalog inside the photo folder${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-own-folders-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never indexes its own thumbnails; re-runs change nothing', async () => {
    const lib = path.join(dir, 'photos');
    mkdirSync(lib);
    for (const p of ['Mary_Carey/Mary_Carey_0001.jpg', 'Jon_Voight/Jon_Voight_0001.jpg', 'Jon_Voight/Jon_Voight_0002.jpg']) copyFileSync(face(p), path.join(lib, path.basename(p)));
    const badName = process.platform === 'linux';
    if (badName) writeFileSync(Buffer.concat([Buffer.from(`${lib}/caf`), Buffer.from([0xe9]), Buffer.from('.jpg')]), 'x');
    const db = path.join(lib, 'catalog.db');

    const first = await runCli(['index', lib, '--db', db, '--workers', '1', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.added).toBe(3);
    // The thumbnails are there, inside the photo folder.
    expect(existsSync(path.join(lib, 'cache', 'thumbs'))).toBe(true);
    expect(readdirSync(path.join(lib, 'cache', 'thumbs'), { recursive: true }).filter((f) => String(f).endsWith('.webp')).length).toBeGreaterThanOrEqual(6);

    for (let run = 0; run < 2; run++) {
      const again = await runCli(['index', lib, '--db', db, '--workers', '1', '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.json.added).toBe(0);
    }
    const status = await runCli(['status', '--db', db, '--json']);
    expect(status.json).toMatchObject({ photos: 3, duplicates: 0 });
    if (badName) {
      expect(status.json.failed).toBe(1);
      const errors = await runCli(['errors', '--db', db, '--json']);
      expect(errors.json.failures).toEqual([{ path: path.join(lib, 'caf\\xe9.jpg'), code: 'BAD_FILE_NAME', message: expect.stringMatching(/not valid UTF-8/) }]);
    }
  }, 180_000);
});
