// What the people service takes and returns.
import type { FaceRow } from '../library/catalog/people.ts';
import type { EmbeddingTransform } from './adapter-transform.ts';

export interface PersonSummary {
  id: number;
  name: string | null;
  hidden: boolean;
  coverFaceId: number | null;
  faceCount: number;
}

export type FaceRef = FaceRow;

export interface Suggestion {
  personId: number;
  name: string | null;
  distance: number;
}

export interface PeopleOptions {
  modelId?: string;
  /** The adopted adapter's projection (see adapter-transform.ts); faces are grouped in its space. */
  transform?: EmbeddingTransform;
  /** The id of that adapter, naming the space in the person index file. */
  adapterId?: number;
  /**
   * Where the person index (every person's centroid and the HNSW graph over them) is kept between processes,
   * brought up to date from the catalog's change log (person-index-store.ts); absent: built by each service.
   */
  personIndexFile?: string;
  threshold?: number;
  /** Two single faces join within this; default: the model's, scaled with `threshold` when that is given. */
  pairThreshold?: number;
  assignThreshold?: number;
  minFaces?: number;
}

export class PeopleError extends Error {
  constructor(message: string, readonly code: 'NOT_FOUND' | 'CONFLICT' | 'INVALID') {
    super(message);
    this.name = 'PeopleError';
  }
}
