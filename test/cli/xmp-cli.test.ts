// The XMP commands through the real CLI process: index reads a digiKam sidecar (and --no-xmp does not),
// export xmp --dry-run writes nothing and export xmp leaves a sidecar that already says it all, export person lists the photos,
// errors lists metadata problems; each process exits by itself (ExifTool's child process is ended).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';
import { digikamSidecar } from '../helpers/xmp-fixtures.ts';

describe.skipIf(!hasFaces)(`face-atlas XMP commands${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-xmp-cli-'));
  const lib = path.join(dir, 'photos');
  const db = path.join(dir, 'catalog.db');
  const sidecar = path.join(lib, 'kit.jpg.xmp');
  let original: string;

  beforeAll(() => {
    mkdirSync(lib);
    copyFileSync(face('groups/kit_with_rose.jpg'), path.join(lib, 'kit.jpg'));
    // digiKam's sidecar names Kit; Rose is left for FaceAtlas (and its user) to name.
    original = digikamSidecar(501, 700, [{ name: 'Kit Harington', x: 0.605, y: 0.18, w: 0.19, h: 0.16 }]);
    writeFileSync(sidecar, original);
    writeFileSync(path.join(lib, 'old.jpg.xmp'), original);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--no-xmp indexes faces without reading names', async () => {
    const r = await runCli(['index', lib, '--db', path.join(dir, 'plain.db'), '--no-xmp', '--no-thumbs', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ added: 1, faces: 2, xmpNames: { applied: 0 } });
    const p = await runCli(['people', '--db', path.join(dir, 'plain.db'), '--json']);
    expect(p.json.people.filter((x: { name: string | null }) => x.name)).toEqual([]);
  });

  it('index reads the sidecar: the face is named; errors lists the orphan sidecar', async () => {
    const r = await runCli(['index', lib, '--db', db, '--no-thumbs', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ added: 1, faces: 2, xmpNames: { applied: 1, newPeople: 1 }, metadataProblems: 1 });
    expect(r.stdout).toContain('XMP names: 1 face(s) named');
    const p = await runCli(['people', '--db', db, '--json']);
    expect(p.json.people.map((x: { name: string | null }) => x.name)).toContain('Kit Harington');
    const e = await runCli(['errors', '--db', db, '--json']);
    expect(e.json.metadata).toEqual([expect.objectContaining({ path: path.join(lib, 'old.jpg.xmp'), code: 'SIDECAR_WITHOUT_PHOTO' })]);
  });

  it('export xmp --dry-run writes nothing, export xmp leaves an up-to-date sidecar alone; export person lists the photo', async () => {
    const dry = await runCli(['export', 'xmp', '--db', db, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json).toMatchObject({ dryRun: true, failed: [], sidecars: [expect.objectContaining({ sidecar, named: 1 })] });
    expect(readFileSync(sidecar, 'utf8')).toBe(original);

    const kit = (await runCli(['people', '--db', db, '--json'])).json.people.find((x: { name: string | null }) => x.name === 'Kit Harington');
    const out = path.join(dir, 'kit.csv');
    const list = await runCli(['export', 'person', String(kit.id), '--db', db, '--format', 'csv', '--out', out]);
    expect(list.code, list.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\r\n')[1]).toMatch(new RegExp(`^${path.join(lib, 'kit.jpg').replace(/[/.]/g, '\\$&')},`));
    const json = await runCli(['export', 'person', 'Kit Harington', '--db', db, '--format', 'json']);
    expect(JSON.parse(json.stdout).photos).toHaveLength(1);

    // The sidecar already says what the catalog knows (the name came from it): it is not rewritten.
    const w = await runCli(['export', 'xmp', '--db', db, '--json']);
    expect(w.code, w.stderr).toBe(0);
    expect(w.json.sidecars).toEqual([expect.objectContaining({ sidecar, changed: false })]);
    expect(readFileSync(sidecar, 'utf8')).toBe(original);
  });
});
