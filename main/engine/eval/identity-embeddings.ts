// The main-face embedding of every labelled image under ROOT/<identity>/<image>, through the engine's pool:
// the input of `eval train` and `eval map`. Images with no usable face (even after the fallbacks) are left out.
import path from 'node:path';
import type { FaceEngine } from '../face/engine.ts';
import { mainFaceIndex } from '../face/pipeline.ts';
import { listIdentities } from './verify.ts';

export interface IdentityEmbeddings {
  vectors: Float32Array;
  dim: number;
  labels: string[];
  images: number;
  /** Images left out: unreadable, or no face at all. */
  skipped: number;
}

export async function embedIdentityFolders(engine: FaceEngine, root: string, onProgress?: (done: number, total: number) => void): Promise<IdentityEmbeddings> {
  const files = [...listIdentities(root)].flatMap(([name, fs]) => fs.map((f) => ({ name, file: path.join(root, name, f) })));
  let done = 0;
  const embedded = (await Promise.all(files.map(async ({ name, file }) => {
    const r = await engine.analysePhoto(file, { fallback: 'centre' }).catch(() => null);
    onProgress?.(++done, files.length);
    const m = r ? mainFaceIndex(r.faces, r.width, r.height) : -1;
    return m >= 0 ? { name, v: r!.faces[m].embedding } : null;
  }))).filter((e): e is { name: string; v: Float32Array } => e !== null);
  if (!embedded.length) throw new Error(`no face found in any image under ${root}`);
  const dim = embedded[0].v.length;
  const vectors = new Float32Array(embedded.length * dim);
  embedded.forEach((e, i) => vectors.set(e.v, i * dim));
  return { vectors, dim, labels: embedded.map((e) => e.name), images: files.length, skipped: files.length - embedded.length };
}

/**
 * Aligned crops (size x size RGB in 0..1) of the main face of every labelled image: the input of the
 * end-to-end convolutional embedder. The engine finds the landmarks; the crop is cut here from the
 * decoded photo on the ArcFace template scaled to `size`.
 */
export async function alignedIdentityCrops(engine: FaceEngine, root: string, size: number, onProgress?: (done: number, total: number) => void): Promise<{ pixels: Float32Array; size: number; labels: string[] }> {
  const { decodePhoto } = await import('../face/decode.ts');
  const { alignFace, ARCFACE_TEMPLATE_112, templateForSize } = await import('../face/align.ts');
  const template = templateForSize(ARCFACE_TEMPLATE_112, 112, size);
  const files = [...listIdentities(root)].flatMap(([name, fs]) => fs.map((f) => ({ name, file: path.join(root, name, f) })));
  let done = 0;
  const crops = (await Promise.all(files.map(async ({ name, file }) => {
    const r = await engine.analysePhoto(file, { fallback: 'centre' }).catch(() => null);
    const m = r ? mainFaceIndex(r.faces, r.width, r.height) : -1;
    let crop: Float32Array | null = null;
    if (m >= 0) {
      const image = await decodePhoto(file);
      const k = image.scaleToOriginal;
      const landmarks = r!.faces[m].landmarks.map(([x, y]) => [x / k, y / k]) as typeof template;
      crop = alignFace(image, landmarks, template, size).map((v) => v / 255);
    }
    onProgress?.(++done, files.length);
    return crop ? { name, crop } : null;
  }))).filter((c): c is { name: string; crop: Float32Array } => c !== null);
  const pixels = new Float32Array(crops.length * size * size * 3);
  crops.forEach((c, i) => pixels.set(c.crop, i * size * size * 3));
  return { pixels, size, labels: crops.map((c) => c.name) };
}
