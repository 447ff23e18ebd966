// Face alignment: the least-squares similarity transform (Umeyama 1991, "Least-squares estimation of
// transformation parameters between two point patterns", eq. 40-42) that maps the five detected
// landmarks onto a canonical template, then one bilinear warp per face.
import type { RgbImage } from './decode.ts';
import type { FivePoints, Point } from './types.ts';

/** x' = a x - b y + tx, y' = b x + a y + ty (rotation + uniform scale + translation). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** The ArcFace / InsightFace 112x112 five-point template that MobileFaceNet was trained on. */
export const ARCFACE_TEMPLATE_112: FivePoints = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

export function templateForSize(template: FivePoints, templateSize: number, size: number, margin = 0): FivePoints {
  // Scales the template to `size` and shrinks it towards the centre by `margin` (fraction of size) on each side.
  const s = (size * (1 - 2 * margin)) / templateSize;
  const o = size * margin;
  return template.map(([x, y]) => [x * s + o, y * s + o]) as FivePoints;
}

/** Least-squares similarity mapping `src` points onto `dst` points (reflection excluded). */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  const n = src.length;
  if (n !== dst.length || n < 2) throw new Error('estimateSimilarity needs two equally long lists of at least 2 points');
  let msx = 0, msy = 0, mdx = 0, mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i][0]; msy += src[i][1]; mdx += dst[i][0]; mdy += dst[i][1];
  }
  msx /= n; msy /= n; mdx /= n; mdy /= n;
  // For 2-D similarity the Umeyama solution reduces to: a = sum(s.d)/sum|s|^2, b = sum(s x d)/sum|s|^2 on centred points.
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i][0] - msx, sy = src[i][1] - msy;
    const dx = dst[i][0] - mdx, dy = dst[i][1] - mdy;
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
    norm += sx * sx + sy * sy;
  }
  if (norm === 0) throw new Error('estimateSimilarity: source points are all identical');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: mdx - (a * msx - b * msy), ty: mdy - (b * msx + a * msy) };
}

export function applySimilarity(t: Similarity, [x, y]: Point): Point {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/**
 * Warps the face into a size x size RGB crop (float 0..255, HWC). `toImage` maps crop coordinates to image
 * coordinates; pixels outside the image are black, as in the reference alignment. `mirror` gives the crop
 * flipped left to right (the same samples, written in mirrored columns).
 */
export function warpFace(image: RgbImage, toImage: Similarity, size: number, mirror = false): Float32Array {
  const out = new Float32Array(size * size * 3);
  const { data, width, height } = image;
  const { a, b, tx, ty } = toImage;
  const stride = width * 3;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = a * x - b * y + tx;
      const sy = b * x + a * y + ty;
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const fx = sx - ix;
      const fy = sy - iy;
      const o = (y * size + (mirror ? size - 1 - x : x)) * 3;
      if (ix >= 0 && iy >= 0 && ix + 1 < width && iy + 1 < height) {
        // All four taps inside the image (nearly every pixel of a face): no bounds tests.
        const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
        const p = iy * stride + ix * 3;
        const q = p + stride;
        out[o] = w00 * data[p] + w01 * data[p + 3] + w10 * data[q] + w11 * data[q + 3];
        out[o + 1] = w00 * data[p + 1] + w01 * data[p + 4] + w10 * data[q + 1] + w11 * data[q + 4];
        out[o + 2] = w00 * data[p + 2] + w01 * data[p + 5] + w10 * data[q + 2] + w11 * data[q + 5];
        continue;
      }
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let dy = 0; dy < 2; dy++) {
          const yy = iy + dy;
          if (yy < 0 || yy >= height) continue;
          const wy = dy ? fy : 1 - fy;
          for (let dx = 0; dx < 2; dx++) {
            const xx = ix + dx;
            if (xx < 0 || xx >= width) continue;
            v += (dx ? fx : 1 - fx) * wy * data[(yy * width + xx) * 3 + c];
          }
        }
        out[o + c] = v;
      }
    }
  }
  return out;
}

/** The crop flipped left to right: what warpFace gives with `mirror`, without sampling the image again. */
export function mirrorCrop(crop: Float32Array, size: number): Float32Array {
  const out = new Float32Array(crop.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 3;
      const to = (y * size + size - 1 - x) * 3;
      out[to] = crop[from];
      out[to + 1] = crop[from + 1];
      out[to + 2] = crop[from + 2];
    }
  }
  return out;
}

/** Aligns one face: the similarity from the template (crop) to the landmarks (image), then the warp. */
export function alignFace(image: RgbImage, landmarks: FivePoints, template: FivePoints, size: number, mirror = false): Float32Array {
  return warpFace(image, estimateSimilarity(template, landmarks), size, mirror);
}
