// Thumbnail files for the bridges: a face or photo id to a file inside the cache folder, cut on demand.
// Paths only ever come from ThumbnailCache (whose resolve() refuses names that leave the cache).
import type { ThumbKind } from '../../shared/rpc.ts';
import type { ThumbnailCache } from '../engine/library/thumbs/thumbnail-cache.ts';

/** Parses the `<kind>/<id>` tail of a thumbnail URL strictly; anything else (dots, slashes, signs) is null. */
export function parseThumbRequest(tail: string): { kind: ThumbKind; id: number } | null {
  const m = /^(face|photo|view)\/([1-9][0-9]{0,15})$/.exec(tail);
  if (!m) return null;
  const id = Number(m[2]);
  return Number.isSafeInteger(id) ? { kind: m[1] as ThumbKind, id } : null;
}

/** Absolute path of the thumbnail, or null when the face or photo does not exist (or cannot be read). */
export async function thumbnailFile(thumbs: ThumbnailCache, kind: ThumbKind, id: number): Promise<string | null> {
  try {
    if (kind === 'view') return await thumbs.ensureViewImage(id);
    return kind === 'face' ? await thumbs.ensureFaceThumb(id) : await thumbs.ensurePhotoThumb(id);
  } catch {
    return null;
  }
}

export const THUMB_CONTENT_TYPE = 'image/webp';
