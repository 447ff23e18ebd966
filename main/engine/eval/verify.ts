// The LFW verification protocol (Huang et al. 2007, "View 2"): ten folds, for each fold the distance
// threshold is chosen on the other nine, accuracy reported as mean +- std over folds; plus AUC.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../math/random.ts';

export interface PairRef {
  name: string;
  /** 1-based image number as in LFW pair files, or a file name in identity-folder mode. */
  image: number | string;
}

export interface Pair {
  a: PairRef;
  b: PairRef;
  same: boolean;
  fold: number;
}

export class PairsFormatError extends Error {}

/** Parses an LFW pairs file: header `folds<TAB>n`, then per fold n same lines and n different lines. */
export function parseLfwPairs(text: string): { folds: number; perClass: number; pairs: Pair[] } {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const header = lines.shift()?.split(/\s+/).map(Number);
  if (!header || header.length < 2 || header.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new PairsFormatError('pairs file must start with "<folds><TAB><pairs per class>"');
  }
  const [folds, perClass] = header;
  if (lines.length < folds * perClass * 2) {
    throw new PairsFormatError(`pairs file declares ${folds} x ${2 * perClass} pairs but has ${lines.length} lines`);
  }
  const pairs: Pair[] = [];
  for (let f = 0; f < folds; f++) {
    for (let k = 0; k < 2 * perClass; k++) {
      const lineNo = f * 2 * perClass + k;
      const parts = lines[lineNo].split(/\t|\s+/);
      if (k < perClass) {
        if (parts.length !== 3) throw new PairsFormatError(`line ${lineNo + 2}: expected "Name i j"`);
        pairs.push({ a: { name: parts[0], image: Number(parts[1]) }, b: { name: parts[0], image: Number(parts[2]) }, same: true, fold: f });
      } else {
        if (parts.length !== 4) throw new PairsFormatError(`line ${lineNo + 2}: expected "Name1 i Name2 j"`);
        pairs.push({ a: { name: parts[0], image: Number(parts[1]) }, b: { name: parts[2], image: Number(parts[3]) }, same: false, fold: f });
      }
    }
  }
  return { folds, perClass, pairs };
}

export function lfwImagePath(root: string, ref: PairRef): string {
  if (typeof ref.image === 'string') return path.join(root, ref.name, ref.image);
  return path.join(root, ref.name, `${ref.name}_${String(ref.image).padStart(4, '0')}.jpg`);
}

const IMAGE_EXT = /\.(jpe?g|png|webp|tiff?|gif|avif|bmp)$/i;

/** Identity folders ROOT/<identity>/<image>: identities with their image files, sorted. */
export function listIdentities(root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of readdirSync(root).sort()) {
    const dir = path.join(root, name);
    if (name.startsWith('.') || name === 'groups' || !statSync(dir).isDirectory()) continue;
    const files = readdirSync(dir).filter((f) => IMAGE_EXT.test(f)).sort();
    if (files.length) out.set(name, files);
  }
  return out;
}

/**
 * Identity-folder mode: every same-identity pair plus as many seeded random different-identity pairs,
 * dealt round-robin into `folds` folds after a seeded shuffle.
 */
export function identityPairs(identities: Map<string, string[]>, folds = 10, seed = 1): Pair[] {
  // The raw mulberry32 state (no seed mix) keeps the published dev-set pair lists unchanged.
  const rand = mulberry32(seed);
  const same: Omit<Pair, 'fold'>[] = [];
  for (const [name, files] of identities) {
    for (let i = 0; i < files.length; i++) {
      for (let j = i + 1; j < files.length; j++) same.push({ a: { name, image: files[i] }, b: { name, image: files[j] }, same: true });
    }
  }
  const names = [...identities.keys()];
  const diff: Omit<Pair, 'fold'>[] = [];
  const seen = new Set<string>();
  let guard = 0;
  while (diff.length < same.length && names.length > 1 && guard++ < same.length * 50) {
    const n1 = names[Math.floor(rand() * names.length)];
    const n2 = names[Math.floor(rand() * names.length)];
    if (n1 === n2) continue;
    const f1 = identities.get(n1)!, f2 = identities.get(n2)!;
    const i1 = f1[Math.floor(rand() * f1.length)], i2 = f2[Math.floor(rand() * f2.length)];
    const key = [`${n1}/${i1}`, `${n2}/${i2}`].sort().join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    diff.push({ a: { name: n1, image: i1 }, b: { name: n2, image: i2 }, same: false });
  }
  const shuffle = <T>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  // Same and different pairs are dealt separately so every fold keeps the 50/50 balance.
  return [...shuffle(same).map((p, i) => ({ ...p, fold: i % folds })), ...shuffle(diff).map((p, i) => ({ ...p, fold: i % folds }))];
}

/** Accuracy of "same when distance < threshold". */
export function accuracyAt(distances: ArrayLike<number>, same: ArrayLike<boolean>, threshold: number): number {
  let ok = 0;
  for (let i = 0; i < distances.length; i++) if ((distances[i] < threshold) === same[i]) ok++;
  return distances.length ? ok / distances.length : 0;
}

/** The threshold maximising accuracy, searched at the midpoints between sorted distances. */
export function bestThreshold(distances: ArrayLike<number>, same: ArrayLike<boolean>): { threshold: number; accuracy: number } {
  const idx = Array.from({ length: distances.length }, (_, i) => i).sort((a, b) => distances[a] - distances[b]);
  const totalDiff = idx.reduce((s, i) => s + (same[i] ? 0 : 1), 0);
  // Threshold below all: every pair called different -> correct = #different.
  let correct = totalDiff;
  let best = { threshold: idx.length ? distances[idx[0]] - 1e-6 : 0, accuracy: idx.length ? correct / idx.length : 0 };
  for (let k = 0; k < idx.length; k++) {
    correct += same[idx[k]] ? 1 : -1;
    if (k + 1 < idx.length && distances[idx[k + 1]] === distances[idx[k]]) continue;
    const t = k + 1 < idx.length ? (distances[idx[k]] + distances[idx[k + 1]]) / 2 : distances[idx[k]] + 1e-6;
    if (correct / idx.length > best.accuracy) best = { threshold: t, accuracy: correct / idx.length };
  }
  return best;
}

/** Area under the ROC curve of "smaller distance = same" (Mann-Whitney U, ties counted half). */
export function rocAuc(distances: ArrayLike<number>, same: ArrayLike<boolean>): number {
  const idx = Array.from({ length: distances.length }, (_, i) => i).sort((a, b) => distances[a] - distances[b]);
  let pos = 0, neg = 0;
  for (let i = 0; i < same.length; i++) {
    if (same[i]) pos++;
    else neg++;
  }
  if (!pos || !neg) return NaN;
  // Rank-sum of positives with average ranks for ties; positives should rank low (small distance).
  let rankSum = 0;
  for (let k = 0; k < idx.length;) {
    let e = k;
    while (e + 1 < idx.length && distances[idx[e + 1]] === distances[idx[k]]) e++;
    const avg = (k + e) / 2 + 1;
    for (let m = k; m <= e; m++) if (same[idx[m]]) rankSum += avg;
    k = e + 1;
  }
  const u = rankSum - (pos * (pos + 1)) / 2; // pairs (positive, negative) where the positive ranks higher
  return 1 - u / (pos * neg);
}

export interface FoldReport {
  fold: number;
  threshold: number;
  accuracy: number;
  pairs: number;
}

export interface VerifyReport {
  accuracy: { mean: number; std: number };
  auc: number;
  pairs: number;
  folds: number;
  /** Threshold chosen on all evaluated pairs (what `verify` should use for this pipeline). */
  threshold: number;
  perFold: FoldReport[];
}

/**
 * Ten-fold cross-validated accuracy: each fold is scored at the threshold that is best on the others.
 * A NaN distance marks a pair that could not be compared (no face, unreadable image): it is left out of
 * threshold choice and AUC, and counted as a wrong answer in its fold's accuracy.
 */
export function crossValidate(distances: number[], same: boolean[], foldOf: number[], folds: number): VerifyReport {
  const perFold: FoldReport[] = [];
  const found = (i: number) => !Number.isNaN(distances[i]);
  for (let f = 0; f < folds; f++) {
    const trainD: number[] = [], trainS: boolean[] = [], testD: number[] = [], testS: boolean[] = [];
    let missing = 0;
    foldOf.forEach((k, i) => {
      if (k === f) {
        if (found(i)) { testD.push(distances[i]); testS.push(same[i]); } else missing++;
      } else if (found(i)) { trainD.push(distances[i]); trainS.push(same[i]); }
    });
    const pairs = testD.length + missing;
    if (!pairs) continue;
    const { threshold } = bestThreshold(trainD, trainS);
    perFold.push({ fold: f, threshold, accuracy: (accuracyAt(testD, testS, threshold) * testD.length) / pairs, pairs });
  }
  const accs = perFold.map((p) => p.accuracy);
  const mean = accs.reduce((s, a) => s + a, 0) / (accs.length || 1);
  const std = Math.sqrt(accs.reduce((s, a) => s + (a - mean) ** 2, 0) / (accs.length || 1));
  const keep = distances.map((_, i) => i).filter(found);
  const d = keep.map((i) => distances[i]);
  const s = keep.map((i) => same[i]);
  return {
    accuracy: { mean, std },
    auc: rocAuc(d, s),
    pairs: distances.length,
    folds: perFold.length,
    threshold: bestThreshold(d, s).threshold,
    perFold,
  };
}
