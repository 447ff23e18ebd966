// Opens any photo we read as an upright sharp pipeline: what libvips decodes natively (JPEG, PNG, WebP, TIFF,
// GIF, AVIF), HEIC/HEIF through libheif compiled to WebAssembly (sharp's prebuilt libvips has no HEVC decoder),
// and camera RAW files through the full-size JPEG preview they embed, turned by the RAW's own orientation.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { INDEXER_DEFAULTS } from '../../../shared/settings.ts';
import { ImageError } from './image-error.ts';

export interface OpenedImage {
  /** The pipeline on the upright image (orientation applied); call once. */
  pipeline(): Sharp;
  /** Size of the upright image. */
  width: number;
  height: number;
  /** EXIF orientation that was applied (1 when none; HEIF's own rotation boxes are applied by libheif). */
  orientation: number;
  format: string;
}

export interface OpenOptions {
  limitInputPixels: number;
  /** The orientation of bytes that do not carry their own (a RAW's preview, passed on by the engine). */
  orientation?: number;
}

const rawExtensions = new Set(INDEXER_DEFAULTS.rawExtensions);

export function isRawName(file: string): boolean {
  return rawExtensions.has(path.extname(file).toLowerCase());
}

/** HEIF brands of HEVC-coded still images (ISO/IEC 23008-12); AVIF (also HEIF) stays with libvips. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/** True for an ISO-BMFF 'ftyp' header of an HEVC-coded HEIF file. */
export function isHevcHeif(head: Uint8Array): boolean {
  if (head.length < 16) return false;
  const ascii = (from: number) => String.fromCharCode(...head.subarray(from, from + 4));
  if (ascii(4) !== 'ftyp') return false;
  const boxSize = Math.min(head.length, new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0));
  const brands = [ascii(8)];
  for (let o = 16; o + 4 <= boxSize; o += 4) brands.push(ascii(o));
  if (brands.includes('avif') || brands.includes('avis')) return false;
  return brands.some((b) => HEVC_BRANDS.has(b)) || brands[0] === 'mif1' || brands[0] === 'msf1';
}

/**
 * Applies an EXIF orientation by hand (sharp's rotate() only reads the tag from the input itself).
 * sharp mirrors before it rotates, so 5 (transpose) is a horizontal mirror then 270 degrees clockwise.
 */
export function orient(image: Sharp, orientation: number): Sharp {
  const mirror = orientation === 2 || orientation === 5 || orientation === 7;
  const angle = ({ 3: 180, 4: 0, 5: 270, 6: 90, 7: 90, 8: 270 } as Record<number, number>)[orientation] ?? 0;
  const out = orientation === 4 ? image.flip() : mirror ? image.flop() : image;
  return angle ? out.rotate(angle) : out;
}

// ------------------------------------------------------------------ HEIF

/** Enum values and handles of libheif's embind API are opaque objects. */
type Opaque = object;

interface LibHeif {
  ready?: Promise<void>;
  heif_error_Ok: Opaque;
  heif_colorspace_RGB: Opaque;
  heif_chroma_interleaved_RGBA: Opaque;
  heif_channel_interleaved: Opaque;
  heif_context_alloc(): Opaque | null;
  heif_context_free(ctx: Opaque): void;
  heif_context_read_from_memory(ctx: Opaque, data: Uint8Array): { code: Opaque; message: string };
  heif_js_context_get_primary_image_handle(ctx: Opaque): (Opaque & { code?: Opaque; message?: string }) | null;
  heif_image_handle_get_width(handle: Opaque): number;
  heif_image_handle_get_height(handle: Opaque): number;
  heif_image_handle_release(handle: Opaque): void;
  heif_js_decode_image2(handle: Opaque, colorspace: Opaque, chroma: Opaque): Promise<
    { code?: Opaque; message?: string; image: Opaque; channels: { id: Opaque; width: number; height: number; stride: number; data: Uint8Array }[] } | null>;
  heif_image_release(image: Opaque): void;
}

let libheif: Promise<LibHeif> | null = null;

/** libheif-js's WebAssembly build (about 2 MB), loaded on the first HEIF file of this thread. */
function loadLibheif(): Promise<LibHeif> {
  libheif ??= import('libheif-js/wasm-bundle.js').then(async (m) => {
    const lib = ((m as { default?: LibHeif }).default ?? m) as LibHeif;
    await lib.ready;
    return lib;
  });
  return libheif;
}

/** embind enum values carry their number in `value`. */
const enumValue = (c: unknown): number => (typeof c === 'object' && c !== null ? Number((c as { value?: number }).value) : Number(c));

/** Decodes the primary image of an HEIC/HEIF file to RGBA, its rotation and mirroring boxes applied. */
export async function decodeHeif(bytes: Uint8Array, limitInputPixels: number, file?: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const lib = await loadLibheif();
  const ctx = lib.heif_context_alloc();
  if (!ctx) throw new ImageError('CORRUPT_IMAGE', 'HEIF decoder could not start (out of memory?)', file);
  let handle: Opaque | null = null;
  try {
    const read = lib.heif_context_read_from_memory(ctx, bytes);
    if (enumValue(read.code) !== enumValue(lib.heif_error_Ok)) throw new ImageError('CORRUPT_IMAGE', `corrupt or truncated HEIF image: ${read.message.trim()}`, file);
    const h = lib.heif_js_context_get_primary_image_handle(ctx);
    if (!h || h.code) throw new ImageError('CORRUPT_IMAGE', `HEIF file has no primary image ${h?.message ?? ''}`.trim(), file);
    handle = h;
    const width = lib.heif_image_handle_get_width(handle);
    const height = lib.heif_image_handle_get_height(handle);
    if (!width || !height) throw new ImageError('CORRUPT_IMAGE', 'HEIF image has no dimensions', file);
    if (limitInputPixels > 0 && width * height > limitInputPixels) {
      throw new ImageError('IMAGE_TOO_LARGE', `image exceeds the pixel limit: ${width} x ${height} > ${limitInputPixels} pixels`, file);
    }
    const img = await lib.heif_js_decode_image2(handle, lib.heif_colorspace_RGB, lib.heif_chroma_interleaved_RGBA);
    if (!img || (img.code && enumValue(img.code) !== enumValue(lib.heif_error_Ok)) || !img.channels) {
      throw new ImageError('CORRUPT_IMAGE', `corrupt or truncated HEIF image: ${img?.message?.trim() ?? 'decoding failed'}`, file);
    }
    try {
      const plane = img.channels.find((c) => enumValue(c.id) === enumValue(lib.heif_channel_interleaved));
      if (!plane) throw new ImageError('CORRUPT_IMAGE', 'HEIF image decoded without pixels', file);
      const row = plane.width * 4;
      const data = new Uint8Array(row * plane.height);
      for (let y = 0; y < plane.height; y++) data.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
      return { data, width: plane.width, height: plane.height };
    } finally {
      lib.heif_image_release(img.image);
    }
  } finally {
    if (handle) lib.heif_image_handle_release(handle);
    lib.heif_context_free(ctx);
  }
}

// ------------------------------------------------------------------ RAW

/** Binary tags where cameras keep their JPEG previews, as ExifTool names them. */
const PREVIEW_TAGS = ['JpgFromRaw', 'PreviewImage', 'OtherImage'] as const;

/**
 * The largest JPEG preview embedded in a RAW file and the RAW's EXIF orientation, through ExifTool (main
 * thread only: the engine extracts it before handing the bytes to a worker).
 */
export async function rawPreview(file: string): Promise<{ jpeg: Buffer; orientation: number }> {
  const { exiftool } = await import('../metadata/exiftool.ts');
  const et = await exiftool();
  const tags = await et.read(file).catch((err: Error) => {
    throw new ImageError('CORRUPT_IMAGE', `RAW file could not be read: ${err.message.split('\n')[0]}`, file);
  }) as Record<string, unknown>;
  if (typeof tags.Error === 'string') {
    if (/file not found/i.test(tags.Error)) throw new ImageError('NOT_FOUND', 'file not found', file);
    throw new ImageError('NOT_AN_IMAGE', `not a RAW file ExifTool can read: ${tags.Error}`, file);
  }
  if (typeof tags.MIMEType !== 'string' || !tags.MIMEType.startsWith('image/')) {
    throw new ImageError('NOT_AN_IMAGE', `not a RAW file (ExifTool reads it as ${String(tags.FileType ?? 'unknown')})`, file);
  }
  const sizes = PREVIEW_TAGS.map((tag) => ({ tag, bytes: Number((tags[tag] as { bytes?: number } | undefined)?.bytes ?? 0) }))
    .filter((p) => p.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  if (!sizes.length) throw new ImageError('NO_PREVIEW', 'RAW file has no embedded JPEG preview (RAW files are read through the preview the camera stores)', file);
  const jpeg = await et.extractBinaryTagToBuffer(sizes[0].tag, file).catch((err: Error) => {
    throw new ImageError('CORRUPT_IMAGE', `RAW preview could not be extracted: ${err.message.split('\n')[0]}`, file);
  });
  const o = Number(tags.Orientation);
  return { jpeg, orientation: Number.isInteger(o) && o >= 1 && o <= 8 ? o : 1 };
}

// ------------------------------------------------------------------ any photo

/**
 * Opens a photo (a path or its bytes). A RAW path is read through its preview here; the engine passes RAW
 * previews as bytes with `orientation` instead, so workers never start ExifTool.
 */
export async function openImage(input: string | Uint8Array, opts: OpenOptions): Promise<OpenedImage> {
  const file = typeof input === 'string' ? input : undefined;
  const { limitInputPixels } = opts;
  let src: string | Buffer = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let orientation = opts.orientation;
  let format: string | undefined;
  if (file && isRawName(file)) {
    await stat(file); // a missing file is NOT_FOUND, whatever ExifTool would say
    const preview = await rawPreview(file);
    src = preview.jpeg;
    orientation = preview.orientation;
    format = `raw-${path.extname(file).slice(1).toLowerCase()}`;
  }

  // Read once: the header, the pixels and (in the indexer) the hash all come from the same bytes.
  const bytes = typeof src === 'string' ? await readFile(src) : src;
  if (bytes.byteLength === 0) throw new ImageError('EMPTY_FILE', 'file is empty (0 bytes)', file);
  if (isHevcHeif(bytes.subarray(0, 64))) {
    const { data, width, height } = await decodeHeif(bytes, limitInputPixels, file);
    const raw = { width, height, channels: 4 as const };
    return { pipeline: () => sharp(data, { raw }), width, height, orientation: 1, format: 'heif' };
  }

  // One sharp instance for the header and the pixels; pages: 1 takes the first frame of animated GIF/WebP.
  const image = sharp(bytes, { limitInputPixels, failOn: 'error', pages: 1 });
  const meta = await image.metadata();
  if (!meta.width || !meta.height) throw new ImageError('CORRUPT_IMAGE', 'image has no dimensions', file);
  const applied = orientation ?? meta.orientation ?? 1;
  const swap = applied >= 5 && applied <= 8;
  // rotate() applies the file's own EXIF orientation; a RAW preview is turned by the RAW's.
  const pipeline = orientation === undefined ? () => image.rotate() : () => orient(image, orientation);
  return { pipeline, width: swap ? meta.height : meta.width, height: swap ? meta.width : meta.height, orientation: applied, format: format ?? meta.format ?? 'unknown' };
}
