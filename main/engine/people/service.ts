// People: faces grouped into identities by L2 distance, incrementally, with user decisions as hard
// constraints. A decision (name, merge, move, "not this person", hide, cover) locks the faces it touches
// (assignment source 'user'); clustering only ever re-groups faces whose assignment is 'auto' or absent.
// Two faces of one photo never share a person. Every decision is logged with the state it replaced, so
// undo restores exactly that state.
import { CLUSTER_DEFAULTS, ENGINE_DEFAULTS, PEOPLE_DEFAULTS } from '../../../shared/settings.ts';
import type { Catalog } from '../library/catalog/catalog.ts';
import { blobToEmbedding } from '../library/catalog/rows.ts';
import type { Face } from '../library/catalog/rows.ts';
import { averageLinkage } from '../cluster/average-linkage.ts';
import { PersonIndex } from '../cluster/assign.ts';
import { distanceToGroup, sizeAwareLimit } from '../cluster/merge-limit.ts';
import { MODEL_INFO } from '../face/models.ts';
import type { EmbeddingTransform } from './adapter-transform.ts';

export interface PersonSummary {
  id: number;
  name: string | null;
  hidden: boolean;
  coverFaceId: number | null;
  faceCount: number;
}

export interface FaceRef {
  faceId: number;
  photoId: number;
  path: string;
  box: { x: number; y: number; width: number; height: number };
  score: number;
  personId: number | null;
  source: 'auto' | 'user' | null;
}

export interface Suggestion {
  personId: number;
  name: string | null;
  distance: number;
}

export interface PeopleOptions {
  modelId?: string;
  /** The adopted adapter's projection (see adapter-transform.ts); faces are grouped in its space. */
  transform?: EmbeddingTransform;
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

/** The state a decision replaced: enough to put it back. */
interface Snapshot {
  assignments: [faceId: number, personId: number | null, source: 'auto' | 'user' | null][];
  people: { id: number; name: string | null; hidden: boolean; coverFaceId: number | null; createdAt: number; existed: boolean }[];
  constraintIds: number[];
  /** Reject constraints re-pointed from a merged-away person to the survivor: [constraint id, old person]. */
  movedRejects?: [number, number][];
}

interface Centroid {
  personId: number;
  vector: Float32Array;
  photos: Set<number>;
  /** Faces the centroid averages, and the length of their mean vector (see distanceToGroup). */
  faces: number;
  meanLength: number;
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += a[ao + k] * b[bo + k];
  return s;
}

/** L2 distance between unit vectors from their dot product. */
const unitDistance = (d: number) => Math.sqrt(Math.max(0, 2 - 2 * d));

export class PeopleService {
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

  private get db() {
    return this.catalog.db;
  }

  /** A face's embedding in the space faces are grouped in: the adapter's when one is adopted. */
  private emb(faceId: number, raw: Float32Array): Float32Array {
    if (!this.transform) return raw;
    if (!this.projected?.has(faceId)) {
      const faces = this.catalog.liveFaces(this.modelId);
      if (!faces.some((f) => f.id === faceId)) return this.transform(raw, raw.length);
      const dim = raw.length;
      const all = new Float32Array(faces.length * dim);
      faces.forEach((f, i) => all.set(f.embedding, i * dim));
      const out = this.transform(all, dim);
      this.projected = new Map(faces.map((f, i) => [f.id, out.subarray(i * dim, (i + 1) * dim)]));
    }
    return this.projected!.get(faceId)!;
  }

  // ------------------------------------------------------------------ reading

  listPeople(opts: { includeHidden?: boolean; search?: string } = {}): PersonSummary[] {
    const rows = this.db.prepare(
      `SELECT p.id, p.name, p.hidden, p.cover_face_id AS cover, COUNT(a.face_id) AS n
         FROM people p
         LEFT JOIN assignments a ON a.person_id = p.id
         LEFT JOIN faces f ON f.id = a.face_id
         LEFT JOIN photos ph ON ph.id = f.photo_id AND ph.status = 'ok'
        WHERE ph.id IS NOT NULL OR a.face_id IS NULL
        GROUP BY p.id
        ORDER BY (p.name IS NULL), n DESC, MAX(f.quality_frontal * MIN(f.quality_size, 200)) DESC, p.id`,
    ).all() as { id: number; name: string | null; hidden: number; cover: number | null; n: number }[];
    const q = opts.search?.trim().toLowerCase();
    return rows
      .filter((r) => (opts.includeHidden || !r.hidden) && r.n > 0)
      .filter((r) => !q || (r.name ?? 'unnamed').toLowerCase().includes(q))
      .map((r) => ({ id: r.id, name: r.name, hidden: !!r.hidden, coverFaceId: r.cover ?? this.defaultCover(r.id), faceCount: r.n }));
  }

  /** The sharpest, most frontal large face of a person, when the user chose no cover. */
  private defaultCover(personId: number): number | null {
    const r = this.db.prepare(
      `SELECT f.id FROM assignments a JOIN faces f ON f.id = a.face_id JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
        WHERE a.person_id = ? ORDER BY (a.source = 'user') DESC, f.quality_frontal * MIN(f.quality_size, 200) DESC LIMIT 1`,
    ).get(personId) as { id: number } | undefined;
    return r?.id ?? null;
  }

  private faceRefs(where: string, params: unknown[], page: { offset?: number; limit?: number }): { total: number; faces: FaceRef[] } {
    const base = `FROM faces f JOIN photos p ON p.id = f.photo_id AND p.status = 'ok' LEFT JOIN assignments a ON a.face_id = f.id
                  WHERE f.model_id = ? AND ${where}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${base}`).get(this.modelId, ...params) as { n: number }).n;
    const rows = this.db.prepare(
      `SELECT f.id, f.photo_id, p.path, f.x, f.y, f.w, f.h, f.score, a.person_id, a.source ${base} ORDER BY f.id LIMIT ? OFFSET ?`,
    ).all(this.modelId, ...params, page.limit ?? 200, page.offset ?? 0) as Record<string, never>[];
    return {
      total,
      faces: rows.map((r) => ({
        faceId: r.id, photoId: r.photo_id, path: r.path, box: { x: r.x, y: r.y, width: r.w, height: r.h },
        score: r.score, personId: r.person_id ?? null, source: r.source ?? null,
      })),
    };
  }

  personFaces(personId: number, page: { offset?: number; limit?: number } = {}): { total: number; faces: FaceRef[] } {
    this.requirePerson(personId);
    return this.faceRefs('a.person_id = ?', [personId], page);
  }

  unassigned(page: { offset?: number; limit?: number } = {}): { total: number; faces: (FaceRef & { suggestions: Suggestion[] })[] } {
    const { total, faces } = this.faceRefs('a.face_id IS NULL', [], page);
    const centroids = this.centroids();
    const rejected = this.rejections();
    const names = this.names();
    return {
      total,
      faces: faces.map((ref) => {
        const face = this.catalog.face(ref.faceId)!;
        const refused = rejected.get(face.id);
        const suggestions = this.rank(this.emb(face.id, face.embedding), centroids, (c) => !refused?.has(c.personId) && !c.photos.has(face.photoId), undefined, names);
        return { ...ref, suggestions };
      }),
    };
  }

  /** The closest people to an embedding (e.g. a dropped photo's face): "who is this?". */
  whoIs(raw: Float32Array, limit = PEOPLE_DEFAULTS.suggestions): Suggestion[] {
    const embedding = this.transform ? this.transform(raw, raw.length) : raw;
    return this.rank(embedding, this.centroids(), () => true, limit);
  }

  /** People close to this one that share no photo with it. */
  suggestMerges(personId: number, limit = PEOPLE_DEFAULTS.suggestions): Suggestion[] {
    this.requirePerson(personId);
    const all = this.centroids();
    const me = all.find((c) => c.personId === personId);
    if (!me) return [];
    return this.rank(me.vector, all, (c) => c.personId !== personId && ![...c.photos].some((ph) => me.photos.has(ph)), limit);
  }

  private names(): Map<number, string | null> {
    return new Map(this.catalog.people().map((p) => [p.id, p.name]));
  }

  /** The `limit` nearest people to a vector among the centroids that `keep` allows, with their names. */
  private rank(
    vector: Float32Array, centroids: Centroid[], keep: (c: Centroid) => boolean, limit = PEOPLE_DEFAULTS.suggestions, names = this.names(),
  ): Suggestion[] {
    return centroids
      .filter(keep)
      .map((c) => ({ personId: c.personId, name: names.get(c.personId) ?? null, distance: unitDistance(dot(vector, 0, c.vector, 0, vector.length)) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, limit);
  }

  /** Unit-length mean embedding of each person, from its user-confirmed faces when it has some. */
  private centroids(): Centroid[] {
    const rows = this.db.prepare(
      `SELECT a.person_id AS pid, a.source, a.face_id, f.embedding, f.photo_id FROM assignments a
         JOIN faces f ON f.id = a.face_id JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
        WHERE f.model_id = ?`,
    ).all(this.modelId) as { pid: number; source: string; face_id: number; embedding: Buffer; photo_id: number }[];
    const byPerson = new Map<number, { user: Float32Array[]; all: Float32Array[]; photos: Set<number> }>();
    for (const r of rows) {
      const v = this.emb(r.face_id, blobToEmbedding(r.embedding));
      let e = byPerson.get(r.pid);
      if (!e) byPerson.set(r.pid, (e = { user: [], all: [], photos: new Set() }));
      e.all.push(v);
      if (r.source === 'user') e.user.push(v);
      e.photos.add(r.photo_id);
    }
    const out: Centroid[] = [];
    for (const [personId, e] of byPerson) {
      const vs = e.user.length ? e.user : e.all;
      const c = new Float32Array(vs[0].length);
      for (const v of vs) for (let k = 0; k < c.length; k++) c[k] += v[k];
      const norm = Math.hypot(...c) || 1;
      for (let k = 0; k < c.length; k++) c[k] /= norm;
      out.push({ personId, vector: c, photos: e.photos, faces: vs.length, meanLength: norm / vs.length });
    }
    return out;
  }

  // ------------------------------------------------------------------ automatic grouping

  /**
   * Faces without a person that may be grouped automatically: live, of this model, confidently detected and
   * not tiny. `only` limits them to some face ids (new faces after indexing) without reading the rest.
   */
  private freeFaces(only?: number[]): Face[] {
    const assigned = new Set((this.db.prepare('SELECT face_id FROM assignments').all() as { face_id: number }[]).map((r) => r.face_id));
    const live = new Set((this.db.prepare(`SELECT id FROM photos WHERE status = 'ok'`).all() as { id: number }[]).map((r) => r.id));
    const faces = only
      ? only.map((id) => this.catalog.face(id)).filter((f): f is Face => !!f && f.modelId === this.modelId && live.has(f.photoId))
      : this.catalog.liveFaces(this.modelId);
    return faces
      .filter((f) => !assigned.has(f.id) && f.score >= PEOPLE_DEFAULTS.minClusterScore && f.quality.size >= PEOPLE_DEFAULTS.minClusterFaceSize)
      .map((f) => ({ ...f, embedding: this.emb(f.id, f.embedding) }));
  }

  /**
   * Incremental assignment: each face without a person joins the person whose centroid is nearest, when
   * within `assignThreshold`, not rejected, and no face of the same photo is in that person already.
   * Faces left over are grouped among themselves; groups of at least `minFaces` become new people.
   */
  assignNew(faceIds?: number[]): { assigned: number; unassigned: number; people: number } {
    return this.catalog.transaction(() => {
      const free = this.freeFaces(faceIds);
      const assigned = this.joinExisting(free);
      const rest = free.filter((f) => !assigned.has(f.id));
      const created = this.groupIntoNewPeople(rest);
      const stillFree = rest.length - created.faces;
      return { assigned: assigned.size + created.faces, unassigned: stillFree, people: created.people };
    });
  }

  /** Every "not this person" decision, by face. */
  private rejections(): Map<number, Set<number>> {
    const out = new Map<number, Set<number>>();
    for (const r of this.db.prepare(`SELECT face_id, person_id FROM constraints WHERE kind = 'reject'`).all() as { face_id: number; person_id: number }[]) {
      let set = out.get(r.face_id);
      if (!set) out.set(r.face_id, (set = new Set()));
      set.add(r.person_id);
    }
    return out;
  }

  private joinExisting(faces: Face[]): Set<number> {
    const joined = new Set<number>();
    const centroids = this.centroids();
    if (!centroids.length || !faces.length) return joined;
    const dim = faces[0].embedding.length;
    // Nearest people per face through the cluster module's index (exact for few people, HNSW for many).
    const rows = new Float32Array(centroids.length * dim);
    centroids.forEach((c, i) => rows.set(c.vector, i * dim));
    const index = PersonIndex.build(rows, centroids.map((c) => c.personId), dim, { seed: PEOPLE_DEFAULTS.seed });
    const queries = new Float32Array(faces.length * dim);
    faces.forEach((f, i) => queries.set(f.embedding, i * dim));
    const matches = index.assign(queries, faces.length, { threshold: this.assignThreshold, suggestions: PEOPLE_DEFAULTS.assignCandidates });
    const rejected = this.rejections();
    const byPerson = new Map(centroids.map((c) => [c.personId, c]));
    const limit = sizeAwareLimit(this.threshold, this.pairThreshold);
    // Closest pairs first, so when two faces of one photo want the same person the closer one wins.
    const offers: { face: Face; c: Centroid; d: number }[] = [];
    faces.forEach((face, i) => {
      for (const m of matches[i].suggestions) {
        const c = byPerson.get(m.personId)!;
        // The clustering's own rule: the face's average distance to the person's faces, within the limit for its size.
        const toGroup = distanceToGroup(1 - (m.distance * m.distance) / 2, c.meanLength);
        if (m.distance <= this.assignThreshold && toGroup <= limit(1, c.faces) && !rejected.get(face.id)?.has(m.personId)) offers.push({ face, c, d: m.distance });
      }
    });
    offers.sort((a, b) => a.d - b.d);
    for (const { face, c } of offers) {
      if (joined.has(face.id) || c.photos.has(face.photoId)) continue;
      this.catalog.assign(face.id, c.personId, 'auto');
      c.photos.add(face.photoId);
      joined.add(face.id);
    }
    return joined;
  }

  private groupIntoNewPeople(faces: Face[], reuse: Map<number, number> = new Map()): { people: number; faces: number } {
    if (faces.length < this.minFaces) return { people: 0, faces: 0 };
    const dim = faces[0].embedding.length;
    const vectors = new Float32Array(faces.length * dim);
    faces.forEach((f, i) => vectors.set(f.embedding, i * dim));
    const cannotLink: [number, number][] = [];
    const byPhoto = new Map<number, number[]>();
    faces.forEach((f, i) => byPhoto.set(f.photoId, [...(byPhoto.get(f.photoId) ?? []), i]));
    for (const rows of byPhoto.values()) for (let a = 0; a < rows.length; a++) for (let b = a + 1; b < rows.length; b++) cannotLink.push([rows[a], rows[b]]);
    const { labels, clusters } = averageLinkage.cluster(
      { vectors, n: faces.length, dim, cannotLink },
      { threshold: this.threshold, pairThreshold: this.pairThreshold, minClusterSize: this.minFaces, seed: PEOPLE_DEFAULTS.seed },
    );
    const members: number[][] = Array.from({ length: clusters }, () => []);
    labels.forEach((l, i) => l >= 0 && members[l].push(i));
    let people = 0, placed = 0;
    for (const rows of members) {
      if (rows.length < this.minFaces) continue;
      // Keep the id of the old automatic person most of these faces were in, so open views stay valid.
      const votes = new Map<number, number>();
      for (const i of rows) { const old = reuse.get(faces[i].id); if (old !== undefined) votes.set(old, (votes.get(old) ?? 0) + 1); }
      // ...unless a member was rejected from that person by the user.
      const rejects = new Set(rows.flatMap((i) => this.catalog.constraintsOfFace(faces[i].id).filter((c) => c.kind === 'reject').map((c) => c.personId)));
      const best = [...votes].filter(([p]) => !rejects.has(p)).sort((a, b) => b[1] - a[1])[0]?.[0];
      const personId = best !== undefined && this.catalog.person(best) ? best : this.catalog.createPerson().id;
      if (best !== undefined) reuse.forEach((p, f) => p === best && reuse.delete(f));
      for (const i of rows) this.catalog.assign(faces[i].id, personId, 'auto');
      people++;
      placed += rows.length;
    }
    return { people, faces: placed };
  }

  /**
   * Full re-cluster: automatic assignments are dropped and rebuilt; user-decided faces stay put and the
   * people they define attract faces first. People left with no face (automatic groups that dissolved) go.
   */
  recluster(): { people: number; assigned: number; unassigned: number } {
    return this.catalog.transaction(() => {
      const previous = new Map<number, number>();
      for (const r of this.db.prepare(`SELECT a.face_id, a.person_id FROM assignments a JOIN faces f ON f.id = a.face_id WHERE a.source = 'auto' AND f.model_id = ?`).all(this.modelId) as { face_id: number; person_id: number }[]) {
        previous.set(r.face_id, r.person_id);
      }
      this.db.prepare(`DELETE FROM assignments WHERE source = 'auto' AND face_id IN (SELECT id FROM faces WHERE model_id = ?)`).run(this.modelId);
      const free = this.freeFaces();
      const joined = this.joinExisting(free);
      const rest = free.filter((f) => !joined.has(f.id));
      const created = this.groupIntoNewPeople(rest, previous);
      this.dropEmptyAutomaticPeople();
      const people = this.listPeople({ includeHidden: true }).length;
      return { people, assigned: joined.size + created.faces, unassigned: rest.length - created.faces };
    });
  }

  /** People with no face left and no user decision on them (no name, not hidden, no cover) are removed. */
  private dropEmptyAutomaticPeople(): void {
    this.db.prepare(
      `DELETE FROM people WHERE name IS NULL AND hidden = 0 AND cover_face_id IS NULL
         AND id NOT IN (SELECT person_id FROM assignments)
         AND id NOT IN (SELECT person_id FROM constraints WHERE person_id IS NOT NULL)`,
    ).run();
  }

  // ------------------------------------------------------------------ user decisions

  private requirePerson(id: number) {
    const p = this.catalog.person(id);
    if (!p) throw new PeopleError(`person ${id} does not exist`, 'NOT_FOUND');
    return p;
  }

  private requireFaces(ids: number[]): Face[] {
    if (!ids.length) throw new PeopleError('no faces given', 'INVALID');
    return ids.map((id) => {
      const f = this.catalog.face(id);
      if (!f) throw new PeopleError(`face ${id} does not exist`, 'NOT_FOUND');
      return f;
    });
  }

  private snapshot(faceIds: number[], personIds: number[]): Snapshot {
    return {
      assignments: faceIds.map((id) => {
        const a = this.catalog.assignment(id);
        return [id, a?.personId ?? null, a?.source ?? null];
      }),
      people: personIds.map((id) => {
        const p = this.catalog.person(id);
        return p ? { id, name: p.name, hidden: p.hidden, coverFaceId: p.coverFaceId, createdAt: p.createdAt, existed: true }
          : { id, name: null, hidden: false, coverFaceId: null, createdAt: 0, existed: false };
      }),
      constraintIds: [],
    };
  }

  private faceIdsOf(personId: number): number[] {
    return this.catalog.assignmentsOfPerson(personId).map((a) => a.faceId);
  }

  /** Locks every face of the person: a decision on a person confirms its current members. */
  private lockFaces(personId: number): void {
    this.db.prepare(`UPDATE assignments SET source = 'user' WHERE person_id = ?`).run(personId);
  }

  private decide(kind: string, faceIds: number[], personIds: number[], act: (snap: Snapshot) => void): number {
    return this.catalog.transaction(() => {
      const snap = this.snapshot(faceIds, personIds);
      act(snap);
      return this.catalog.logDecision(kind, snap);
    });
  }

  rename(personId: number, name: string): void {
    const clean = name.trim();
    if (!clean) throw new PeopleError('a name cannot be empty', 'INVALID');
    this.requirePerson(personId);
    this.decide('rename', this.faceIdsOf(personId), [personId], () => {
      this.catalog.updatePerson(personId, { name: clean });
      this.lockFaces(personId);
    });
  }

  setHidden(personId: number, hidden: boolean): void {
    this.requirePerson(personId);
    this.decide(hidden ? 'hide' : 'show', this.faceIdsOf(personId), [personId], () => {
      this.catalog.updatePerson(personId, { hidden });
      this.lockFaces(personId);
    });
  }

  setCover(personId: number, faceId: number): void {
    this.requirePerson(personId);
    if (this.catalog.assignment(faceId)?.personId !== personId) throw new PeopleError(`face ${faceId} is not a face of person ${personId}`, 'INVALID');
    this.decide('cover', this.faceIdsOf(personId), [personId], () => {
      this.catalog.updatePerson(personId, { coverFaceId: faceId });
      this.lockFaces(personId);
    });
  }

  /**
   * Merges people into one (the first named one, else `into`, else the largest). Where two faces of one
   * photo would end up together, the one further from the merged centroid is left unassigned.
   */
  merge(personIds: number[], into?: number): number {
    const ids = [...new Set(personIds)];
    if (ids.length < 2) throw new PeopleError('merging needs at least two people', 'INVALID');
    const people = ids.map((id) => this.requirePerson(id));
    const target = into ?? (people.find((p) => p.name)?.id ?? ids.sort((a, b) => this.faceIdsOf(b).length - this.faceIdsOf(a).length)[0]);
    if (!ids.includes(target)) throw new PeopleError(`person ${target} is not among the merged people`, 'INVALID');
    const faceIds = ids.flatMap((id) => this.faceIdsOf(id));
    this.decide('merge', faceIds, ids, (snap) => {
      snap.movedRejects = [];
      const faces = faceIds.map((id) => this.catalog.face(id)!).map((f) => ({ ...f, embedding: this.emb(f.id, f.embedding) }));
      const dim = faces[0]?.embedding.length ?? 0;
      const centre = new Float32Array(dim);
      for (const f of faces) for (let k = 0; k < dim; k++) centre[k] += f.embedding[k];
      const byPhoto = new Map<number, Face[]>();
      for (const f of faces) byPhoto.set(f.photoId, [...(byPhoto.get(f.photoId) ?? []), f]);
      for (const group of byPhoto.values()) {
        group.sort((a, b) => dot(b.embedding, 0, centre, 0, dim) - dot(a.embedding, 0, centre, 0, dim));
        this.catalog.assign(group[0].id, target, 'user');
        for (const extra of group.slice(1)) this.catalog.unassign(extra.id);
      }
      const named = people.find((p) => p.id === target)?.name ?? people.find((p) => p.name)?.name ?? null;
      this.catalog.updatePerson(target, { name: named, hidden: people.every((p) => p.hidden) });
      for (const p of people) {
        if (p.id === target) continue;
        // "Not this person" decisions against a merged-away person now apply to the survivor.
        const moved = this.db.prepare(`SELECT id FROM constraints WHERE kind = 'reject' AND person_id = ?`).all(p.id) as { id: number }[];
        this.db.prepare(`UPDATE OR IGNORE constraints SET person_id = ? WHERE kind = 'reject' AND person_id = ?`).run(target, p.id);
        for (const { id } of moved) if (this.db.prepare('SELECT 1 FROM constraints WHERE id = ? AND person_id = ?').get(id, target)) snap.movedRejects!.push([id, p.id]);
        this.catalog.deletePerson(p.id);
      }
    });
    return target;
  }

  /** Moves faces to a person (null: to a new person). Each face also rejects the person it left. */
  moveFaces(faceIds: number[], toPersonId: number | null): number {
    const faces = this.requireFaces(faceIds);
    if (toPersonId !== null) this.requirePerson(toPersonId);
    const photos = new Set<number>();
    for (const f of faces) {
      if (photos.has(f.photoId)) throw new PeopleError(`two of these faces are in the same photo (${f.photoId}); one photo cannot show a person twice`, 'CONFLICT');
      photos.add(f.photoId);
    }
    const from = [...new Set(faces.map((f) => this.catalog.assignment(f.id)?.personId).filter((p): p is number => p !== undefined))];
    let target = toPersonId ?? -1;
    const displaced = toPersonId === null ? [] : this.faceIdsOf(toPersonId).filter((id) => photos.has(this.catalog.face(id)!.photoId) && !faceIds.includes(id));
    const fromFaces = from.flatMap((p) => this.faceIdsOf(p));
    this.decide('move', [...new Set([...faceIds, ...displaced, ...fromFaces])], [...from, ...(toPersonId === null ? [] : [toPersonId])], (snap) => {
      if (toPersonId === null) {
        target = this.catalog.createPerson().id;
        snap.people.push({ id: target, name: null, hidden: false, coverFaceId: null, createdAt: 0, existed: false });
      }
      // A face already in the target from the same photo was wrong: it leaves to make room.
      for (const id of displaced) this.catalog.unassign(id);
      for (const f of faces) {
        const old = this.catalog.assignment(f.id)?.personId;
        if (old !== undefined && old !== target) snap.constraintIds.push(...this.addReject(f.id, old));
        this.catalog.assign(f.id, target, 'user');
      }
      // The people the faces came from were looked at: what is left in them is confirmed.
      for (const p of from) if (p !== target) this.lockFaces(p);
    });
    return target;
  }

  private addReject(faceId: number, personId: number): number[] {
    const before = new Set(this.catalog.constraintsOfFace(faceId).map((c) => c.id));
    this.catalog.rejectPerson(faceId, personId);
    return this.catalog.constraintsOfFace(faceId).filter((c) => !before.has(c.id)).map((c) => c.id);
  }

  /** "Not this person": the faces leave the person and never return to it. */
  rejectFaces(faceIds: number[], personId: number): void {
    this.requireFaces(faceIds);
    this.requirePerson(personId);
    // The user looked at this person: the faces left in it are confirmed along with the rejection.
    this.decide('reject', [...new Set([...faceIds, ...this.faceIdsOf(personId)])], [personId], (snap) => {
      for (const id of faceIds) {
        snap.constraintIds.push(...this.addReject(id, personId));
        if (this.catalog.assignment(id)?.personId === personId) this.catalog.unassign(id);
      }
      this.lockFaces(personId);
    });
  }

  /** Accepts a suggestion: the faces join the person as confirmed members. */
  confirmFaces(faceIds: number[], personId: number): void {
    const faces = this.requireFaces(faceIds);
    this.requirePerson(personId);
    const taken = new Set(this.faceIdsOf(personId).map((id) => this.catalog.face(id)!.photoId));
    for (const f of faces) {
      if (taken.has(f.photoId) && this.catalog.assignment(f.id)?.personId !== personId) {
        throw new PeopleError(`person ${personId} already has a face in photo ${f.photoId}`, 'CONFLICT');
      }
      taken.add(f.photoId);
    }
    this.decide('confirm', faceIds, [personId], () => {
      for (const f of faces) {
        const c = this.catalog.constraintsOfFace(f.id).find((k) => k.kind === 'reject' && k.personId === personId);
        if (c) this.catalog.removeConstraint(c.id);
        this.catalog.assign(f.id, personId, 'user');
      }
    });
  }

  /** Undoes the newest user decision, restoring the faces, people and constraints it changed. */
  undo(): { undone: string } | null {
    const last = this.catalog.lastDecision<Snapshot>();
    if (!last) return null;
    this.catalog.transaction(() => {
      const snap = last.payload;
      for (const p of snap.people) {
        if (!p.existed) continue;
        if (!this.catalog.person(p.id)) {
          this.db.prepare('INSERT INTO people (id, name, hidden, cover_face_id, created_at) VALUES (?, ?, ?, ?, ?)').run(p.id, p.name, p.hidden ? 1 : 0, p.coverFaceId, p.createdAt);
        } else {
          this.catalog.updatePerson(p.id, { name: p.name, hidden: p.hidden, coverFaceId: p.coverFaceId });
        }
      }
      for (const id of snap.constraintIds) this.catalog.removeConstraint(id);
      for (const [id, personId] of snap.movedRejects ?? []) this.db.prepare('UPDATE OR IGNORE constraints SET person_id = ? WHERE id = ?').run(personId, id);
      for (const [faceId, personId, source] of snap.assignments) {
        if (!this.catalog.face(faceId)) continue;
        if (personId === null || !this.catalog.person(personId)) this.catalog.unassign(faceId);
        else this.catalog.assign(faceId, personId, source ?? 'auto');
      }
      // People the decision created go once they hold no face.
      for (const p of snap.people) {
        if (!p.existed && this.catalog.person(p.id) && !this.faceIdsOf(p.id).length) this.catalog.deletePerson(p.id);
      }
      this.catalog.markUndone(last.id);
    });
    return { undone: last.kind };
  }
}
