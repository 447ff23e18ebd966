// The guardrail: train on part of each person's faces, measure on the rest and on people never trained on,
// and adopt the head only when it helps.
import { l2NormalisedRows } from '../math/vectors.ts';
import { applyAdapter, type Adapter } from './adapter.ts';
import { GUARDRAIL_DEFAULTS } from './constants.ts';
import { checkEmbeddings, encodeLabels, subset, UNLABELLED, type LabelledEmbeddings } from './dataset.ts';
import { evaluateEmbeddings, type FaceMetrics } from './metrics.ts';
import { seededRandom, shuffleInPlace } from '../math/random.ts';
import { DEFAULT_TRAIN_OPTIONS, trainAdapter, type TrainHooks, type TrainOptions, type TrainResult } from './train-adapter.ts';

export interface GuardrailOptions {
  heldOutFraction: number;
  untrainedFraction: number;
  untrainedTolerance: number;
  minGain: number;
  folds: number;
}

export const DEFAULT_GUARDRAIL_OPTIONS: GuardrailOptions = { ...GUARDRAIL_DEFAULTS };

/** Face indices into the full data. */
export interface GuardrailSplit {
  /** Training faces: part of each trained person's faces, plus people with one face and unlabelled faces. */
  train: number[];
  /** The rest of each trained person's faces. */
  heldOut: number[];
  /** All faces of the trained people with 2+ faces (train and held-out): the gallery for held-out probes. */
  trainedPool: number[];
  /** Every face of the people left out of training. */
  untrained: number[];
  trainedPeople: number;
  untrainedPeople: number;
}

/** Seeded split by person, then by face within each trained person. */
export function splitForGuardrail(labels: readonly (string | null)[], options: Pick<GuardrailOptions, 'heldOutFraction' | 'untrainedFraction'>, seed: number): GuardrailSplit {
  const { codes } = encodeLabels(labels);
  const random = seededRandom(seed);
  const faces = new Map<number, number[]>();
  const train: number[] = [];
  codes.forEach((code, i) => {
    if (code === UNLABELLED) train.push(i);
    else faces.set(code, [...(faces.get(code) ?? []), i]);
  });
  const evaluable = shuffleInPlace([...faces.keys()].filter((person) => faces.get(person)!.length >= 2), random);
  let untrainedPeople = Math.round(options.untrainedFraction * evaluable.length);
  // Verification needs two people on each side; otherwise train on everyone.
  if (untrainedPeople < 2 || evaluable.length - untrainedPeople < 2) untrainedPeople = 0;
  const untrained = evaluable.slice(0, untrainedPeople).flatMap((person) => faces.get(person)!);
  const untrainedSet = new Set(evaluable.slice(0, untrainedPeople));
  const heldOut: number[] = [];
  const trainedPool: number[] = [];
  for (const [person, own] of faces) {
    if (untrainedSet.has(person)) continue;
    if (own.length < 2) {
      train.push(...own);
      continue;
    }
    const shuffled = shuffleInPlace(own.slice(), random);
    const held = Math.min(own.length - 1, Math.max(1, Math.round(own.length * options.heldOutFraction)));
    heldOut.push(...shuffled.slice(0, held));
    train.push(...shuffled.slice(held));
    trainedPool.push(...own);
  }
  const byIndex = (a: number, b: number) => a - b;
  return {
    train: train.sort(byIndex),
    heldOut: heldOut.sort(byIndex),
    trainedPool: trainedPool.sort(byIndex),
    untrained: untrained.sort(byIndex),
    trainedPeople: evaluable.length - untrainedPeople,
    untrainedPeople,
  };
}

export interface SplitMetrics {
  /** Held-out faces of trained people, against all faces of trained people. */
  heldOut: FaceMetrics;
  /** People never trained on, among themselves; null when none were left out. */
  untrained: FaceMetrics | null;
}

/** Metrics of the raw embeddings (adapter null) or of the projected ones. */
export function evaluateSplit(data: LabelledEmbeddings, split: GuardrailSplit, adapter: Adapter | null, folds: number, seed: number): SplitMetrics {
  const { codes } = encodeLabels(data.labels);
  const vectors = adapter ? applyAdapter(data.vectors, adapter) : l2NormalisedRows(data.vectors, data.vectors.length / data.dim, data.dim);
  return {
    heldOut: evaluateEmbeddings(vectors, data.dim, codes, split.heldOut, split.trainedPool, folds, seed),
    untrained: split.untrained.length ? evaluateEmbeddings(vectors, data.dim, codes, split.untrained, split.untrained, folds, seed) : null,
  };
}

export interface AdoptionDecision {
  adopted: boolean;
  reasons: string[];
}

const NO_CHANGE = -1e-12;

/**
 * Adopt only when held-out identification and verification both do not fall and at least one rises by more
 * than minGain, and neither falls by more than untrainedTolerance on untrained people.
 */
export function decideAdoption(before: SplitMetrics, after: SplitMetrics, options: Pick<GuardrailOptions, 'minGain' | 'untrainedTolerance'>): AdoptionDecision {
  const reasons: string[] = [];
  const dIdentification = after.heldOut.identification - before.heldOut.identification;
  const dVerification = after.heldOut.verification - before.heldOut.verification;
  if (Number.isNaN(dIdentification) || Number.isNaN(dVerification)) reasons.push('too few held-out faces to measure');
  else {
    if (dIdentification < NO_CHANGE) reasons.push(`held-out identification fell by ${(-dIdentification).toFixed(4)}`);
    if (dVerification < NO_CHANGE) reasons.push(`held-out verification fell by ${(-dVerification).toFixed(4)}`);
    if (reasons.length === 0 && Math.max(dIdentification, dVerification) <= options.minGain) reasons.push('no held-out gain');
  }
  if (before.untrained && after.untrained) {
    for (const metric of ['identification', 'verification'] as const) {
      const drop = before.untrained[metric] - after.untrained[metric];
      if (drop > options.untrainedTolerance) reasons.push(`${metric} on untrained people fell by ${drop.toFixed(4)}`);
    }
  }
  return { adopted: reasons.length === 0, reasons };
}

export interface GuardrailReport extends AdoptionDecision {
  before: SplitMetrics;
  after: SplitMetrics;
  faces: { train: number; heldOut: number; untrained: number };
  people: { trained: number; untrained: number };
}

export interface TrainAndEvaluateResult {
  /** The trained head, with the report in meta.metrics, whether adopted or not. */
  adapter: Adapter;
  adopted: boolean;
  report: GuardrailReport;
  training: TrainResult;
}

/** Splits (seeded), trains on the train part, evaluates before and after, and decides. */
export async function trainAndEvaluate(
  data: LabelledEmbeddings,
  options: Partial<TrainOptions & GuardrailOptions> = {},
  hooks: TrainHooks = {},
): Promise<TrainAndEvaluateResult> {
  checkEmbeddings(data);
  const guard: GuardrailOptions = { ...DEFAULT_GUARDRAIL_OPTIONS, ...pick(options, Object.keys(DEFAULT_GUARDRAIL_OPTIONS) as (keyof GuardrailOptions)[]) };
  const train: Partial<TrainOptions> = pick(options, Object.keys(DEFAULT_TRAIN_OPTIONS) as (keyof TrainOptions)[]);
  const seed = train.seed ?? DEFAULT_TRAIN_OPTIONS.seed;
  const split = splitForGuardrail(data.labels, guard, seed);
  const before = evaluateSplit(data, split, null, guard.folds, seed);
  const training = await trainAdapter(subset(data, split.train), train, hooks);
  const after = evaluateSplit(data, split, training.adapter, guard.folds, seed);
  const report: GuardrailReport = {
    ...decideAdoption(before, after, guard),
    before,
    after,
    faces: { train: split.train.length, heldOut: split.heldOut.length, untrained: split.untrained.length },
    people: { trained: split.trainedPeople, untrained: split.untrainedPeople },
  };
  training.adapter.meta.metrics = report;
  return { adapter: training.adapter, adopted: report.adopted, report, training };
}

function pick<T extends object, K extends keyof T>(source: Partial<T>, keys: K[]): Partial<T> {
  const out: Partial<T> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
