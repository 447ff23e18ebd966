// Decodes photos with sharp into RGB pixels for detection: EXIF orientation applied, pixel limit enforced,
// shrunk on load to a detection size, every colour model (gray, alpha, CMYK, 16-bit) normalised to 8-bit sRGB.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { ENGINE_DEFAULTS } from '../../../shared/settings.ts';

export type ImageErrorCode =
  | 'NOT_FOUND' | 'UNREADABLE' | 'EMPTY_FILE' | 'NOT_AN_IMAGE' | 'CORRUPT_IMAGE' | 'IMAGE_TOO_LARGE' | 'UNSUPPORTED_FORMAT';

export class ImageError extends Error {
  constructor(readonly code: ImageErrorCode, message: string, readonly file?: string) {
    super(message);
    this.name = 'ImageError';
  }
}

export interface RgbImage {
  /** Interleaved 8-bit RGB, row-major. */
  data: Uint8Array;
  width: number;
  height: number;
}

export interface DecodedPhoto extends RgbImage {
  /** Size of the full image after EXIF rotation. */
  originalWidth: number;
  originalHeight: number;
  /** Multiply coordinates in `data` by this to get original-image coordinates. */
  scaleToOriginal: number;
  orientation: number;
  format: string;
}

function classify(err: unknown, file?: string): ImageError {
  const e = err as NodeJS.ErrnoException;
  const msg = e?.message ?? String(err);
  if (e?.code === 'ENOENT') return new ImageError('NOT_FOUND', 'file not found', file);
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return new ImageError('UNREADABLE', 'permission denied', file);
  if (e?.code === 'EISDIR' || e?.code === 'ELOOP') return new ImageError('UNREADABLE', msg, file);
  if (/pixel limit/i.test(msg)) return new ImageError('IMAGE_TOO_LARGE', `image exceeds the pixel limit: ${msg}`, file);
  if (/unsupported image format/i.test(msg)) return new ImageError('NOT_AN_IMAGE', 'not an image (unsupported or unrecognised format)', file);
  if (/premature end|truncated|corrupt|invalid|bad|unexpected end|vipsjpeg|pngload|read error|gifload|webp/i.test(msg)) {
    return new ImageError('CORRUPT_IMAGE', `corrupt or truncated image: ${msg.split('\n')[0]}`, file);
  }
  return new ImageError('CORRUPT_IMAGE', msg.split('\n')[0], file);
}

/**
 * Decodes `input` (a path or bytes) for detection. `maxSide` caps the longest side (0 = full size).
 * The file is read once and decoded once: the header (size, orientation) and the pixels come from one sharp
 * instance over the bytes in memory, the JPEG shrunk on load by DCT scaling.
 * Throws ImageError with a stable code for anything that cannot be read.
 */
export async function decodePhoto(
  input: string | Uint8Array,
  opts: { maxSide?: number; maxInputPixels?: number } = {},
): Promise<DecodedPhoto> {
  const file = typeof input === 'string' ? input : undefined;
  const maxSide = opts.maxSide ?? ENGINE_DEFAULTS.detectMaxSide;
  const limitInputPixels = opts.maxInputPixels ?? ENGINE_DEFAULTS.maxInputPixels;
  if (input instanceof Uint8Array && input.byteLength === 0) throw new ImageError('EMPTY_FILE', 'file is empty (0 bytes)', file);
  try {
    const src = typeof input === 'string' ? await readFile(input) : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (src.byteLength === 0) throw new ImageError('EMPTY_FILE', 'file is empty (0 bytes)', file);
    // pages: 1 takes the first frame of animated GIF/WebP.
    const image = sharp(src, { limitInputPixels, failOn: 'error', pages: 1 });
    const meta = await image.metadata();
    if (!meta.width || !meta.height) throw new ImageError('CORRUPT_IMAGE', 'image has no dimensions', file);
    const orientation = meta.orientation ?? 1;
    const swap = orientation >= 5 && orientation <= 8;
    const originalWidth = swap ? meta.height : meta.width;
    const originalHeight = swap ? meta.width : meta.height;
    const longest = Math.max(originalWidth, originalHeight);
    const scale = maxSide > 0 && longest > maxSide ? maxSide / longest : 1;
    const width = Math.max(1, Math.round(originalWidth * scale));
    const height = Math.max(1, Math.round(originalHeight * scale));
    // rotate() applies EXIF orientation.
    let pipeline = image.rotate();
    if (scale < 1) pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'lanczos3', fastShrinkOnLoad: true });
    const { data, info } = await pipeline
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ImageError('UNSUPPORTED_FORMAT', `decoded to ${info.channels} channels`, file);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      originalWidth,
      originalHeight,
      scaleToOriginal: originalWidth / info.width,
      orientation,
      format: meta.format ?? 'unknown',
    };
  } catch (err) {
    if (err instanceof ImageError) throw err;
    if (typeof input === 'string') {
      const { stat } = await import('node:fs/promises');
      const st = await stat(input).catch((e) => { throw classify(e, file); });
      if (st.size === 0) throw new ImageError('EMPTY_FILE', 'file is empty (0 bytes)', file);
    }
    throw classify(err, file);
  }
}
