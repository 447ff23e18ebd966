// One photo through the engine, in the calling thread: detect -> align -> embed -> quality.
// The worker pool (engine.ts) runs this inside each worker; tests and the CLI can run it directly.
import { ENGINE_DEFAULTS } from '../../../shared/settings.ts';
import { alignFace, ARCFACE_TEMPLATE_112, mirrorCrop } from './align.ts';
import type { DetectOptions, FaceDetector } from './detect/detector.ts';
import type { Embedder } from './embed/embedder.ts';
import { isFused, type AnyEmbedder } from './embed/fused.ts';
import { l2Normalised } from '../math/vectors.ts';
import type { DecodedPhoto, RgbImage } from './decode.ts';
import type { AnalysedFace, Box, DetectedFace, FaceQuality, FaceSource, FivePoints } from './types.ts';

export interface AnalyseOptions extends DetectOptions {
  flip?: boolean;
  /** Faces scoring below this are dropped. */
  minScore?: number;
  /**
   * When nothing is found: 'none' gives up; 'crop' retries on a padded copy and then treats the whole
   * image as one tight face crop (for pre-cropped face datasets); 'auto' does so only for small images;
   * 'centre' does what 'crop' does and, if even that fails, places the template on the centre square
   * (verification and evaluation always need one face per image).
   */
  fallback?: 'none' | 'crop' | 'auto' | 'centre';
  /** Skip detection and embed the faces in these boxes (original-image pixels, upright) instead. */
  manualBoxes?: Box[];
}

/** Images up to this side are likely pre-cropped faces (datasets, avatars): 'auto' fallback applies. */
export const TIGHT_CROP_MAX_SIDE = 400;
/** Border added on each side (fraction of the longest side) before re-detecting in a tight crop. */
const FALLBACK_PAD = 0.3;

export interface FaceWithSource extends DetectedFace {
  source: FaceSource;
}

/** The ArcFace template laid on the image's centre square: the face position of a centred tight crop. */
export function centreCropFace(image: RgbImage, template: FivePoints, templateSize: number): FaceWithSource {
  const side = Math.min(image.width, image.height);
  const x0 = (image.width - side) / 2;
  const y0 = (image.height - side) / 2;
  const s = side / templateSize;
  return {
    box: { x: x0, y: y0, width: side, height: side },
    landmarks: template.map(([x, y]) => [x0 + x * s, y0 + y * s]) as FivePoints,
    score: 0,
    source: 'centre-crop',
  };
}

function padImage(image: RgbImage, pad: number): RgbImage {
  const w = image.width + 2 * pad;
  const h = image.height + 2 * pad;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < image.height; y++) {
    data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), ((y + pad) * w + pad) * 3);
  }
  return { data, width: w, height: h };
}

function shift(face: DetectedFace, dx: number, dy: number): DetectedFace {
  return {
    ...face,
    box: { ...face.box, x: face.box.x + dx, y: face.box.y + dy },
    landmarks: face.landmarks.map(([x, y]) => [x + dx, y + dy]) as DetectedFace['landmarks'],
  };
}

export async function findFaces(detector: FaceDetector, image: RgbImage, opts: AnalyseOptions = {}): Promise<FaceWithSource[]> {
  const minScore = opts.minScore ?? 0;
  // A small image cannot hold a face larger than itself: look for faces down to half its shorter side.
  const minFaceSize = Math.min(opts.minFaceSize ?? ENGINE_DEFAULTS.minFaceSize, Math.max(12, Math.min(image.width, image.height) / 2));
  const found = (await detector.detect(image, { ...opts, minFaceSize })).filter((f) => f.score >= minScore);
  const fallback = opts.fallback ?? 'auto';
  const useFallback = fallback === 'crop' || fallback === 'centre' || (fallback === 'auto' && Math.max(image.width, image.height) <= TIGHT_CROP_MAX_SIDE);
  if (found.length || !useFallback) return found.map((f) => ({ ...f, source: 'detector' }));

  const pad = Math.round(Math.max(image.width, image.height) * FALLBACK_PAD);
  const padded = await detector.detect(padImage(image, pad), { ...opts, minFaceSize });
  if (padded.length) return padded.map((f) => ({ ...shift(f, -pad, -pad), source: 'padded' }));

  if (detector.landmarksInBox) {
    const whole = await detector.landmarksInBox(image, { x: 0, y: 0, width: image.width, height: image.height });
    if (whole) return [{ ...whole, score: Math.min(whole.score, 0.5), source: 'whole-image' }];
  }
  return fallback === 'centre' ? [centreCropFace(image, ARCFACE_TEMPLATE_112, 112)] : [];
}

/**
 * The main face of an image: the largest, and among faces of close size (within 20% of the largest side)
 * the one nearest the image centre (LFW images are centred on the labelled person; bystanders appear).
 */
export function mainFaceIndex(faces: DetectedFace[], width: number, height: number): number {
  if (!faces.length) return -1;
  const side = (f: DetectedFace) => Math.min(f.box.width, f.box.height);
  const largest = Math.max(...faces.map(side));
  let best = -1;
  let bestDist = Infinity;
  faces.forEach((f, i) => {
    if (side(f) < 0.8 * largest) return;
    const dx = f.box.x + f.box.width / 2 - width / 2;
    const dy = f.box.y + f.box.height / 2 - height / 2;
    const d = Math.hypot(dx, dy);
    if (d < bestDist) { bestDist = d; best = i; }
  });
  return best;
}

/** Variance of a 4-neighbour Laplacian on the gray crop: a standard blur measure (Pech-Pacheco et al. 2000). */
export function sharpness(crop: Float32Array, size: number): number {
  let sum = 0, sum2 = 0, n = 0;
  const gray = (x: number, y: number) => {
    const o = (y * size + x) * 3;
    return 0.299 * crop[o] + 0.587 * crop[o + 1] + 0.114 * crop[o + 2];
  };
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const l = gray(x - 1, y) + gray(x + 1, y) + gray(x, y - 1) + gray(x, y + 1) - 4 * gray(x, y);
      sum += l; sum2 += l * l; n++;
    }
  }
  const mean = sum / n;
  return sum2 / n - mean * mean;
}

/** 1 when the nose sits midway between the eyes, falling to 0 for a profile. */
export function frontalness(face: DetectedFace): number {
  const [le, re, nose] = face.landmarks;
  const eyeDist = Math.hypot(re[0] - le[0], re[1] - le[1]);
  if (eyeDist === 0) return 0;
  const dl = Math.hypot(nose[0] - le[0], nose[1] - le[1]);
  const dr = Math.hypot(nose[0] - re[0], nose[1] - re[1]);
  return Math.max(0, 1 - Math.abs(dl - dr) / eyeDist);
}

/** Aligned crops of the faces (and their mirror images when `flip`), in the embedder's template. */
export function alignedCrops(image: RgbImage, faces: DetectedFace[], embedder: Embedder, flip: boolean): Float32Array[] {
  const crops: Float32Array[] = [];
  for (const f of faces) {
    const crop = alignFace(image, f.landmarks, embedder.template, embedder.inputSize);
    crops.push(crop);
    if (flip) crops.push(mirrorCrop(crop, embedder.inputSize));
  }
  return crops;
}

/**
 * Embeds the faces (batched), averaging each with its mirror image when `flip` (then re-normalising).
 * A fused embedder embeds with each part (each on its own template) and concatenates the weighted parts.
 */
export async function embedFaces(image: RgbImage, faces: DetectedFace[], embedder: AnyEmbedder, flip: boolean): Promise<{ embedding: Float32Array; crop: Float32Array }[]> {
  if (isFused(embedder)) {
    const perPart: { embedding: Float32Array; crop: Float32Array }[][] = [];
    for (const part of embedder.parts) perPart.push(await embedFaces(image, faces, part.embedder, flip && part.flip !== false));
    return faces.map((_, i) => ({ embedding: embedder.combine(perPart.map((p) => p[i].embedding)), crop: perPart[0][i].crop }));
  }
  const crops = alignedCrops(image, faces, embedder, flip);
  const vectors = await embedder.embed(crops);
  const per = flip ? 2 : 1;
  return faces.map((_, i) => {
    const v = vectors[i * per].slice();
    if (flip) for (let k = 0; k < v.length; k++) v[k] += vectors[i * per + 1][k];
    return { embedding: l2Normalised(v), crop: crops[i * per] };
  });
}

/**
 * Faces at boxes someone drew (a named XMP region no detection matched, a box drawn in the viewer): landmarks
 * from a landmark pass inside each box (MTCNN's O-Net), or the alignment template laid on the box when the
 * detector cannot refine it. Boxes are in the decoded image's pixels.
 */
export async function facesInBoxes(detector: FaceDetector, image: RgbImage, boxes: Box[]): Promise<FaceWithSource[]> {
  const out: FaceWithSource[] = [];
  for (const box of boxes) {
    const refined = await detector.landmarksInBox?.(image, box);
    if (refined) {
      out.push({ ...refined, box, source: 'manual' });
      continue;
    }
    const side = Math.max(box.width, box.height);
    const s = side / 112;
    const x0 = box.x + box.width / 2 - side / 2;
    const y0 = box.y + box.height / 2 - side / 2;
    out.push({ box, landmarks: ARCFACE_TEMPLATE_112.map(([x, y]) => [x0 + x * s, y0 + y * s]) as FivePoints, score: 0, source: 'manual' });
  }
  return out;
}

export async function analyseDecoded(
  photo: DecodedPhoto, detector: FaceDetector, embedder: AnyEmbedder, opts: AnalyseOptions = {},
  timings?: { detect: number; embed: number },
): Promise<AnalysedFace[]> {
  const t0 = performance.now();
  const k0 = 1 / photo.scaleToOriginal;
  const faces = opts.manualBoxes
    ? await facesInBoxes(detector, photo, opts.manualBoxes.map((b) => ({ x: b.x * k0, y: b.y * k0, width: b.width * k0, height: b.height * k0 })))
    : await findFaces(detector, photo, { minScore: opts.minScore ?? ENGINE_DEFAULTS.minFaceScore, ...opts });
  const t1 = performance.now();
  const embedded = await embedFaces(photo, faces, embedder, opts.flip ?? ENGINE_DEFAULTS.flipAverage);
  if (timings) {
    timings.detect = t1 - t0;
    timings.embed = performance.now() - t1;
  }
  const k = photo.scaleToOriginal;
  return faces.map((f, i) => {
    const quality: FaceQuality = {
      size: Math.min(f.box.width, f.box.height) * k,
      sharpness: sharpness(embedded[i].crop, Math.round(Math.sqrt(embedded[i].crop.length / 3))),
      frontal: frontalness(f),
    };
    return {
      box: { x: f.box.x * k, y: f.box.y * k, width: f.box.width * k, height: f.box.height * k },
      landmarks: f.landmarks.map(([x, y]) => [x * k, y * k]) as DetectedFace['landmarks'],
      score: f.score,
      source: f.source,
      embedding: embedded[i].embedding,
      modelId: embedder.modelId,
      quality,
    };
  });
}
