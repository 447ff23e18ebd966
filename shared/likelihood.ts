// A calibrated same-person probability in one of three words (thresholds in SIMILARITY_WORDS): the engine
// labels suggestions with it and the renderer labels Verify's answer with it, so both say the same thing.
import type { Likelihood } from './api.ts';
import { SIMILARITY_WORDS } from './settings.ts';

export function likelihoodOf(probability: number): Likelihood {
  if (probability >= SIMILARITY_WORDS.veryLikely) return 'very likely';
  if (probability >= SIMILARITY_WORDS.possible) return 'possible';
  return 'unlikely';
}
