// Who a face or a person is likely to be: people ranked by the L2 distance from their centroid.
import { PEOPLE_DEFAULTS } from '../../../shared/settings.ts';
import { personCentroids } from '../cluster/assign.ts';
import { dot, unitDistance } from '../math/vectors.ts';
import type { AssignedFace } from '../library/catalog/people.ts';
import type { PeopleContext } from './context.ts';
import type { FaceRef, Suggestion } from './types.ts';

export interface Centroid {
  personId: number;
  vector: Float32Array;
  photos: Set<number>;
  /** Faces the centroid averages, and the length of their mean vector (see distanceToGroup). */
  faces: number;
  meanLength: number;
}

/**
 * Each person's centroid (personCentroids) over the faces that define them: the user-confirmed ones when the
 * person has some, else all. `vectorsOf` gives those faces' embeddings in the grouping space, row-major.
 */
export function personMeans(
  rows: AssignedFace[], vectorsOf: (members: AssignedFace[]) => Float32Array,
): ReturnType<typeof personCentroids> & { dim: number } {
  const confirmed = new Set(rows.filter((r) => r.source === 'user').map((r) => r.personId));
  const members = rows.filter((r) => r.source === 'user' || !confirmed.has(r.personId));
  if (!members.length) return { vectors: new Float32Array(0), personIds: [], faces: [], meanLengths: [], dim: 0 };
  const dim = members[0].embedding.length;
  return { ...personCentroids(vectorsOf(members), members.map((r) => r.personId), dim), dim };
}

export class PeopleSuggestions {
  constructor(private readonly ctx: PeopleContext) {}

  /** Unit-length mean embedding of each person, from its user-confirmed faces when it has some. */
  centroids(): Centroid[] {
    const rows = this.ctx.catalog.people.assignedFaces(this.ctx.modelId);
    const photos = new Map<number, Set<number>>();
    for (const r of rows) (photos.get(r.personId) ?? photos.set(r.personId, new Set()).get(r.personId)!).add(r.photoId);
    const c = personMeans(rows, (members) => {
      const vectors = new Float32Array(members.length * members[0].embedding.length);
      members.forEach((r, i) => vectors.set(this.ctx.embedding(r.faceId, r.embedding), i * r.embedding.length));
      return vectors;
    });
    return c.personIds.map((personId, i) => ({
      personId, vector: c.vectors.subarray(i * c.dim, (i + 1) * c.dim), photos: photos.get(personId)!, faces: c.faces[i], meanLength: c.meanLengths[i],
    }));
  }

  /** The `limit` nearest people to a vector among the centroids that `keep` allows, with their names. */
  rank(vector: Float32Array, centroids: Centroid[], keep: (c: Centroid) => boolean, limit = PEOPLE_DEFAULTS.suggestions, names = this.names()): Suggestion[] {
    return centroids
      .filter(keep)
      .map((c) => ({ personId: c.personId, name: names.get(c.personId) ?? null, distance: unitDistance(dot(vector, c.vector)) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, limit);
  }

  /** Suggestions for faces nobody has: never a person the face was rejected from or one already in its photo. */
  forFaces<F extends FaceRef>(faces: F[]): (F & { suggestions: Suggestion[] })[] {
    const centroids = this.centroids();
    const rejected = this.ctx.catalog.people.rejections();
    const names = this.names();
    return faces.map((ref) => {
      const face = this.ctx.catalog.faces.get(ref.faceId)!;
      const refused = rejected.get(face.id);
      const suggestions = this.rank(this.ctx.embedding(face.id, face.embedding), centroids, (c) => !refused?.has(c.personId) && !c.photos.has(face.photoId), undefined, names);
      return { ...ref, suggestions };
    });
  }

  /** The closest people to an embedding (e.g. a dropped photo's face): "who is this?". */
  whoIs(raw: Float32Array, limit = PEOPLE_DEFAULTS.suggestions): Suggestion[] {
    return this.rank(this.ctx.query(raw), this.centroids(), () => true, limit);
  }

  /** People close to this one that share no photo with it. */
  suggestMerges(personId: number, limit = PEOPLE_DEFAULTS.suggestions): Suggestion[] {
    this.ctx.requirePerson(personId);
    const all = this.centroids();
    const me = all.find((c) => c.personId === personId);
    if (!me) return [];
    return this.rank(me.vector, all, (c) => c.personId !== personId && ![...c.photos].some((ph) => me.photos.has(ph)), limit);
  }

  private names(): Map<number, string | null> {
    return new Map(this.ctx.catalog.people.all().map((p) => [p.id, p.name]));
  }
}
