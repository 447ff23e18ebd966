// What the scan never walks into: the app's own cache folders (a catalog kept inside the photo folder),
// system folders (/proc, /sys, /dev; a scan of / found 13,961 images through /proc/<pid>/cwd), and what
// it reports instead of skipping silently: file names that are not valid UTF-8.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanRoots } from '../../../main/engine/library/indexer/scan.ts';
import { isBarredPath } from '../../../main/engine/library/indexer/watch.ts';

describe('scan barriers', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fa-scan-barriers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never walks the excluded own folders, also when a link leads into them', async () => {
    const lib = path.join(dir, 'own');
    mkdirSync(path.join(lib, 'cache', 'thumbs', 'photos', 'ab'), { recursive: true });
    writeFileSync(path.join(lib, 'a.jpg'), 'x');
    writeFileSync(path.join(lib, 'cache', 'thumbs', 'photos', 'ab', 'ab12.webp'), 'x');
    symlinkSync(path.join(lib, 'cache'), path.join(lib, 'elsewhere'));
    const scan = await scanRoots([{ id: 1, path: lib }], { exclude: [path.join(lib, 'cache')] });
    expect(scan.files.map((f) => path.relative(lib, f.path))).toEqual(['a.jpg']);
    expect(scan.folderLoops).toEqual([]);
    // Without the exclusion the thumbnail is found: what happened before.
    const unguarded = await scanRoots([{ id: 1, path: lib }]);
    expect(unguarded.files.map((f) => path.relative(lib, f.path))).toContain(path.join('cache', 'thumbs', 'photos', 'ab', 'ab12.webp'));
  });

  it.skipIf(process.platform === 'win32')('does not follow links into /proc, /sys or /dev, and says so', async () => {
    const lib = path.join(dir, 'system');
    mkdirSync(lib);
    writeFileSync(path.join(lib, 'b.png'), 'x');
    for (const f of ['/proc', '/sys', '/dev', '/proc/self']) symlinkSync(f, path.join(lib, f.slice(1).replace('/', '-')));
    // Bounded: before the barrier this walked the whole machine through /proc/<pid>/root.
    const scan = await scanRoots([{ id: 1, path: lib }], { signal: AbortSignal.timeout(20_000) });
    expect(scan.files.map((f) => path.relative(lib, f.path))).toEqual(['b.png']);
    expect(scan.systemFolders.map((p) => [path.relative(lib, p.path), p.code]).sort()).toEqual([['dev', 'SYSTEM_FOLDER'], ['proc', 'SYSTEM_FOLDER'], ['proc-self', 'SYSTEM_FOLDER'], ['sys', 'SYSTEM_FOLDER']]);
    // A root that is one of them is not walked either.
    const root = await scanRoots([{ id: 2, path: '/proc' }], { signal: AbortSignal.timeout(20_000) });
    expect(root.files).toEqual([]);
    expect(root.systemFolders.map((p) => p.path)).toEqual(['/proc']);
  });

  it.skipIf(process.platform !== 'linux')('records a file name that is not valid UTF-8 instead of skipping it without a word', async () => {
    const lib = path.join(dir, 'names');
    mkdirSync(lib);
    writeFileSync(path.join(lib, 'ok.jpg'), 'x');
    writeFileSync(Buffer.concat([Buffer.from(`${lib}/caf`), Buffer.from([0xe9]), Buffer.from('.jpg')]), 'x');
    writeFileSync(Buffer.concat([Buffer.from(`${lib}/`), Buffer.from([0xff, 0xfe]), Buffer.from('é.png')]), 'x');
    const scan = await scanRoots([{ id: 1, path: lib }]);
    expect(scan.files.map((f) => path.basename(f.path))).toEqual(['ok.jpg']);
    expect(scan.fileProblems.map((p) => [path.basename(p.path), p.code]).sort()).toEqual([['\\xff\\xfeé.png', 'BAD_FILE_NAME'], ['caf\\xe9.jpg', 'BAD_FILE_NAME']]);
    expect(scan.fileProblems[0].message).toMatch(/not valid UTF-8/);
  });

  it('the watcher bars the same folders and everything inside them', () => {
    const own = path.join(dir, 'lib', 'cache');
    expect(isBarredPath(own, [own])).toBe(true);
    expect(isBarredPath(path.join(own, 'thumbs', 'x.webp'), [own])).toBe(true);
    expect(isBarredPath(path.join(dir, 'lib', 'cache2', 'x.jpg'), [own])).toBe(false);
    expect(isBarredPath(path.join(dir, 'lib', 'a.jpg'), [own])).toBe(false);
    if (process.platform !== 'win32') expect(isBarredPath('/proc/1/cwd/x.jpg', [])).toBe(true);
  });
});
