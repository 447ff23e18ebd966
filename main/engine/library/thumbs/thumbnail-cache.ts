// Photo and face thumbnails (WebP) in a cache folder, named by content hash and face box, never by the
// user's path; any missing one is cut again from its photo on demand.
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { ENGINE_DEFAULTS } from '../../../../shared/settings.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Face, Photo } from '../catalog/rows.ts';
import { isRawName, openImage } from '../../face/image-source.ts';
import type { Box } from '../../face/types.ts';
import { THUMB_DEFAULTS } from './constants.ts';

export type ThumbOptions = { -readonly [K in keyof typeof THUMB_DEFAULTS]: number };

interface Decoded {
  data: Buffer;
  width: number;
  height: number;
  /** Decoded pixels per original pixel. */
  scale: number;
}

/** The square crop around a face box with margin, kept inside the image (in original pixels). */
export function faceCrop(box: Box, imageWidth: number, imageHeight: number, margin: number): Box {
  let side = Math.max(box.width, box.height) * (1 + 2 * margin);
  side = Math.max(1, Math.min(side, imageWidth, imageHeight));
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x = Math.min(Math.max(0, cx - side / 2), imageWidth - side);
  const y = Math.min(Math.max(0, cy - side / 2), imageHeight - side);
  return { x, y, width: side, height: side };
}

export class ThumbnailCache {
  /** `<cacheDir>/thumbs`: everything this class writes is below it. */
  readonly dir: string;
  readonly options: ThumbOptions;

  constructor(private readonly catalog: Catalog, cacheDir: string, options: Partial<ThumbOptions> = {}) {
    this.dir = path.resolve(cacheDir, 'thumbs');
    this.options = { ...THUMB_DEFAULTS, ...options };
  }

  /** Relative name of a photo's thumbnail: by content, so renames and duplicates share it. */
  photoThumbName(contentHash: string): string {
    return path.join('photos', contentHash.slice(0, 2), `${contentHash}.webp`);
  }

  /** Relative name of a photo's screen-size image (the viewer's). */
  viewImageName(contentHash: string): string {
    return path.join('view', contentHash.slice(0, 2), `${contentHash}.webp`);
  }

  /** Relative name of a face thumbnail: by photo content and box, so a changed photo or face never shows a stale one. */
  faceThumbName(contentHash: string, box: Box): string {
    const b = [box.x, box.y, box.width, box.height].map((v) => Math.round(v)).join('_');
    return path.join('faces', contentHash.slice(0, 2), `${contentHash}-${b}.webp`);
  }

  /** Absolute path of a relative thumbnail name; refuses anything that would leave the cache folder. */
  resolve(name: string): string {
    const full = path.resolve(this.dir, name);
    if (!full.startsWith(this.dir + path.sep)) throw new Error(`thumbnail name outside the cache: ${name}`);
    return full;
  }

  /**
   * Writes the photo's thumbnail and all its face thumbnails from one decode; records the face names.
   * `pixels`: the photo as the engine decoded it (EXIF-rotated RGB); used when it has the resolution every
   * thumbnail needs, so the photo is not decoded a second time.
   */
  async writePhotoThumbs(photoId: number, pixels?: { data: Uint8Array; width: number; height: number }): Promise<void> {
    const photo = this.analysedPhoto(photoId);
    const faces = this.catalog.faces.ofPhoto(photo.id);
    const given = pixels && this.fromPixels(photo, faces, pixels);
    const decoded = given ?? await this.decode(photo, faces);
    await this.writePhoto(photo, decoded);
    const names = await Promise.all(faces.map((f) => this.writeFace(photo, f, decoded)));
    this.catalog.redoableTransaction(() => faces.forEach((f, i) => f.thumb !== names[i] && this.catalog.faces.setThumb(f.id, names[i])));
  }

  /** The photo's thumbnail, cut again if missing. */
  async ensurePhotoThumb(photoId: number): Promise<string> {
    const photo = this.analysedPhoto(photoId);
    const file = this.resolve(this.photoThumbName(photo.contentHash!));
    if (await exists(file)) return file;
    await this.writePhoto(photo, await this.decode(photo, [], await this.indexedBytes(photo)));
    return file;
  }

  /**
   * The photo at screen size for the viewer, made once from the catalog's own record of the file: only
   * from a file inside an indexed folder whose bytes are still the ones analysed (so the face boxes drawn
   * on it are right); read-only, like every read of a photo.
   */
  async ensureViewImage(photoId: number): Promise<string> {
    const photo = this.analysedPhoto(photoId);
    const file = this.resolve(this.viewImageName(photo.contentHash!));
    if (await exists(file)) return file;
    if (!this.inIndexedFolder(photo.path)) throw new Error(`photo ${photoId} is not inside an indexed folder`);
    const size = this.options.viewSize;
    const img = sharp(await this.indexedBytes(photo), { limitInputPixels: ENGINE_DEFAULTS.maxInputPixels, pages: 1, failOn: 'none' })
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .webp({ quality: this.options.quality, effort: this.options.webpEffort });
    await this.writeAtomically(file, await img.toBuffer());
    return file;
  }

  private inIndexedFolder(file: string): boolean {
    return this.catalog.roots.all().some((r) => file.startsWith(r.path.endsWith(path.sep) ? r.path : r.path + path.sep));
  }

  /** The face's thumbnail, cut again if missing. */
  async ensureFaceThumb(faceId: number): Promise<string> {
    const face = this.catalog.faces.get(faceId);
    if (!face) throw new Error(`face ${faceId} does not exist`);
    const photo = this.analysedPhoto(face.photoId);
    const name = this.faceThumbName(photo.contentHash!, face.box);
    const file = this.resolve(name);
    if (!(await exists(file))) await this.writeFace(photo, face, await this.decode(photo, [face], await this.indexedBytes(photo)));
    if (face.thumb !== name) this.catalog.faces.setThumb(face.id, name);
    return file;
  }

  private analysedPhoto(photoId: number): Photo {
    const photo = this.catalog.photos.get(photoId);
    if (!photo || !photo.contentHash || photo.width === null || photo.height === null) throw new Error(`photo ${photoId} has not been analysed`);
    if (photo.status === 'duplicate' && photo.duplicateOf !== null) return { ...this.analysedPhoto(photo.duplicateOf), path: photo.path };
    return photo;
  }

  /**
   * The photo's bytes, if they are still the ones indexed (same SHA-256): a thumbnail cut on demand,
   * long after indexing, must not show whatever the path holds now (another image, or a file a link now
   * points to). Read once, so what is checked is what is decoded.
   */
  private async indexedBytes(photo: Photo): Promise<Buffer> {
    const bytes = await readFile(photo.path);
    if (createHash('sha256').update(bytes).digest('hex') !== photo.contentHash) {
      throw new Error(`photo ${photo.id} changed since it was indexed (${photo.path}); index the library again`);
    }
    return bytes;
  }

  /** Decoded pixels per original pixel that the photo thumbnail and the smallest face crop need. */
  private neededScale(photo: Photo, faces: Face[]): number {
    const { photoSize, faceSize, faceMargin, maxDecodeSide } = this.options;
    const W = photo.width!;
    const H = photo.height!;
    let scale = Math.min(1, photoSize / Math.max(W, H));
    for (const f of faces) scale = Math.max(scale, Math.min(1, faceSize / faceCrop(f.box, W, H, faceMargin).width));
    return Math.min(scale, maxDecodeSide / Math.max(W, H), 1);
  }

  /** The engine's pixels as a decode, when they are this photo's and large enough for every thumbnail. */
  private fromPixels(photo: Photo, faces: Face[], pixels: { data: Uint8Array; width: number; height: number }): Decoded | null {
    const scale = pixels.width / photo.width!;
    // The same aspect (within a pixel of rounding) and at least the resolution a fresh decode would have.
    if (Math.abs(pixels.height - photo.height! * scale) > 1 || scale < this.neededScale(photo, faces) * 0.999) return null;
    return { data: Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), width: pixels.width, height: pixels.height, scale };
  }

  /** Decodes once, as small as the photo thumbnail and the smallest face crop allow; from `bytes` when given, else from the file. */
  private async decode(photo: Photo, faces: Face[], bytes?: Buffer): Promise<Decoded> {
    const W = photo.width!;
    const H = photo.height!;
    const scale = this.neededScale(photo, faces);
    const width = Math.max(1, Math.round(W * scale));
    const height = Math.max(1, Math.round(H * scale));
    // The same opening as detection (HEIC through libheif, RAW through its preview, which ExifTool reads from
    // the file), so boxes line up.
    const image = await openImage(bytes && !isRawName(photo.path) ? bytes : photo.path, { limitInputPixels: ENGINE_DEFAULTS.maxInputPixels });
    const { data, info } = await image.pipeline()
      .resize(width, height, { fit: 'fill', fastShrinkOnLoad: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, scale: info.width / W };
  }

  private raw(d: Decoded): Sharp {
    return sharp(d.data, { raw: { width: d.width, height: d.height, channels: 3 } });
  }

  private async writePhoto(photo: Photo, d: Decoded): Promise<void> {
    const size = this.options.photoSize;
    const img = this.raw(d).resize(size, size, { fit: 'inside', withoutEnlargement: true }).webp({ quality: this.options.quality, effort: this.options.webpEffort });
    await this.writeAtomically(this.resolve(this.photoThumbName(photo.contentHash!)), await img.toBuffer());
  }

  private async writeFace(photo: Photo, face: Face, d: Decoded): Promise<string> {
    const crop = faceCrop(face.box, photo.width!, photo.height!, this.options.faceMargin);
    const left = Math.min(d.width - 1, Math.max(0, Math.floor(crop.x * d.scale)));
    const top = Math.min(d.height - 1, Math.max(0, Math.floor(crop.y * d.scale)));
    const side = Math.max(1, Math.min(Math.round(crop.width * d.scale), d.width - left, d.height - top));
    const size = this.options.faceSize;
    const img = this.raw(d).extract({ left, top, width: side, height: side }).resize(size, size, { fit: 'cover' }).webp({ quality: this.options.quality, effort: this.options.webpEffort });
    const name = this.faceThumbName(photo.contentHash!, face.box);
    await this.writeAtomically(this.resolve(name), await img.toBuffer());
    return name;
  }

  /** Write-then-rename, so a reader (or a crash) never sees half a thumbnail. */
  private async writeAtomically(file: string, bytes: Buffer): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}
