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
 * coordinates; pixels outside the image are black, as in the reference alignment.
 */
export function warpFace(image: RgbImage, toImage: Similarity, size: number, mirror = false): Float32Array {
  const out = new Float32Array(size * size * 3);
  const { data, width, height } = image;
  for (let y = 0; y < size; y++) {
    for (let x0 = 0; x0 < size; x0++) {
      const x = mirror ? size - 1 - x0 : x0;
      const sx = toImage.a * x - toImage.b * y + toImage.tx;
      const sy = toImage.b * x + toImage.a * y + toImage.ty;
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const fx = sx - ix;
      const fy = sy - iy;
      const o = (y * size + x0) * 3;
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

/** Aligns one face: the similarity from the template (crop) to the landmarks (image), then the warp. */
export function alignFace(image: RgbImage, landmarks: FivePoints, template: FivePoints, size: number, mirror = false): Float32Array {
  return warpFace(image, estimateSimilarity(template, landmarks), size, mirror);
}
