// The face engine on real photos from ../shared/data/faces: detection counts in group photos, EXIF
// rotations, identity distances, tight crops, tensor leaks, bad input, and the worker pool.
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../main/engine/face/backend.ts';
import { analysePhotoFile } from '../../main/engine/face/analyse.ts';
import { MtcnnDetector } from '../../main/engine/face/detect/mtcnn/detector.ts';
import { l2Distance } from '../../main/engine/math/vectors.ts';
import { MobileFaceNetEmbedder } from '../../main/engine/face/embed/mobilefacenet.ts';
import { createFaceEngine } from '../../main/engine/face/engine.ts';
import { decodePhoto, ImageError } from '../../main/engine/face/decode.ts';
import { embedFaces, findFaces, mainFaceIndex } from '../../main/engine/face/pipeline.ts';
import { face, hasFaces, noFacesReason } from '../helpers/data.ts';

let detector: MtcnnDetector;
let embedder: MobileFaceNetEmbedder;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fa-engine-'));

beforeAll(async () => {
  await initBackend();
  detector = await MtcnnDetector.create();
  embedder = await MobileFaceNetEmbedder.create();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function mainEmbedding(file: string): Promise<Float32Array> {
  const r = await analysePhotoFile(file, detector, embedder, { fallback: 'centre' });
  const i = mainFaceIndex(r.faces, r.width, r.height);
  expect(i).toBeGreaterThanOrEqual(0);
  return r.faces[i].embedding;
}

describe.skipIf(!hasFaces)(`engine on real photos${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  // Counted by eye on the photos; the tolerance allows one missed or extra face in the crowded ones.
  it.each([
    ['groups/kit_with_rose.jpg', 2, 0],
    ['groups/longoria-cooper.jpg', 2, 0],
    ['groups/bbt1.jpg', 4, 0],
    ['groups/bbt4.jpg', 6, 0],
    ['groups/solvay1927.jpg', 29, 2],
  ])('finds the faces of %s (%i +- %i), boxes and landmarks inside the image', async (rel, expected, tolerance) => {
    const r = await analysePhotoFile(face(rel), detector, embedder);
    expect(Math.abs(r.faces.length - expected)).toBeLessThanOrEqual(tolerance);
    for (const f of r.faces) {
      expect(f.box.x).toBeGreaterThanOrEqual(0);
      expect(f.box.y).toBeGreaterThanOrEqual(0);
      expect(f.box.x + f.box.width).toBeLessThanOrEqual(r.width + 1e-6);
      expect(f.box.y + f.box.height).toBeLessThanOrEqual(r.height + 1e-6);
      // Eyes above the mouth, left eye left of the right eye: the landmark order is right.
      const [le, re, , ml, mr] = f.landmarks;
      expect(le[0]).toBeLessThan(re[0]);
      expect(Math.max(le[1], re[1])).toBeLessThan(Math.min(ml[1], mr[1]));
      expect(f.embedding).toHaveLength(192);
      expect(Math.hypot(...f.embedding)).toBeCloseTo(1, 4);
    }
  });

  it.each([3, 6, 8])('EXIF orientation %i: a rotated copy gives the same faces in the same places', async (orientation) => {
    const src = face('groups/kit_with_rose.jpg');
    // Store pixels rotated the opposite way and tag the orientation, so the displayed photo equals the original.
    const undo = { 3: 180, 6: 270, 8: 90 }[orientation]!;
    const file = path.join(tmp, `rotated-${orientation}.jpg`);
    await sharp(src).rotate(undo).withMetadata({ orientation }).jpeg({ quality: 95 }).toFile(file);
    const original = await analysePhotoFile(src, detector, embedder);
    const rotated = await analysePhotoFile(file, detector, embedder);
    expect(rotated.orientation).toBe(orientation);
    expect([rotated.width, rotated.height]).toEqual([original.width, original.height]);
    expect(rotated.faces).toHaveLength(original.faces.length);
    for (const f of original.faces) {
      const match = rotated.faces.find((g) => Math.hypot(g.box.x - f.box.x, g.box.y - f.box.y) < 0.1 * f.box.width);
      expect(match, 'a face at the same place').toBeDefined();
      expect(l2Distance(match!.embedding, f.embedding)).toBeLessThan(0.5);
    }
  });

  it('puts same-person distances below different-person ones', async () => {
    const people = {
      Katy_Perry: ['Katy_Perry_0001.jpg', 'Katy_Perry_0002.jpg', 'Katy_Perry_0003.jpg'],
      Mary_Carey: ['Mary_Carey_0001.jpg', 'Mary_Carey_0002.jpg', 'Mary_Carey_0003.jpg'],
      Jon_Voight: ['Jon_Voight_0001.jpg', 'Jon_Voight_0002.jpg', 'Jon_Voight_0003.jpg'],
    };
    const emb: { who: string; v: Float32Array }[] = [];
    for (const [who, files] of Object.entries(people)) for (const f of files) emb.push({ who, v: await mainEmbedding(face(`${who}/${f}`)) });
    const same: number[] = [], diff: number[] = [];
    for (let i = 0; i < emb.length; i++) for (let j = i + 1; j < emb.length; j++) {
      (emb[i].who === emb[j].who ? same : diff).push(l2Distance(emb[i].v, emb[j].v));
    }
    expect(Math.max(...same)).toBeLessThan(Math.min(...diff));
  });

  it('finds landmarks in tight pre-cropped faces (BBT 150x150 gray crops, ORL lab crops)', async () => {
    for (const rel of ['BBT_Amy/BBT_Amy_0001.png', 'BBT_Sheldon/BBT_Sheldon_0002.png', 'ORL_s01/ORL_s01_0001.png']) {
      const img = await decodePhoto(face(rel));
      const faces = await findFaces(detector, img, { fallback: 'auto' });
      expect(faces.length, rel).toBeGreaterThanOrEqual(1);
      const m = faces[mainFaceIndex(faces, img.width, img.height)];
      const [le, re, nose] = m.landmarks;
      expect(le[0]).toBeLessThan(nose[0]);
      expect(nose[0]).toBeLessThan(re[0]);
    }
  });

  it('leaks no tensor across 100 detect + embed calls', async () => {
    const img = await decodePhoto(face('Tom_Jones/Tom_Jones_0001.jpg'), { maxSide: 160 });
    const faces = await detector.detect(img);
    await embedFaces(img, faces, embedder, true);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      const f = await detector.detect(img);
      await embedFaces(img, f, embedder, i % 10 === 0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs in the worker pool with the same result as in this thread', async () => {
    const engine = await createFaceEngine({ workers: 2, embedder: 'mobilefacenet' });
    try {
      const file = face('groups/bbt1.jpg');
      const [pooled, local] = await Promise.all([engine.analysePhoto(file), analysePhotoFile(file, detector, embedder)]);
      expect(engine.modelId).toBe('mobilefacenet-192');
      expect(pooled.faces).toHaveLength(local.faces.length);
      pooled.faces.forEach((f, i) => expect(l2Distance(f.embedding, local.faces[i].embedding)).toBeLessThan(1e-4));
      await expect(engine.analysePhoto(path.join(tmp, 'missing.jpg'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await engine.close();
    }
  });
});

describe('bad input gets a typed ImageError', () => {
  it.each([
    ['empty.jpg', () => Buffer.alloc(0), 'EMPTY_FILE'],
    ['text.jpg', () => Buffer.from('hello, this is not a photo\n'), 'NOT_AN_IMAGE'],
  ])('%s -> %s', async (name, make, code) => {
    const file = path.join(tmp, name);
    writeFileSync(file, make());
    await expect(decodePhoto(file)).rejects.toMatchObject({ name: 'ImageError', code });
  });

  it('a truncated JPEG is CORRUPT_IMAGE', async () => {
    const good = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#884422' } }).jpeg().toBuffer();
    const file = path.join(tmp, 'truncated.jpg');
    writeFileSync(file, good.subarray(0, Math.floor(good.length / 2)));
    await expect(decodePhoto(file)).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
  });

  it('an image over the pixel limit is refused before decoding', async () => {
    const file = path.join(tmp, 'big.png');
    await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#000' } }).png().toFile(file);
    await expect(decodePhoto(file, { maxInputPixels: 1_000_000 })).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('missing files are NOT_FOUND', async () => {
    await expect(decodePhoto(path.join(tmp, 'nope.jpg'))).rejects.toBeInstanceOf(ImageError);
  });

  it('normalises grayscale, alpha, 16-bit and CMYK to 3-channel sRGB', async () => {
    const cases: [string, Buffer][] = [
      ['gray.png', await sharp({ create: { width: 8, height: 6, channels: 3, background: '#808080' } }).grayscale().png().toBuffer()],
      ['alpha.png', await sharp({ create: { width: 8, height: 6, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } }).png().toBuffer()],
      ['deep.png', await sharp({ create: { width: 8, height: 6, channels: 3, background: '#102030' } }).png({ force: true }).toColourspace('rgb16').toBuffer()],
      ['cmyk.jpg', await sharp({ create: { width: 8, height: 6, channels: 3, background: '#c08040' } }).toColourspace('cmyk').jpeg().toBuffer()],
    ];
    for (const [name, bytes] of cases) {
      const file = path.join(tmp, name);
      writeFileSync(file, bytes);
      const img = await decodePhoto(file);
      expect([img.width, img.height, img.data.length], name).toEqual([8, 6, 8 * 6 * 3]);
    }
    expect(readFileSync(path.join(tmp, 'cmyk.jpg')).length).toBeGreaterThan(0);
  });
});
