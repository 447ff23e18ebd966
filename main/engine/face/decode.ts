// Decodes photos into RGB pixels for detection: EXIF orientation applied, pixel limit enforced, shrunk on load
// to a detection size, every colour model (gray, alpha, CMYK, 16-bit) normalised to 8-bit sRGB. HEIC/HEIF and
// camera RAW files go through image-source.ts and then the same sharp pipeline.
import { ENGINE_DEFAULTS } from '../../../shared/settings.ts';
import { ImageError } from './image-error.ts';
import { openImage } from './image-source.ts';

export { ImageError, type ImageErrorCode } from './image-error.ts';

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
  opts: { maxSide?: number; maxInputPixels?: number; orientation?: number } = {},
): Promise<DecodedPhoto> {
  const file = typeof input === 'string' ? input : undefined;
  const maxSide = opts.maxSide ?? ENGINE_DEFAULTS.detectMaxSide;
  const limitInputPixels = opts.maxInputPixels ?? ENGINE_DEFAULTS.maxInputPixels;
  if (input instanceof Uint8Array && input.byteLength === 0) throw new ImageError('EMPTY_FILE', 'file is empty (0 bytes)', file);
  try {
    const image = await openImage(input, { limitInputPixels, orientation: opts.orientation });
    const { width: originalWidth, height: originalHeight } = image;
    const longest = Math.max(originalWidth, originalHeight);
    const scale = maxSide > 0 && longest > maxSide ? maxSide / longest : 1;
    const width = Math.max(1, Math.round(originalWidth * scale));
    const height = Math.max(1, Math.round(originalHeight * scale));
    let pipeline = image.pipeline();
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
      orientation: image.orientation,
      format: image.format,
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
