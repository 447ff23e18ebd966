// Who a face or a person is likely to be: people ranked by the L2 distance from their centroid, found through
// the person index that grouping keeps (person-index-store.ts), so a page of suggestions does not read every
// embedding of the library.
import { PEOPLE_DEFAULTS } from '../../../shared/settings.ts';
import { personCentroids } from '../cluster/assign.ts';
import type { AssignedFace } from '../library/catalog/people.ts';
import type { PeopleContext } from './context.ts';
import type { PersonIndexStore } from './person-index-store.ts';
import type { FaceRef, Suggestion } from './types.ts';

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
  constructor(private readonly ctx: PeopleContext, private readonly personIndex: PersonIndexStore) {}

  /**
   * For each query vector, up to `limit` people nearest it (by their centroids, through the kept person index:
   * an exact scan for few people, HNSW for many) that `skip` does not rule out, nearest first, with names.
   * `skipped[i]` bounds how many people `skip` can rule out for query i, so that enough candidates are asked for.
   */
  private nearest(queries: Float32Array[], limit: number, skip: (i: number, personId: number) => boolean, skipped: (i: number) => number): Suggestion[][] {
    const { index } = this.personIndex.current();
    if (!index.size || !queries.length) return queries.map(() => []);
    const names = new Map<number, string | null>();
    const nameOf = (id: number): string | null => {
      if (!names.has(id)) names.set(id, this.ctx.catalog.people.get(id)?.name ?? null);
      return names.get(id)!;
    };
    return queries.map((q, i) => {
      const [match] = index.assign(q, 1, { threshold: Infinity, suggestions: limit + skipped(i) });
      return match.suggestions
        .filter((m) => !skip(i, m.personId))
        .slice(0, limit)
        .map((m) => ({ personId: m.personId, name: nameOf(m.personId), distance: m.distance }));
    });
  }

  /** Suggestions for faces nobody has: never a person the face was rejected from or one already in its photo. */
  forFaces<F extends FaceRef>(faces: F[]): (F & { suggestions: Suggestion[] })[] {
    const { catalog, modelId } = this.ctx;
    const rows = faces.map((ref) => catalog.faces.get(ref.faceId)!);
    const refused = rows.map((face) => new Set(catalog.people.constraintsOfFace(face.id).filter((c) => c.kind === 'reject').map((c) => c.personId)));
    const inPhoto = rows.map((face) => new Set(catalog.people.peopleInPhoto(face.photoId, modelId)));
    const found = this.nearest(
      rows.map((face) => this.ctx.embedding(face.id, face.embedding)),
      PEOPLE_DEFAULTS.suggestions,
      (i, personId) => refused[i].has(personId) || inPhoto[i].has(personId),
      (i) => refused[i].size + inPhoto[i].size,
    );
    return faces.map((ref, i) => ({ ...ref, suggestions: found[i] }));
  }

  /** The closest people to an embedding (e.g. a dropped photo's face): "who is this?". */
  whoIs(raw: Float32Array, limit = PEOPLE_DEFAULTS.suggestions): Suggestion[] {
    return this.nearest([this.ctx.query(raw)], limit, () => false, () => 0)[0];
  }

  /** People close to this one that share no photo with it. */
  suggestMerges(personId: number, limit = PEOPLE_DEFAULTS.suggestions): Suggestion[] {
    this.ctx.requirePerson(personId);
    const { catalog, modelId } = this.ctx;
    const me = this.personIndex.current().person(personId);
    if (!me) return [];
    // Everyone seen in a photo with this person (and the person itself) is someone else.
    const together = new Set<number>([personId, ...catalog.people.peopleSeenWith(personId, modelId)]);
    return this.nearest([me.vector], limit, (_, id) => together.has(id), () => together.size)[0];
  }
}
