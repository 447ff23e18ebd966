// The similarity transform and the warp, against values computed by hand.
import { describe, expect, it } from 'vitest';
import {
  applySimilarity, ARCFACE_TEMPLATE_112, estimateSimilarity, invertSimilarity, mirrorCrop, templateForSize, warpFace,
} from '../../main/engine/face/align.ts';
import type { Point } from '../../main/engine/face/types.ts';

describe('estimateSimilarity (Umeyama, 2-D)', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    // dst = 2 * R(30 deg) * src + (5, -3): a = 2 cos 30 = 1.7320508, b = 2 sin 30 = 1.
    const src: Point[] = [[0, 0], [1, 0], [0, 1], [2, 3], [-1, 4]];
    const a = Math.sqrt(3), b = 1;
    const dst = src.map(([x, y]) => [a * x - b * y + 5, b * x + a * y - 3] as Point);
    const t = estimateSimilarity(src, dst);
    expect(t.a).toBeCloseTo(1.7320508, 6);
    expect(t.b).toBeCloseTo(1, 6);
    expect(t.tx).toBeCloseTo(5, 6);
    expect(t.ty).toBeCloseTo(-3, 6);
  });

  it('gives the least-squares fit for noisy points (hand-computed)', () => {
    // src centred: (-1,0), (1,0); dst centred: (-2,0.5), (2,-0.5) ->
    // dot = 2 + 2 = 4, cross = (-1*0.5 - 0) + (1*-0.5 - 0) = -1, |src|^2 = 2 -> a = 2, b = -0.5.
    const t = estimateSimilarity([[0, 0], [2, 0]], [[8, 10.5], [12, 9.5]]);
    expect(t.a).toBeCloseTo(2, 9);
    expect(t.b).toBeCloseTo(-0.5, 9);
    // Means: src (1, 0) -> dst (10, 10): tx = 10 - (2*1 - (-0.5)*0) = 8, ty = 10 - (-0.5*1 + 2*0) = 10.5.
    expect(t.tx).toBeCloseTo(8, 9);
    expect(t.ty).toBeCloseTo(10.5, 9);
  });

  it('inverts: applying a transform then its inverse returns the point', () => {
    const t = { a: 0.8, b: -0.6, tx: 12, ty: -7 };
    const p: Point = [3.5, -2.25];
    const q = applySimilarity(invertSimilarity(t), applySimilarity(t, p));
    expect(q[0]).toBeCloseTo(p[0], 9);
    expect(q[1]).toBeCloseTo(p[1], 9);
  });

  it('maps the template onto landmarks that are a scaled, shifted copy of it', () => {
    const landmarks = ARCFACE_TEMPLATE_112.map(([x, y]) => [x * 3 + 100, y * 3 + 40] as Point);
    const t = estimateSimilarity(ARCFACE_TEMPLATE_112, landmarks);
    expect(t.a).toBeCloseTo(3, 6);
    expect(t.b).toBeCloseTo(0, 6);
    expect(t.tx).toBeCloseTo(100, 5);
    expect(t.ty).toBeCloseTo(40, 5);
  });

  it('scales a template to another crop size with a margin', () => {
    const t = templateForSize([[0, 0], [112, 112], [56, 56], [0, 112], [112, 0]], 112, 150, 0.1);
    // s = 150 * 0.8 / 112, offset 15: (0,0) -> (15,15), (112,112) -> (135,135).
    expect(t[0]).toEqual([15, 15]);
    expect(t[1][0]).toBeCloseTo(135, 9);
  });
});

describe('warpFace', () => {
  it('samples bilinearly: a horizontal ramp image stays a ramp, shifted and scaled as the transform says', () => {
    const width = 20, height = 10;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(x * 10, (y * width + x) * 3, (y * width + x) * 3 + 3);
    // crop (x, y) -> image (0.5 x + 2, 0.5 y + 1)
    const crop = warpFace({ data, width, height }, { a: 0.5, b: 0, tx: 2, ty: 1 }, 4);
    // crop x = 0..3 -> image x = 2, 2.5, 3, 3.5 -> values 20, 25, 30, 35 in every channel.
    expect(Array.from(crop.slice(0, 12))).toEqual([20, 20, 20, 25, 25, 25, 30, 30, 30, 35, 35, 35]);
    const mirrored = warpFace({ data, width, height }, { a: 0.5, b: 0, tx: 2, ty: 1 }, 4, true);
    expect(mirrored[0]).toBe(35);
  });

  it('fills pixels outside the image with black', () => {
    const data = new Uint8Array(2 * 2 * 3).fill(200);
    const crop = warpFace({ data, width: 2, height: 2 }, { a: 1, b: 0, tx: 10, ty: 10 }, 3);
    expect(Math.max(...crop)).toBe(0);
  });

  it('a rotated face window that crosses the image border: taps inside as bilinear, outside black, and the mirror is the flipped crop', () => {
    const width = 9, height = 7;
    const data = new Uint8Array(width * height * 3);
    for (let k = 0; k < data.length; k++) data[k] = (k * 37) % 251;
    const t = { a: 0.6, b: 0.3, tx: -1.2, ty: 0.7 };
    const size = 12;
    const crop = warpFace({ data, width, height }, t, size);
    // The reference: bilinear interpolation, taps outside the image count as black.
    const pixel = (x: number, y: number, c: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : data[(y * width + x) * 3 + c]);
    let inside = 0, crossing = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sx = t.a * x - t.b * y + t.tx, sy = t.b * x + t.a * y + t.ty;
        const ix = Math.floor(sx), iy = Math.floor(sy), fx = sx - ix, fy = sy - iy;
        if (ix >= 0 && iy >= 0 && ix + 1 < width && iy + 1 < height) inside++;
        else crossing++;
        for (let c = 0; c < 3; c++) {
          const want = (1 - fx) * (1 - fy) * pixel(ix, iy, c) + fx * (1 - fy) * pixel(ix + 1, iy, c) + (1 - fx) * fy * pixel(ix, iy + 1, c) + fx * fy * pixel(ix + 1, iy + 1, c);
          expect(crop[(y * size + x) * 3 + c]).toBeCloseTo(want, 3);
        }
      }
    }
    expect(inside).toBeGreaterThan(10);
    expect(crossing).toBeGreaterThan(10);
    expect(Array.from(mirrorCrop(crop, size))).toEqual(Array.from(warpFace({ data, width, height }, t, size, true)));
  });
});
