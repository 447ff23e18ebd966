// Automatic grouping: new faces join the nearest person (incremental assignment), the rest are clustered
// among themselves by average linkage; a full re-cluster rebuilds only what the user has not decided.
import { PEOPLE_DEFAULTS } from '../../../shared/settings.ts';
import { averageLinkage } from '../cluster/average-linkage.ts';
import { distanceToGroup, sizeAwareLimit } from '../cluster/merge-limit.ts';
import type { Face } from '../library/catalog/rows.ts';
import type { PeopleContext } from './context.ts';
import type { PersonIndexStore } from './person-index-store.ts';
import type { PeopleReadModel } from './read-model.ts';

export class PeopleGrouping {
  /** Every person's centroid, for new faces to join: kept on disk when the context names a file. */
  readonly personIndex: PersonIndexStore;

  constructor(private readonly ctx: PeopleContext, private readonly read: PeopleReadModel, personIndex: PersonIndexStore) {
    this.personIndex = personIndex;
  }

  /**
   * Faces without a person that may be grouped automatically: live, of this model, confidently detected and
   * not tiny. `only` limits them to some face ids (new faces after indexing) without reading the rest.
   */
  private freeFaces(only?: number[]): Face[] {
    const { catalog, modelId } = this.ctx;
    let waiting: Face[];
    if (only) waiting = catalog.faces.unassignedAmong(only, modelId);
    else {
      const assigned = catalog.people.assignedFaceIds();
      const ignored = catalog.ignored.ids();
      waiting = catalog.faces.live(modelId).filter((f) => !assigned.has(f.id) && !ignored.has(f.id));
    }
    const faces = waiting.filter((f) => f.score >= PEOPLE_DEFAULTS.minClusterScore && f.quality.size >= PEOPLE_DEFAULTS.minClusterFaceSize);
    return this.ctx.projectedFaces(faces);
  }

  /**
   * Incremental assignment: each face without a person joins the person whose centroid is nearest, when
   * within `assignThreshold`, its average distance to the person's faces within the size-aware limit
   * (merge-limit.ts), not rejected, and no face of the same photo is in that person already.
   * Faces left over are grouped among themselves; groups of at least `minFaces` become new people.
   */
  assignNew(faceIds?: number[]): { assigned: number; unassigned: number; people: number } {
    const result = this.committed(() => {
      const free = this.freeFaces(faceIds);
      const assigned = this.joinExisting(free);
      const rest = free.filter((f) => !assigned.has(f.id));
      const created = this.groupIntoNewPeople(rest);
      return { assigned: assigned.size + created.faces, unassigned: rest.length - created.faces, people: created.people };
    });
    // The index as joinExisting read it, before this call's assignments (they are recomputed next time).
    this.personIndex.save();
    return result;
  }

  /**
   * Full re-cluster: automatic assignments are dropped and rebuilt; user-decided faces stay put and the
   * people they define attract faces first. People left with no face (automatic groups that dissolved) go.
   */
  recluster(): { people: number; assigned: number; unassigned: number } {
    const { catalog, modelId } = this.ctx;
    const result = this.committed(() => {
      const previous = catalog.people.automaticAssignments(modelId);
      catalog.people.dropAutomaticAssignments(modelId);
      const free = this.freeFaces();
      const joined = this.joinExisting(free);
      const rest = free.filter((f) => !joined.has(f.id));
      const created = this.groupIntoNewPeople(rest, previous);
      catalog.people.dropEmptyAutomaticPeople();
      const people = this.read.listPeople({ includeHidden: true }).length;
      return { people, assigned: joined.size + created.faces, unassigned: rest.length - created.faces };
    });
    // Every person changed: the index is built for the people the re-cluster made, and kept for the next process.
    this.personIndex.keep();
    return result;
  }

  /**
   * Runs fn in one transaction. When it rolls back, the person index held in memory goes too: it may
   * have been brought up to date with writes that never happened.
   */
  private committed<T>(fn: () => T): T {
    try {
      return this.ctx.catalog.transaction(fn);
    } catch (err) {
      this.personIndex.forget();
      throw err;
    }
  }

  private joinExisting(faces: Face[]): Set<number> {
    const joined = new Set<number>();
    if (!faces.length) return joined;
    const { catalog, modelId } = this.ctx;
    // Nearest people per face through the cluster module's index (exact for few people, HNSW for many).
    const { index, person } = this.personIndex.current();
    if (!index.size) return joined;
    const dim = faces[0].embedding.length;
    const queries = new Float32Array(faces.length * dim);
    faces.forEach((f, i) => queries.set(f.embedding, i * dim));
    const matches = index.assign(queries, faces.length, { threshold: this.ctx.assignThreshold, suggestions: PEOPLE_DEFAULTS.assignCandidates });
    const rejected = catalog.people.rejections();
    const limit = sizeAwareLimit(this.ctx.threshold, this.ctx.pairThreshold);
    // Closest pairs first, so when two faces of one photo want the same person the closer one wins.
    const offers: { face: Face; personId: number; d: number }[] = [];
    faces.forEach((face, i) => {
      for (const m of matches[i].suggestions) {
        const { faces: size, meanLength } = person(m.personId)!;
        // The clustering's own rule: the face's average distance to the person's faces, within the limit for its size.
        const toGroup = distanceToGroup(1 - (m.distance * m.distance) / 2, meanLength);
        if (m.distance <= this.ctx.assignThreshold && toGroup <= limit(1, size) && !rejected.get(face.id)?.has(m.personId)) offers.push({ face, personId: m.personId, d: m.distance });
      }
    });
    offers.sort((a, b) => a.d - b.d);
    // A person never gets two faces of one photo: the people each photo has, read for the photos offered.
    const inPhoto = new Map<number, Set<number>>();
    const peopleIn = (photoId: number): Set<number> => {
      let people = inPhoto.get(photoId);
      if (!people) inPhoto.set(photoId, (people = new Set(catalog.people.peopleInPhoto(photoId, modelId))));
      return people;
    };
    for (const { face, personId } of offers) {
      if (joined.has(face.id) || peopleIn(face.photoId).has(personId)) continue;
      catalog.people.assign(face.id, personId, 'auto');
      peopleIn(face.photoId).add(personId);
      joined.add(face.id);
    }
    return joined;
  }

  private groupIntoNewPeople(faces: Face[], reuse: Map<number, number> = new Map()): { people: number; faces: number } {
    const { catalog, minFaces } = this.ctx;
    if (faces.length < minFaces) return { people: 0, faces: 0 };
    const dim = faces[0].embedding.length;
    const vectors = new Float32Array(faces.length * dim);
    faces.forEach((f, i) => vectors.set(f.embedding, i * dim));
    // Two faces of one photo are never the same person.
    const cannotLink: [number, number][] = [];
    const byPhoto = new Map<number, number[]>();
    faces.forEach((f, i) => byPhoto.set(f.photoId, [...(byPhoto.get(f.photoId) ?? []), i]));
    for (const rows of byPhoto.values()) for (let a = 0; a < rows.length; a++) for (let b = a + 1; b < rows.length; b++) cannotLink.push([rows[a], rows[b]]);
    const { labels, clusters } = averageLinkage.cluster(
      { vectors, n: faces.length, dim, cannotLink },
      { threshold: this.ctx.threshold, pairThreshold: this.ctx.pairThreshold, minClusterSize: minFaces, seed: PEOPLE_DEFAULTS.seed },
    );
    const members: number[][] = Array.from({ length: clusters }, () => []);
    labels.forEach((l, i) => l >= 0 && members[l].push(i));
    let people = 0, placed = 0;
    for (const rows of members) {
      if (rows.length < minFaces) continue;
      // Keep the id of the old automatic person most of these faces were in, so open views stay valid.
      const votes = new Map<number, number>();
      for (const i of rows) { const old = reuse.get(faces[i].id); if (old !== undefined) votes.set(old, (votes.get(old) ?? 0) + 1); }
      // ...unless a member was rejected from that person by the user.
      const rejects = new Set(rows.flatMap((i) => catalog.people.constraintsOfFace(faces[i].id).filter((c) => c.kind === 'reject').map((c) => c.personId)));
      // ...and only when that person is empty now: a person that kept faces (the user's) is no automatic
      // group to revive, and joining it is joinExisting's decision, by distance.
      const best = [...votes].filter(([p]) => !rejects.has(p) && !catalog.people.assignmentsOf(p).length).sort((a, b) => b[1] - a[1])[0]?.[0];
      const personId = best !== undefined && catalog.people.get(best) ? best : catalog.people.create().id;
      if (best !== undefined) reuse.forEach((p, f) => p === best && reuse.delete(f));
      for (const i of rows) catalog.people.assign(faces[i].id, personId, 'auto');
      people++;
      placed += rows.length;
    }
    return { people, faces: placed };
  }
}
