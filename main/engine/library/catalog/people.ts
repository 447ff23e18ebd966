// People, the assignment of faces to them (auto or user) and the constraints users set ("not this person").
import type Database from 'better-sqlite3';
import { type Assignment, type AssignmentSource, type Constraint, type Person, blobToEmbedding, toAssignment, toConstraint, toPerson } from './rows.ts';

type Row = Record<string, unknown>;
const now = (): number => Date.now();

export class PeopleStore {
  private assignStatement: Database.Statement | undefined;

  constructor(private readonly db: Database.Database) {}

  create(name: string | null = null, opts: { hidden?: boolean; coverFaceId?: number | null } = {}): Person {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO people (name, hidden, cover_face_id, created_at) VALUES (?, ?, ?, ?)')
      .run(name, opts.hidden ? 1 : 0, opts.coverFaceId ?? null, now());
    return this.get(Number(lastInsertRowid))!;
  }

  get(id: number): Person | undefined {
    const r = this.db.prepare('SELECT * FROM people WHERE id = ?').get(id) as Row | undefined;
    return r && toPerson(r);
  }

  all(): Person[] {
    return (this.db.prepare('SELECT * FROM people ORDER BY id').all() as Row[]).map(toPerson);
  }

  /** Whether the catalog holds any person yet (without reading them). */
  any(): boolean {
    return this.db.prepare('SELECT 1 FROM people LIMIT 1').get() !== undefined;
  }

  update(id: number, change: { name?: string | null; hidden?: boolean; coverFaceId?: number | null }): void {
    if (change.name !== undefined) this.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(change.name, id);
    if (change.hidden !== undefined) this.db.prepare('UPDATE people SET hidden = ? WHERE id = ?').run(change.hidden ? 1 : 0, id);
    if (change.coverFaceId !== undefined) this.db.prepare('UPDATE people SET cover_face_id = ? WHERE id = ?').run(change.coverFaceId, id);
  }

  /** Deleting a person frees its faces (their assignments go) and drops constraints naming it. */
  delete(id: number): void {
    this.db.prepare('DELETE FROM people WHERE id = ?').run(id);
  }

  assign(faceId: number, personId: number, source: AssignmentSource): void {
    // Prepared once: compiling it compiles every trigger on assignments (the photo index, the change log),
    // which cost more than running it (a re-cluster assigns every face).
    this.assignStatement ??= this.db.prepare(
      `INSERT INTO assignments (face_id, person_id, source, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (face_id) DO UPDATE SET person_id = excluded.person_id, source = excluded.source, created_at = excluded.created_at`,
    );
    this.assignStatement.run(faceId, personId, source, now());
  }

  unassign(faceId: number): void {
    this.db.prepare('DELETE FROM assignments WHERE face_id = ?').run(faceId);
  }

  assignment(faceId: number): Assignment | undefined {
    const r = this.db.prepare('SELECT * FROM assignments WHERE face_id = ?').get(faceId) as Row | undefined;
    return r && toAssignment(r);
  }

  assignmentsOf(personId: number): Assignment[] {
    return (this.db.prepare('SELECT * FROM assignments WHERE person_id = ? ORDER BY face_id').all(personId) as Row[]).map(toAssignment);
  }


  /** "This face is not that person." */
  reject(faceId: number, personId: number): void {
    this.db.prepare("INSERT OR IGNORE INTO constraints (kind, face_id, person_id, created_at) VALUES ('reject', ?, ?, ?)").run(faceId, personId, now());
  }

  linkFaces(a: number, b: number, kind: 'cannot-link' | 'must-link'): void {
    if (a === b) throw new Error('linkFaces: a face cannot be linked to itself');
    const [lo, hi] = a < b ? [a, b] : [b, a];
    this.db
      .prepare(
        `INSERT INTO constraints (kind, face_id, other_face_id, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (face_id, other_face_id) WHERE kind != 'reject' DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at`,
      )
      .run(kind, lo, hi, now());
  }

  removeConstraint(id: number): void {
    this.db.prepare('DELETE FROM constraints WHERE id = ?').run(id);
  }

  constraintsOfFace(faceId: number): Constraint[] {
    return (this.db.prepare('SELECT * FROM constraints WHERE face_id = ? OR other_face_id = ? ORDER BY id').all(faceId, faceId) as Row[]).map(toConstraint);
  }

  // ---------------------------------------------------------------- read models of the people service

  /** Every person with the number of its faces in analysed photos. */
  summaries(): { id: number; name: string | null; hidden: boolean; coverFaceId: number | null; faceCount: number }[] {
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
    return rows.map((r) => ({ id: r.id, name: r.name, hidden: !!r.hidden, coverFaceId: r.cover, faceCount: r.n }));
  }

  /** One person with the number of its faces in analysed photos (what summaries() says of it, without the rest). */
  summary(personId: number): { id: number; name: string | null; hidden: boolean; coverFaceId: number | null; faceCount: number } | undefined {
    const r = this.db.prepare(
      `SELECT p.id, p.name, p.hidden, p.cover_face_id AS cover,
              (SELECT COUNT(*) FROM assignments a JOIN faces f ON f.id = a.face_id JOIN photos ph ON ph.id = f.photo_id AND ph.status = 'ok'
                WHERE a.person_id = p.id) AS n
         FROM people p WHERE p.id = ?`,
    ).get(personId) as { id: number; name: string | null; hidden: number; cover: number | null; n: number } | undefined;
    return r && { id: r.id, name: r.name, hidden: !!r.hidden, coverFaceId: r.cover, faceCount: r.n };
  }

  /** The sharpest, most frontal large face of a person (confirmed faces first): its cover when none was chosen. */
  bestFace(personId: number): number | null {
    const r = this.db.prepare(
      `SELECT f.id FROM assignments a JOIN faces f ON f.id = a.face_id JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
        WHERE a.person_id = ? ORDER BY (a.source = 'user') DESC, f.quality_frontal * MIN(f.quality_size, 200) DESC LIMIT 1`,
    ).get(personId) as { id: number } | undefined;
    return r?.id ?? null;
  }

  /** A page of faces of one model in analysed photos, of one person or of nobody, by face id. */
  facePage(modelId: string, of: { personId: number } | 'unassigned', page: { offset?: number; limit?: number }): { total: number; faces: FaceRow[] } {
    // Ignored faces ("Ignore face") have no person and are not waiting for one.
    const where = of === 'unassigned' ? 'a.face_id IS NULL AND f.id NOT IN (SELECT face_id FROM ignored_faces)' : 'a.person_id = ?';
    const params = of === 'unassigned' ? [] : [of.personId];
    const base = `FROM faces f JOIN photos p ON p.id = f.photo_id AND p.status = 'ok' LEFT JOIN assignments a ON a.face_id = f.id
                  WHERE f.model_id = ? AND ${where}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${base}`).get(modelId, ...params) as { n: number }).n;
    const rows = this.db.prepare(
      `SELECT f.id, f.photo_id, p.path, f.x, f.y, f.w, f.h, f.score, a.person_id, a.source ${base} ORDER BY f.id LIMIT ? OFFSET ?`,
    ).all(modelId, ...params, page.limit ?? 200, page.offset ?? 0) as Record<string, never>[];
    return {
      total,
      faces: rows.map((r) => ({
        faceId: r.id, photoId: r.photo_id, path: r.path, box: { x: r.x, y: r.y, width: r.w, height: r.h },
        score: r.score, personId: r.person_id ?? null, source: r.source ?? null,
      })),
    };
  }

  /**
   * Every assigned face of one model in analysed photos, with its person, source and photo, by face id;
   * `of` limits them to some people. (`+f.model_id`: the model's index would walk all its faces, where the
   * assignments, or the people's, are what to walk.)
   */
  assignedFaces(modelId: string, of?: number[]): AssignedFace[] {
    const rows = this.db.prepare(
      `SELECT a.person_id, a.source, a.face_id, f.embedding, f.photo_id FROM assignments a
         JOIN faces f ON f.id = a.face_id JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
        WHERE +f.model_id = ? ${of ? 'AND a.person_id IN (SELECT value FROM json_each(?))' : ''} ORDER BY a.face_id`,
    ).raw().all(modelId, ...(of ? [JSON.stringify(of)] : [])) as [number, AssignmentSource, number, Buffer, number][];
    return rows.map(([personId, source, faceId, blob, photoId]) => ({ personId, source, faceId, embedding: blobToEmbedding(blob), photoId }));
  }

  /** The people that a face of this model in this photo belongs to (through the photo's faces, not the model's). */
  peopleInPhoto(photoId: number, modelId: string): number[] {
    return this.db.prepare(
      'SELECT DISTINCT a.person_id FROM faces f JOIN assignments a ON a.face_id = f.id WHERE f.photo_id = ? AND +f.model_id = ?',
    ).pluck().all(photoId, modelId) as number[];
  }

  /**
   * The people with a face of this model in an analysed photo where this person has one too (the person
   * included): who they were seen with, read without their embeddings.
   */
  peopleSeenWith(personId: number, modelId: string): number[] {
    return this.db.prepare(
      `SELECT DISTINCT other.person_id FROM assignments mine
         JOIN faces f ON f.id = mine.face_id JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
         JOIN faces g ON g.photo_id = f.photo_id JOIN assignments other ON other.face_id = g.id
        WHERE mine.person_id = ? AND +f.model_id = ? AND +g.model_id = ?`,
    ).pluck().all(personId, modelId, modelId) as number[];
  }

  /** Ids of every face that has a person. */
  assignedFaceIds(): Set<number> {
    return new Set(this.db.prepare('SELECT face_id FROM assignments').pluck().all() as number[]);
  }

  /** Every "not this person" decision: face id -> the people it is not. */
  rejections(): Map<number, Set<number>> {
    const out = new Map<number, Set<number>>();
    for (const [faceId, personId] of this.db.prepare("SELECT face_id, person_id FROM constraints WHERE kind = 'reject'").raw().all() as [number, number][]) {
      let set = out.get(faceId);
      if (!set) out.set(faceId, (set = new Set()));
      set.add(personId);
    }
    return out;
  }

  /** face id -> person id for every assigned face. */
  personOfFace(): Map<number, number> {
    return new Map(this.db.prepare('SELECT face_id, person_id FROM assignments').raw().all() as [number, number][]);
  }

  /** Automatic assignments of one model's faces: face id -> person id. */
  automaticAssignments(modelId: string): Map<number, number> {
    const rows = this.db.prepare(
      "SELECT a.face_id, a.person_id FROM assignments a JOIN faces f ON f.id = a.face_id WHERE a.source = 'auto' AND f.model_id = ?",
    ).raw().all(modelId) as [number, number][];
    return new Map(rows);
  }

  /** Drops every automatic assignment of one model's faces (a full re-cluster rebuilds them). */
  dropAutomaticAssignments(modelId: string): void {
    this.db.prepare("DELETE FROM assignments WHERE source = 'auto' AND face_id IN (SELECT id FROM faces WHERE model_id = ?)").run(modelId);
  }

  /** People with no face left and no user decision on them (no name, not hidden, no cover, no rejection) go. */
  dropEmptyAutomaticPeople(): void {
    this.db.prepare(
      `DELETE FROM people WHERE name IS NULL AND hidden = 0 AND cover_face_id IS NULL
         AND id NOT IN (SELECT person_id FROM assignments)
         AND id NOT IN (SELECT person_id FROM constraints WHERE person_id IS NOT NULL)`,
    ).run();
  }

  /** Every face of the person becomes a user decision (a decision on a person confirms its members). */
  lockFaces(personId: number): void {
    this.db.prepare("UPDATE assignments SET source = 'user' WHERE person_id = ?").run(personId);
  }

  /** Re-points "not this person" decisions from one person to another; returns the ids that moved. */
  moveRejections(fromPersonId: number, toPersonId: number): number[] {
    const ids = this.db.prepare("SELECT id FROM constraints WHERE kind = 'reject' AND person_id = ?").pluck().all(fromPersonId) as number[];
    this.db.prepare("UPDATE OR IGNORE constraints SET person_id = ? WHERE kind = 'reject' AND person_id = ?").run(toPersonId, fromPersonId);
    return ids.filter((id) => this.db.prepare('SELECT 1 FROM constraints WHERE id = ? AND person_id = ?').get(id, toPersonId));
  }

  /** Points one rejection back at a person (undo of moveRejections). */
  setRejectionPerson(constraintId: number, personId: number): void {
    this.db.prepare('UPDATE OR IGNORE constraints SET person_id = ? WHERE id = ?').run(personId, constraintId);
  }

  /** Re-creates a deleted person with its id and fields (undo). */
  restore(p: Person): void {
    this.db.prepare('INSERT INTO people (id, name, hidden, cover_face_id, created_at) VALUES (?, ?, ?, ?, ?)').run(p.id, p.name, p.hidden ? 1 : 0, p.coverFaceId, p.createdAt);
  }
}

/** An assigned face with its embedding (the stuff of a person's centroid). */
export interface AssignedFace {
  personId: number;
  source: AssignmentSource;
  faceId: number;
  embedding: Float32Array;
  photoId: number;
}

/** A face as the people views list it. */
export interface FaceRow {
  faceId: number;
  photoId: number;
  path: string;
  box: { x: number; y: number; width: number; height: number };
  score: number;
  personId: number | null;
  source: AssignmentSource | null;
}
