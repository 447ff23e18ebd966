// Thumbnails cut on demand (missing from the cache, long after indexing) come from the photo only while
// its bytes are still the indexed ones: a file replaced by another image, or a link re-pointed at another
// file, is refused instead of decoded and shown under the old photo's name.
import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/engine/library/catalog/catalog.ts';
import { hashFile } from '../../../main/engine/library/indexer/hash.ts';
import { ThumbnailCache } from '../../../main/engine/library/thumbs/thumbnail-cache.ts';
import type { FivePoints } from '../../../main/engine/face/types.ts';

const landmarks: FivePoints = [[80, 70], [120, 70], [100, 90], [85, 110], [115, 110]];

describe('thumbnails cut on demand', () => {
  let dir: string;
  let catalog: Catalog;
  let thumbs: ThumbnailCache;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fa-thumbs-'));
    catalog = new Catalog(path.join(dir, 'catalog.db'));
    thumbs = new ThumbnailCache(catalog, path.join(dir, 'cache'));
  });
  afterAll(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Records the image at `file` as indexed, with its real hash, and one face. */
  async function indexed(file: string, colour: string): Promise<{ photoId: number; faceId: number }> {
    await sharp({ create: { width: 200, height: 160, channels: 3, background: colour } }).png().toFile(file);
    const { photoId, faceIds } = catalog.photos.insertAnalysed(
      { rootId: null, path: file, size: 1, mtimeMs: 1 },
      { contentHash: await hashFile(file), width: 200, height: 160, orientation: 1, takenAt: null },
      { detectorId: 'mtcnn', modelId: 'mobilefacenet-192', faces: [{ box: { x: 70, y: 50, width: 60, height: 70 }, landmarks, score: 0.99, source: 'detector', embedding: new Float32Array(192).fill(1 / Math.sqrt(192)), modelId: 'mobilefacenet-192', quality: { size: 60, sharpness: 100, frontal: 1 } }] },
    );
    return { photoId, faceId: faceIds[0] };
  }

  const meanRed = async (file: string): Promise<number> => (await sharp(file).stats()).channels[0].mean;

  it('are cut from the photo while it is the indexed one', async () => {
    const { photoId, faceId } = await indexed(path.join(dir, 'red.png'), '#ff0000');
    expect(await meanRed(await thumbs.ensurePhotoThumb(photoId))).toBeGreaterThan(200);
    expect(await meanRed(await thumbs.ensureFaceThumb(faceId))).toBeGreaterThan(200);
  });

  it('are refused when the file at the path is no longer the indexed photo', async () => {
    const file = path.join(dir, 'replaced.png');
    const { photoId, faceId } = await indexed(file, '#00ff00');
    // Replaced by another image after indexing; the thumbnails were never cut (or the cache was cleared).
    await sharp({ create: { width: 200, height: 160, channels: 3, background: '#ff0000' } }).png().toFile(file);
    await expect(thumbs.ensurePhotoThumb(photoId)).rejects.toThrow(/changed since it was indexed/);
    await expect(thumbs.ensureFaceThumb(faceId)).rejects.toThrow(/changed since it was indexed/);
  });

  it('are refused when a link now points at another file', async () => {
    const { photoId } = await indexed(path.join(dir, 'blue-copy.png'), '#0000ff');
    // The catalog's path becomes a link to a different image.
    const other = path.join(dir, 'other.png');
    await sharp({ create: { width: 200, height: 160, channels: 3, background: '#ff00ff' } }).png().toFile(other);
    unlinkSync(path.join(dir, 'blue-copy.png'));
    symlinkSync(other, path.join(dir, 'blue-copy.png'));
    await expect(thumbs.ensurePhotoThumb(photoId)).rejects.toThrow(/changed since it was indexed/);
  });
});
