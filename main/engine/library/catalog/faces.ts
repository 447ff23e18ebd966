// Faces: boxes, landmarks, quality and the embedding (Float32 BLOB) of every detected face, and the
// bulk reads of embeddings that clustering, the map and training start from.
import type Database from 'better-sqlite3';
import type { AnalysedFace } from '../../face/types.ts';
import { type Face, blobToEmbedding, embeddingToBlob, toFace } from './rows.ts';

type Row = Record<string, unknown>;
const now = (): number => Date.now();

/** Embeddings of many faces packed row-major (n x dim) in the order of faceIds. */
export interface EmbeddingMatrix {
  faceIds: number[];
  vectors: Float32Array;
  dim: number;
}

export class FaceStore {
  constructor(private readonly db: Database.Database) {}

  insert(photoId: number, f: AnalysedFace, detectorId: string): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, source, quality_size, quality_sharpness, quality_frontal,
                            embedding, model_id, detector_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(photoId, f.box.x, f.box.y, f.box.width, f.box.height, JSON.stringify(f.landmarks), f.score, f.source, f.quality.size, f.quality.sharpness, f.quality.frontal, embeddingToBlob(f.embedding), f.modelId, detectorId, now());
    return Number(lastInsertRowid);
  }

  update(faceId: number, f: AnalysedFace, detectorId: string): void {
    this.db
      .prepare(
        `UPDATE faces SET x = ?, y = ?, w = ?, h = ?, landmarks = ?, score = ?, source = ?, quality_size = ?, quality_sharpness = ?,
                          quality_frontal = ?, embedding = ?, model_id = ?, detector_id = ?, thumb = NULL WHERE id = ?`,
      )
      .run(f.box.x, f.box.y, f.box.width, f.box.height, JSON.stringify(f.landmarks), f.score, f.source, f.quality.size, f.quality.sharpness, f.quality.frontal, embeddingToBlob(f.embedding), f.modelId, detectorId, faceId);
  }

  /** Puts a deleted face back with its old id (ids are never reused: AUTOINCREMENT), for undoing its removal. */
  restore(f: Face): void {
    this.db
      .prepare(
        `INSERT INTO faces (id, photo_id, x, y, w, h, landmarks, score, source, quality_size, quality_sharpness, quality_frontal,
                            embedding, model_id, detector_id, thumb, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(f.id, f.photoId, f.box.x, f.box.y, f.box.width, f.box.height, JSON.stringify(f.landmarks), f.score, f.source, f.quality.size, f.quality.sharpness, f.quality.frontal,
        embeddingToBlob(f.embedding), f.modelId, f.detectorId, f.thumb, f.createdAt);
  }

  /** Deletes a face (one drawn by hand); its assignment and constraints go with it. */
  delete(faceId: number): void {
    this.db.prepare('DELETE FROM faces WHERE id = ?').run(faceId);
  }

  get(id: number): Face | undefined {
    const r = this.db.prepare('SELECT * FROM faces WHERE id = ?').get(id) as Row | undefined;
    return r && toFace(r);
  }

  ofPhoto(photoId: number): Face[] {
    return (this.db.prepare('SELECT * FROM faces WHERE photo_id = ? ORDER BY id').all(photoId) as Row[]).map(toFace);
  }

  /** The ids of a photo's faces (no embeddings read). */
  idsOfPhoto(photoId: number): number[] {
    return (this.db.prepare('SELECT id FROM faces WHERE photo_id = ? ORDER BY id').pluck().all(photoId) as number[]);
  }

  /** Faces of analysed (not retired) photos, optionally of one embedding model only. */
  live(modelId?: string): Face[] {
    const sql = `SELECT f.* FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' ${modelId ? 'AND f.model_id = ?' : ''} ORDER BY f.id`;
    return (this.db.prepare(sql).all(...(modelId ? [modelId] : [])) as Row[]).map(toFace);
  }

  /**
   * The faces among `ids` (in that order) of this model, in analysed photos, that have no person and are not
   * ignored: the new faces of an index run that may join people, read without the rest of the library.
   */
  unassignedAmong(ids: number[], modelId: string): Face[] {
    const rows = this.db.prepare(
      `SELECT f.* FROM faces f JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
        WHERE f.id IN (SELECT value FROM json_each(?)) AND f.model_id = ?
          AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.face_id = f.id)
          AND NOT EXISTS (SELECT 1 FROM ignored_faces i WHERE i.face_id = f.id)`,
    ).all(JSON.stringify(ids), modelId) as Row[];
    const byId = new Map(rows.map((r) => [r.id as number, toFace(r)]));
    return ids.map((id) => byId.get(id)).filter((f): f is Face => f !== undefined);
  }

  setThumb(faceId: number, thumb: string | null): void {
    this.db.prepare('UPDATE faces SET thumb = ? WHERE id = ?').run(thumb, faceId);
  }

  /** Faces of analysed photos with this model. */
  countLive(modelId: string): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' AND f.model_id = ?").get(modelId) as { n: number }).n;
  }

  /** The embedding model most faces were indexed with, or undefined for a catalog without faces. */
  commonModel(): string | undefined {
    return (this.db.prepare('SELECT model_id AS m, COUNT(*) AS n FROM faces GROUP BY model_id ORDER BY n DESC LIMIT 1').get() as { m: string } | undefined)?.m;
  }

  /** Every live face's embedding of one model, by face id. */
  liveEmbeddings(modelId: string): EmbeddingMatrix {
    const rows = this.db
      .prepare("SELECT f.id, f.embedding FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' AND f.model_id = ? ORDER BY f.id")
      .raw()
      .all(modelId) as [number, Buffer][];
    return packRows(rows);
  }

  /** Ids of the live faces of one model, ascending as liveEmbeddings reads them, and each one's photo: the map without its embeddings. */
  liveFacesOfModel(modelId: string): { faceIds: number[]; photoIds: number[] } {
    const rows = this.db
      .prepare("SELECT f.id, f.photo_id FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' AND f.model_id = ? ORDER BY f.id")
      .raw()
      .all(modelId) as [number, number][];
    return { faceIds: rows.map((r) => r[0]), photoIds: rows.map((r) => r[1]) };
  }

  /** Live faces of one model with the person each is assigned to and how (training labels). */
  liveEmbeddingsWithPeople(modelId: string): EmbeddingMatrix & { personIds: (number | null)[]; sources: (string | null)[] } {
    const rows = this.db.prepare(
      `SELECT f.id, f.embedding, a.person_id, a.source FROM faces f JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
         LEFT JOIN assignments a ON a.face_id = f.id WHERE f.model_id = ? ORDER BY f.id`,
    ).raw().all(modelId) as [number, Buffer, number | null, string | null][];
    return { ...packRows(rows.map((r) => [r[0], r[1]])), personIds: rows.map((r) => r[2]), sources: rows.map((r) => r[3]) };
  }
}

function packRows(rows: [number, Buffer][]): EmbeddingMatrix {
  const dim = rows.length ? rows[0][1].byteLength / 4 : 0;
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach(([, blob], i) => vectors.set(blobToEmbedding(blob), i * dim));
  return { faceIds: rows.map((r) => r[0]), vectors, dim };
}
