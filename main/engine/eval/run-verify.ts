// `face-atlas eval verify`: embeds the main face of every image named by the pairs (LFW file or
// identity folders) through the engine's pool, then scores the pairs with the LFW protocol.
import { existsSync, readFileSync } from 'node:fs';
import { l2Distance } from '../math/vectors.ts';
import type { FaceEngine } from '../face/engine.ts';
import { mainFaceIndex } from '../face/pipeline.ts';
import type { FaceSource } from '../face/types.ts';
import { fitPlatt } from '../face/verify.ts';
import { crossValidate, identityPairs, lfwImagePath, listIdentities, parseLfwPairs, type Pair, type VerifyReport } from './verify.ts';

export interface VerifyEvalOptions {
  root: string;
  pairsFile?: string;
  /** Evaluate only the first N folds (N >= 2), cross-validating the threshold among them. */
  folds?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface VerifyEvalReport extends VerifyReport {
  /** Images where the detector found no face in the normal pass. */
  noFace: number;
  /** How those images were handled, by fallback. */
  fallbacks: Partial<Record<FaceSource, number>>;
  noFaceHandling: string;
  images: number;
  unreadable: string[];
  calibration: { threshold: number; a: number; b: number };
  modelId: string;
  detectorId: string;
  seconds: number;
}

export const NO_FACE_HANDLING =
  'main face = largest (nearest the centre among close sizes); when none is detected: re-detect on a padded copy, ' +
  'then O-Net landmarks on the whole image as a tight crop, then the template on the centre square';

/** Reads and checks the pairs (file or identity folders) before any model is loaded. */
export function loadPairs(opts: VerifyEvalOptions): { pairs: Pair[]; folds: number } {
  let pairs: Pair[];
  let folds: number;
  if (opts.pairsFile) {
    if (!existsSync(opts.pairsFile)) throw new Error(`pairs file not found: ${opts.pairsFile}`);
    const parsed = parseLfwPairs(readFileSync(opts.pairsFile, 'utf8'));
    folds = parsed.folds;
    pairs = parsed.pairs;
  } else {
    folds = 10;
    pairs = identityPairs(listIdentities(opts.root), folds, opts.seed ?? 1);
  }
  if (opts.folds !== undefined) {
    if (opts.folds < 2) throw new Error('--folds must be at least 2');
    folds = Math.min(folds, opts.folds);
    pairs = pairs.filter((p) => p.fold < folds);
  }
  if (!pairs.length) throw new Error(`no pairs to evaluate under ${opts.root}`);
  return { pairs, folds };
}

export async function runVerifyEval(engine: FaceEngine, opts: VerifyEvalOptions, loaded = loadPairs(opts)): Promise<VerifyEvalReport> {
  const started = performance.now();
  const { pairs, folds } = loaded;

  const files = new Map<string, string>();
  for (const p of pairs) for (const ref of [p.a, p.b]) {
    const file = lfwImagePath(opts.root, ref);
    files.set(file, file);
  }
  const embeddings = new Map<string, Float32Array>();
  const fallbacks: Partial<Record<FaceSource, number>> = {};
  const unreadable: string[] = [];
  let noFace = 0;
  let done = 0;
  await Promise.all([...files.keys()].map(async (file) => {
    try {
      const r = await engine.analysePhoto(file, { fallback: 'centre' });
      const detected = r.faces.filter((f) => f.source === 'detector');
      const pool = detected.length ? detected : r.faces;
      if (!detected.length) noFace++;
      const m = mainFaceIndex(pool, r.width, r.height);
      if (m >= 0) {
        embeddings.set(file, pool[m].embedding);
        if (!detected.length) fallbacks[pool[m].source] = (fallbacks[pool[m].source] ?? 0) + 1;
      }
    } catch (err) {
      unreadable.push(`${file}: ${(err as Error).message}`);
    }
    opts.onProgress?.(++done, files.size);
  }));

  // A pair with an unreadable image counts as a wrong answer (NaN), as a failed comparison would for a user.
  const distances: number[] = [], same: boolean[] = [], foldOf: number[] = [];
  for (const p of pairs) {
    const a = embeddings.get(lfwImagePath(opts.root, p.a));
    const b = embeddings.get(lfwImagePath(opts.root, p.b));
    distances.push(a && b ? l2Distance(a, b) : NaN);
    same.push(p.same);
    foldOf.push(p.fold);
  }
  const report = crossValidate(distances, same, foldOf, folds);
  const compared = distances.map((_, i) => i).filter((i) => !Number.isNaN(distances[i]));
  const { a, b } = fitPlatt(compared.map((i) => distances[i]), compared.map((i) => same[i]));
  return {
    ...report,
    noFace,
    fallbacks,
    noFaceHandling: NO_FACE_HANDLING,
    images: files.size,
    unreadable,
    calibration: { threshold: report.threshold, a, b },
    modelId: engine.modelId,
    detectorId: engine.detectorId,
    seconds: (performance.now() - started) / 1000,
  };
}
