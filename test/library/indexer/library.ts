// Builds small photo libraries for indexer tests in a temp folder: copies of real dev photos, and
// generated bad input (every case the quality bar lists) with the failure code each must get.
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { face } from '../../helpers/data.ts';

/** Real photos with clear faces (LFW, lab, web photos and two groups): cheap to analyse, all detected. */
export const GOOD_PHOTOS = [
  'Jon_Voight/Jon_Voight_0001.jpg',
  'Jon_Voight/Jon_Voight_0002.jpg',
  'Mary_Carey/Mary_Carey_0001.jpg',
  'Mary_Carey/Mary_Carey_0002.jpg',
  'Tom_Jones/Tom_Jones_0001.jpg',
  'Tom_Jones/Tom_Jones_0002.jpg',
  'Kit_Harington/Kit_Harington_0001.jpg',
  'Rose_Leslie/Rose_Leslie_0001.jpg',
  'Human_StockEmotions_A/Human_StockEmotions_A_0001.jpg',
  'Human_StockEmotions_A/Human_StockEmotions_A_0002.jpg',
  'John_Lennon/John_Lennon_0002.jpg',
  'groups/kit_with_rose.jpg',
  'groups/bbt3.jpg',
];

/** Copies real photos into `dir` (flat, original names) and returns their paths. */
export function copyPhotos(dir: string, rel: string[] = GOOD_PHOTOS): string[] {
  mkdirSync(dir, { recursive: true });
  return rel.map((r) => {
    const to = path.join(dir, path.basename(r));
    copyFileSync(face(r), to);
    return to;
  });
}

/** A different file of the same picture (new bytes, same pixels to within JPEG loss). */
export async function reencode(from: string, to: string, quality = 90): Promise<void> {
  await sharp(from).jpeg({ quality }).toFile(to);
}

/** Rewrites the size in a JPEG's start-of-frame header, so the decoder refuses it before allocating pixels. */
function claimHugeJpeg(bytes: Buffer, side: number): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 2; i < out.length - 9; ) {
    if (out[i] !== 0xff) throw new Error('not a JPEG segment');
    const marker = out[i + 1];
    const len = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) {
      out.writeUInt16BE(side, i + 5);
      out.writeUInt16BE(side, i + 7);
      return out;
    }
    i += 2 + len;
  }
  throw new Error('no start-of-frame marker');
}

export interface BadInput {
  name: string;
  /** The error code the catalog must record; null: a valid image that must be indexed with its faces. */
  code: string | null;
}

/**
 * Writes the bad-input cases and the unusual-but-valid images into `dir`. `portrait` is a real photo
 * with one clear face used as the source of the valid variants.
 */
export async function writeBadInputs(dir: string, portrait: string): Promise<BadInput[]> {
  mkdirSync(dir, { recursive: true });
  const cases: BadInput[] = [];
  const put = (name: string, bytes: Buffer | string, code: string | null): void => {
    writeFileSync(path.join(dir, name), bytes);
    cases.push({ name, code });
  };
  const jpeg = readFileSync(portrait);
  const png = await sharp(portrait).png().toBuffer();

  put('empty.jpg', Buffer.alloc(0), 'EMPTY_FILE');
  put('truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length * 0.4)), 'CORRUPT_IMAGE');
  put('truncated.png', png.subarray(0, Math.floor(png.length * 0.5)), 'CORRUPT_IMAGE');
  put('notes.jpg', 'This is a text file with a photo name.\n'.repeat(20), 'NOT_AN_IMAGE');
  put('huge.jpg', claimHugeJpeg(jpeg, 60000), 'IMAGE_TOO_LARGE');
  // Not a HEIF container at all (sharp's prebuilt libvips reads AVIF but not HEVC-coded HEIC either).
  put('random-bytes.heic', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)), 'NOT_AN_IMAGE');

  // Valid but unusual: each must be indexed with a face.
  put('cmyk.jpg', await sharp(portrait).toColourspace('cmyk').jpeg().toBuffer(), null);
  put('sixteen-bit.png', await sharp(portrait).toColourspace('rgb16').png().toBuffer(), null);
  put('gray.jpg', await sharp(portrait).grayscale().jpeg().toBuffer(), null);
  put('alpha.png', await sharp(portrait).ensureAlpha(0.6).png().toBuffer(), null);
  put('still.webp', await sharp(portrait).webp({ quality: 85 }).toBuffer(), null);
  put('still.tiff', await sharp(portrait).tiff().toBuffer(), null);
  put('still.avif', await sharp(portrait).avif({ quality: 60 }).toBuffer(), null);
  const frame1 = await sharp(portrait).resize(240).png().toBuffer();
  const frame2 = await sharp(portrait).resize(240).modulate({ brightness: 1.2 }).png().toBuffer();
  put('animated.gif', await sharp([frame1, frame2], { join: { animated: true } }).gif({ loop: 0, delay: [200, 200] }).toBuffer(), null);
  // Stored rotated with EXIF orientation 6 ("rotate 90 clockwise to view"): upright once the tag is applied.
  put('exif-rotated.jpg', await sharp(portrait).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer(), null);
  put('with space.jpg', await sharp(portrait).jpeg({ quality: 88 }).toBuffer(), null);
  put('Zoë 名前 🎉.jpg', await sharp(portrait).jpeg({ quality: 87 }).toBuffer(), null);
  put('new\nline.jpg', await sharp(portrait).jpeg({ quality: 86 }).toBuffer(), null);

  // Links: to a file inside the library (a duplicate path), to nothing, and in a loop.
  symlinkSync(path.join(dir, 'gray.jpg'), path.join(dir, 'link-to-gray.jpg'));
  cases.push({ name: 'link-to-gray.jpg', code: null });
  symlinkSync(path.join(dir, 'no-such-file.jpg'), path.join(dir, 'broken-link.jpg'));
  cases.push({ name: 'broken-link.jpg', code: 'BROKEN_SYMLINK' });
  symlinkSync(path.join(dir, 'loop-b.jpg'), path.join(dir, 'loop-a.jpg'));
  symlinkSync(path.join(dir, 'loop-a.jpg'), path.join(dir, 'loop-b.jpg'));
  cases.push({ name: 'loop-a.jpg', code: 'SYMLINK_LOOP' }, { name: 'loop-b.jpg', code: 'SYMLINK_LOOP' });
  // A folder link back to the library root: must not be walked forever.
  mkdirSync(path.join(dir, 'sub'));
  symlinkSync(dir, path.join(dir, 'sub', 'back-to-top'));
  // A named pipe with a photo name: reading it would block forever.
  execFileSync('mkfifo', [path.join(dir, 'pipe.jpg')]);
  cases.push({ name: 'pipe.jpg', code: 'NOT_A_FILE' });
  // Hidden and system folders are never indexed.
  for (const hidden of ['.git', '@eaDir', '$RECYCLE.BIN']) {
    mkdirSync(path.join(dir, hidden));
    copyFileSync(portrait, path.join(dir, hidden, 'ignored.jpg'));
  }
  writeFileSync(path.join(dir, '._appledouble.jpg'), 'resource fork');
  return cases;
}
