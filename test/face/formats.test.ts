// HEIC/HEIF and camera RAW on real files the test builds from dev photos: a HEIC made with Debian's heif-enc
// gives the faces of the JPEG it came from, a DNG with an embedded preview gives the faces of that preview
// turned by the RAW's orientation, and truncated, preview-less or oversized files get clear error codes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysePhotoFile } from '../../main/engine/face/analyse.ts';
import { initBackend } from '../../main/engine/face/backend.ts';
import { decodePhoto, ImageError } from '../../main/engine/face/decode.ts';
import { MtcnnDetector } from '../../main/engine/face/detect/mtcnn/detector.ts';
import { l2Distance as l2distance } from '../../main/engine/math/vectors.ts';
import { MobileFaceNetEmbedder } from '../../main/engine/face/embed/mobilefacenet.ts';
import { isHevcHeif, orient } from '../../main/engine/face/image-source.ts';
import type { PhotoAnalysis } from '../../main/engine/face/types.ts';
import { boxIoU } from '../../main/engine/library/indexer/match-faces.ts';
import { endExifTool } from '../../main/engine/metadata/exiftool.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';
import { buildDng, hasHeifEnc, heifEnc, noHeifEncReason } from '../helpers/raw-files.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fa-formats-'));
let detector: MtcnnDetector;
let embedder: MobileFaceNetEmbedder;

beforeAll(async () => {
  await initBackend();
  detector = await MtcnnDetector.create();
  embedder = await MobileFaceNetEmbedder.create();
});
afterAll(async () => {
  await endExifTool();
  rmSync(tmp, { recursive: true, force: true });
});

async function expectCode(p: Promise<unknown>, code: string): Promise<ImageError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ImageError);
  expect((err as ImageError).code).toBe(code);
  return err as ImageError;
}

/** Every face of `a` has one in `b` at the same place with a close embedding, and the counts agree. */
function expectSameFaces(a: PhotoAnalysis, b: PhotoAnalysis, maxDistance: number): void {
  expect(b.faces).toHaveLength(a.faces.length);
  expect(a.faces.length).toBeGreaterThan(0);
  for (const f of a.faces) {
    const best = b.faces.map((g) => ({ g, iou: boxIoU(f.box, g.box) })).sort((x, y) => y.iou - x.iou)[0];
    expect(best.iou).toBeGreaterThan(0.8);
    expect(l2distance(best.g.embedding, f.embedding)).toBeLessThan(maxDistance);
  }
}

describe('orientation by hand (RAW previews carry no orientation of their own)', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i turns the pixels as sharp turns a JPEG tagged with it', async (o) => {
    // An asymmetric picture: a gradient with a dark corner, so every mirror and rotation differs.
    const w = 24, h = 16;
    const pixels = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixels.set([x * 10, y * 15, x < 6 && y < 4 ? 0 : 200], (y * w + x) * 3);
    const tagged = await sharp(pixels, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 100 }).withMetadata({ orientation: o }).toBuffer();
    const bySharp = await sharp(tagged).rotate().raw().toBuffer({ resolveWithObject: true });
    const byHand = await orient(sharp(tagged), o).raw().toBuffer({ resolveWithObject: true });
    expect([byHand.info.width, byHand.info.height]).toEqual([bySharp.info.width, bySharp.info.height]);
    expect(byHand.data.equals(bySharp.data)).toBe(true);
  });
});

describe('HEIF brand sniffing', () => {
  const ftyp = (major: string, ...compatible: string[]) => {
    const b = Buffer.alloc(16 + 4 * compatible.length);
    b.writeUInt32BE(b.length, 0);
    b.write('ftyp', 4, 'latin1');
    b.write(major, 8, 'latin1');
    compatible.forEach((c, i) => b.write(c, 16 + 4 * i, 'latin1'));
    return b;
  };
  it('takes HEVC-coded HEIF and leaves AVIF and JPEG to libvips', () => {
    expect(isHevcHeif(ftyp('heic', 'mif1', 'heic'))).toBe(true);
    expect(isHevcHeif(ftyp('mif1', 'mif1', 'heic'))).toBe(true);
    expect(isHevcHeif(ftyp('avif', 'mif1', 'avif'))).toBe(false);
    expect(isHevcHeif(ftyp('mif1', 'mif1', 'avif'))).toBe(false);
    expect(isHevcHeif(Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.alloc(20)]))).toBe(false);
  });
});

describe.skipIf(!hasFaces || !hasHeifEnc)(`HEIC${!hasFaces ? ` (${noFacesReason})` : !hasHeifEnc ? ` (${noHeifEncReason})` : ''}`, () => {
  // bbt4: six clear faces. (bbt1 holds a face-like shape at detector score 0.87 in the JPEG that HEVC nudges over 0.9.)
  const jpeg = () => face('groups/bbt4.jpg');
  const heic = path.join(tmp, 'bbt4.heic');
  const multi = path.join(tmp, 'multi.heic');
  beforeAll(() => {
    heifEnc(heic, [jpeg()]);
    heifEnc(multi, [face('groups/longoria-cooper.jpg'), face('groups/kit_with_rose.jpg')], 60);
  });

  it('a HEIC made from a dev photo gives the same faces as the JPEG it came from', async () => {
    const fromJpeg = await analysePhotoFile(jpeg(), detector, embedder);
    const fromHeic = await analysePhotoFile(heic, detector, embedder);
    expect([fromHeic.width, fromHeic.height]).toEqual([fromJpeg.width, fromJpeg.height]);
    expect(fromJpeg.faces.length).toBe(6);
    // HEVC at q92 changes pixels a little; the same face re-encoded at JPEG q60-q80 moved at most 0.48 (settings.ts).
    expectSameFaces(fromJpeg, fromHeic, 0.48);
  });

  it('takes the primary image of a multi-image HEIC', async () => {
    const d = await decodePhoto(multi, { maxSide: 0 });
    expect(d.format).toBe('heif');
    expect([d.originalWidth, d.originalHeight]).toEqual([293, 473]); // longoria-cooper, the first (primary) input
  });

  it('refuses a truncated HEIC, an oversized one and bytes that only claim to be HEIC, with clear codes', async () => {
    const whole = readFileSync(heic);
    const truncated = path.join(tmp, 'truncated.heic');
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 3)));
    const e = await expectCode(decodePhoto(truncated), 'CORRUPT_IMAGE');
    expect(e.message).toMatch(/HEIF/);
    const { width, height } = await sharp(jpeg()).metadata();
    await expectCode(decodePhoto(heic, { maxInputPixels: width! * height! - 1 }), 'IMAGE_TOO_LARGE');
    expect((await decodePhoto(heic, { maxInputPixels: width! * height! })).originalWidth).toBe(width);
    const header = path.join(tmp, 'header-only.heic');
    writeFileSync(header, whole.subarray(0, 40));
    await expectCode(decodePhoto(header), 'CORRUPT_IMAGE');
    expect(readFileSync(heic).equals(whole)).toBe(true);
  });
});

describe.skipIf(!hasFaces)(`RAW through the embedded preview${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  it('a DNG with a full-size preview and orientation 6 gives the faces of the upright photo', async () => {
    const src = face('groups/kit_with_rose.jpg');
    // The camera stores the sensor's (landscape) pixels and tags "rotate 90 CW": undo that rotation for the preview.
    const stored = await sharp(src).rotate(270).jpeg({ quality: 95 }).toBuffer({ resolveWithObject: true });
    const dng = path.join(tmp, 'IMG_0001.dng');
    writeFileSync(dng, buildDng({ preview: { jpeg: stored.data, width: stored.info.width, height: stored.info.height }, orientation: 6 }));
    const original = await analysePhotoFile(src, detector, embedder);
    const raw = await analysePhotoFile(dng, detector, embedder);
    expect(raw.orientation).toBe(6);
    expect([raw.width, raw.height]).toEqual([original.width, original.height]);
    expect(original.faces.length).toBe(2);
    expectSameFaces(original, raw, 0.48);
  });

  it('a RAW without a preview, a file that is no RAW, and a missing RAW get clear codes', async () => {
    const bare = path.join(tmp, 'bare.dng');
    writeFileSync(bare, buildDng({ orientation: 1 }));
    const e = await expectCode(decodePhoto(bare), 'NO_PREVIEW');
    expect(e.message).toMatch(/preview/);
    const text = path.join(tmp, 'notes.cr2');
    writeFileSync(text, 'not a camera file at all\n'.repeat(20));
    await expectCode(decodePhoto(text), 'NOT_AN_IMAGE');
    await expectCode(decodePhoto(path.join(tmp, 'missing.nef')), 'NOT_FOUND');
  });
});
