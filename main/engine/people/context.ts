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
  /** The adopted adapter whose space faces are grouped in (null: the model's own space). */
  readonly adapterId: number | null;
  /** Where the person index is kept between processes (null: rebuilt by each service). */
  readonly personIndexFile: string | null;
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
    this.adapterId = opts.adapterId ?? null;
    // An index file names the space it was built in: a transform without its adapter id cannot be named.
    this.personIndexFile = opts.transform && opts.adapterId === undefined ? null : opts.personIndexFile ?? null;
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

  /**
   * Embeddings in the grouping space, row-major: through the adapter in one batch, without reading the rest
   * of the library (embedding() projects every live face once, for callers that go on to most of them).
   */
  embeddingsOf(raw: readonly Float32Array[]): Float32Array {
    const dim = raw[0]?.length ?? 0;
    const vectors = new Float32Array(raw.length * dim);
    raw.forEach((v, i) => vectors.set(v, i * dim));
    return this.transform && raw.length ? this.transform(vectors, dim) : vectors;
  }

  /** A face with its embedding in the grouping space. */
  projectedFace(face: Face): Face {
    return { ...face, embedding: this.embedding(face.id, face.embedding) };
  }

  /** Faces with their embeddings in the grouping space, in one batch (embeddingsOf). */
  projectedFaces(faces: Face[]): Face[] {
    const vectors = this.embeddingsOf(faces.map((f) => f.embedding));
    const dim = faces[0]?.embedding.length ?? 0;
    return faces.map((f, i) => ({ ...f, embedding: vectors.subarray(i * dim, (i + 1) * dim) }));
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
