// The viewer's screen-size image: made from the catalog's own record of a real photo, only from a file
// inside an indexed folder whose bytes are still the ones analysed (same SHA-256), cached by content.
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/engine/library/catalog/catalog.ts';
import { ThumbnailCache } from '../../../main/engine/library/thumbs/thumbnail-cache.ts';
import { face, hasFaces, noFacesReason } from '../../helpers/data.ts';

if (!hasFaces) console.warn(noFacesReason);

describe.skipIf(!hasFaces)('view images', () => {
  let dir: string;
  let catalog: Catalog;
  let thumbs: ThumbnailCache;

  /** Records a real photo file as analysed (what the indexer would have written), in or out of a root. */
  function record(file: string, rootId: number | null): number {
    const st = statSync(file);
    return catalog.photos.insertAnalysed(
      { rootId, path: file, size: st.size, mtimeMs: st.mtimeMs },
      { contentHash: createHash('sha256').update(readFileSync(file)).digest('hex'), width: 1920, height: 1440, orientation: 1, takenAt: null },
      { detectorId: 'd', modelId: 'm', faces: [] },
    ).photoId;
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-view-'));
    mkdirSync(path.join(dir, 'root'));
    mkdirSync(path.join(dir, 'elsewhere'));
    catalog = new Catalog(path.join(dir, 'catalog.db'));
    thumbs = new ThumbnailCache(catalog, path.join(dir, 'cache'), { viewSize: 800 });
  });

  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the photo at the view size, upright, in the cache, and served again without reading the photo', async () => {
    const root = catalog.roots.add(path.join(dir, 'root'));
    const file = path.join(dir, 'root', 'group.jpg');
    copyFileSync(face('groups/human_group-1.jpg'), file);
    const id = record(file, root.id);
    const out = await thumbs.ensureViewImage(id);
    expect(out.startsWith(thumbs.dir + path.sep)).toBe(true);
    const meta = await sharp(out).metadata();
    expect(meta.format).toBe('webp');
    expect([meta.width, meta.height]).toEqual([800, 600]);
    // Cached: a later change to the file does not matter to an image already made from the analysed content.
    appendFileSync(file, Buffer.from('changed'));
    await expect(thumbs.ensureViewImage(id)).resolves.toBe(out);
  });

  it('refuses a file that changed since it was indexed, and one outside every indexed folder', async () => {
    const root = catalog.roots.add(path.join(dir, 'root'));
    const changed = path.join(dir, 'root', 'changed.jpg');
    copyFileSync(face('groups/human_group-2.jpg'), changed);
    const changedId = record(changed, root.id);
    appendFileSync(changed, Buffer.from('new bytes'));
    await expect(thumbs.ensureViewImage(changedId)).rejects.toThrow(/changed since it was indexed/);

    const outside = path.join(dir, 'elsewhere', 'outside.jpg');
    copyFileSync(face('groups/human_group-3.jpg'), outside);
    await expect(thumbs.ensureViewImage(record(outside, null))).rejects.toThrow(/not inside an indexed folder/);
    // A folder whose name only starts like the root's is not inside it.
    mkdirSync(path.join(dir, 'root-other'));
    const lookalike = path.join(dir, 'root-other', 'x.jpg');
    copyFileSync(face('groups/human_group-3.jpg'), lookalike);
    await expect(thumbs.ensureViewImage(record(lookalike, null))).rejects.toThrow(/not inside an indexed folder/);
  });
});
