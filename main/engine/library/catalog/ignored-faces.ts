// Ignored faces ("not a face", "a stranger"): the face stays in the catalog (its photo, box and embedding
// are kept) but is left out of the unassigned list, suggestions and automatic grouping until un-ignored.
import type Database from 'better-sqlite3';

/** One ignored face as the people views list it. */
export interface IgnoredFaceRow {
  faceId: number;
  photoId: number;
  path: string;
  box: { x: number; y: number; width: number; height: number };
  score: number;
}

export class IgnoredFaces {
  constructor(private readonly db: Database.Database) {}

  /** Ignores the faces; returns those that were not ignored before (what an undo must restore). */
  add(faceIds: number[]): number[] {
    const insert = this.db.prepare('INSERT OR IGNORE INTO ignored_faces (face_id, created_at) VALUES (?, ?)');
    const at = Date.now();
    return faceIds.filter((id) => insert.run(id, at).changes === 1);
  }

  /** Un-ignores the faces; returns those that were ignored. */
  remove(faceIds: number[]): number[] {
    const del = this.db.prepare('DELETE FROM ignored_faces WHERE face_id = ?');
    return faceIds.filter((id) => del.run(id).changes === 1);
  }

  has(faceId: number): boolean {
    return !!this.db.prepare('SELECT 1 FROM ignored_faces WHERE face_id = ?').get(faceId);
  }

  ids(): Set<number> {
    return new Set((this.db.prepare('SELECT face_id FROM ignored_faces').all() as { face_id: number }[]).map((r) => r.face_id));
  }

  /** One page of the ignored faces of live photos of a model, oldest face first. */
  page(modelId: string, offset: number, limit: number): { total: number; faces: IgnoredFaceRow[] } {
    const from = `FROM ignored_faces i JOIN faces f ON f.id = i.face_id JOIN photos p ON p.id = f.photo_id AND p.status = 'ok' WHERE f.model_id = ?`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(modelId) as { n: number }).n;
    const rows = this.db.prepare(`SELECT f.id, f.photo_id, p.path, f.x, f.y, f.w, f.h, f.score ${from} ORDER BY f.id LIMIT ? OFFSET ?`)
      .all(modelId, limit, offset) as { id: number; photo_id: number; path: string; x: number; y: number; w: number; h: number; score: number }[];
    return { total, faces: rows.map((r) => ({ faceId: r.id, photoId: r.photo_id, path: r.path, box: { x: r.x, y: r.y, width: r.w, height: r.h }, score: r.score })) };
  }
}
