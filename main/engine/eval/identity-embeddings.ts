// The main-face embedding of every labelled image under ROOT/<identity>/<image>, through the engine's pool:
// the input of `eval train` and `eval map`. Images with no usable face (even after the fallbacks) are left out.
import path from 'node:path';
import type { FaceEngine } from '../engine.ts';
import { mainFaceIndex } from '../pipeline.ts';
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
    const r = await engine.analyzePhoto(file, { fallback: 'centre' }).catch(() => null);
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
