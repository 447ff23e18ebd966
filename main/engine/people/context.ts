// What every part of the people service shares: the catalog, the embedding model and its thresholds, and
// the space faces are compared in (the adopted adapter's, when there is one).
import { CLUSTER_DEFAULTS, ENGINE_DEFAULTS, PEOPLE_DEFAULTS } from '../../../shared/settings.ts';
import { MODEL_INFO } from '../face/models.ts';
import type { Catalog } from '../library/catalog/catalog.ts';
import type { Face, Person } from '../library/catalog/rows.ts';
import type { EmbeddingTransform } from './adapter-transform.ts';
import { PeopleError, type PeopleOptions } from './types.ts';

export class PeopleContext {
  readonly modelId: string;
  readonly threshold: number;
  readonly pairThreshold: number;
  readonly assignThreshold: number;
  readonly minFaces: number;
  private readonly transform?: EmbeddingTransform;
  private projected: Map<number, Float32Array> | null = null;

  constructor(readonly catalog: Catalog, opts: PeopleOptions = {}) {
    this.transform = opts.transform;
    this.modelId = opts.modelId ?? MODEL_INFO[ENGINE_DEFAULTS.embedder].modelId;
    const d = CLUSTER_DEFAULTS[this.modelId];
    if (!d && (opts.threshold === undefined || opts.assignThreshold === undefined)) {
      throw new PeopleError(`no clustering threshold known for embedding model "${this.modelId}"`, 'INVALID');
    }
    this.threshold = opts.threshold ?? d.threshold;
    this.pairThreshold = Math.min(this.threshold, opts.pairThreshold ?? (d ? (d.pairThreshold * this.threshold) / d.threshold : this.threshold));
    this.assignThreshold = opts.assignThreshold ?? d.assignThreshold;
    this.minFaces = opts.minFaces ?? PEOPLE_DEFAULTS.minFaces;
  }

  /** A face's embedding in the space faces are grouped in: the adapter's when one is adopted. */
  embedding(faceId: number, raw: Float32Array): Float32Array {
    if (!this.transform) return raw;
    if (!this.projected?.has(faceId)) {
      const { faceIds, vectors, dim } = this.catalog.faces.liveEmbeddings(this.modelId);
      if (!faceIds.includes(faceId)) return this.transform(raw, raw.length);
      const out = this.transform(vectors, dim);
      this.projected = new Map(faceIds.map((id, i) => [id, out.subarray(i * dim, (i + 1) * dim)]));
    }
    return this.projected!.get(faceId)!;
  }

  /** An embedding that belongs to no stored face (a dropped photo's) in the same space. */
  query(raw: Float32Array): Float32Array {
    return this.transform ? this.transform(raw, raw.length) : raw;
  }

  /** A face with its embedding in the grouping space. */
  projectedFace(face: Face): Face {
    return { ...face, embedding: this.embedding(face.id, face.embedding) };
  }

  requirePerson(id: number): Person {
    const p = this.catalog.people.get(id);
    if (!p) throw new PeopleError(`person ${id} does not exist`, 'NOT_FOUND');
    return p;
  }

  requireFaces(ids: number[]): Face[] {
    if (!ids.length) throw new PeopleError('no faces given', 'INVALID');
    return ids.map((id) => {
      const f = this.catalog.faces.get(id);
      if (!f) throw new PeopleError(`face ${id} does not exist`, 'NOT_FOUND');
      return f;
    });
  }

  faceIdsOf(personId: number): number[] {
    return this.catalog.people.assignmentsOf(personId).map((a) => a.faceId);
  }
}
