// Distances in words: a face-to-person L2 distance becomes the calibrated probability that it is the same
// person (the verification model's Platt fit) and one of three words. The raw distance stays alongside for
// an "advanced" detail. The fit is face-to-face; a person's centroid sits closer to that person's faces
// than any one face does, so for a person these words lean cautious rather than hopeful.
import type { Likelihood } from '../../../shared/api.ts';
import { likelihoodOf } from '../../../shared/likelihood.ts';
import { calibrationFor, sameProbability } from '../face/verify.ts';

export interface Similarity {
  probability: number;
  likelihood: Likelihood;
}

/** The calibrated similarity of a distance in a model's embedding space. */
export function similarity(distance: number, modelId: string): Similarity {
  const probability = sameProbability(distance, calibrationFor(modelId));
  return { probability, likelihood: likelihoodOf(probability) };
}

/** Adds the calibrated probability and word to each suggestion. */
export function withSimilarity<S extends { distance: number }>(suggestions: S[], modelId: string): (S & Similarity)[] {
  return suggestions.map((s) => ({ ...s, ...similarity(s.distance, modelId) }));
}

/** Only the suggestions plausible enough to offer (at least "possible"). */
export function plausible<S extends Similarity>(suggestions: S[]): S[] {
  return suggestions.filter((s) => s.likelihood !== 'unlikely');
}
