// Photos: one row per file path the library has seen, with its analysis state; writes of one photo in one transaction.
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { FaceStore } from './faces.ts';
import { type Photo, type PhotoStatus, toPhoto } from './rows.ts';
import type { FaceSet, PhotoFile, PhotoMeta } from './types.ts';

type Row = Record<string, unknown>;
const now = (): number => Date.now();

export class PhotoStore {
  constructor(
    private readonly db: Database.Database,
    private readonly faces: FaceStore,
    private readonly tx: <T>(fn: () => T) => T,
  ) {}

  get(id: number): Photo | undefined {
    const r = this.db.prepare('SELECT * FROM photos WHERE id = ?').get(id) as Row | undefined;
    return r && toPhoto(r);
  }

  /** The row that currently owns a path (any status but 'retired'). */
  liveByPath(filePath: string): Photo | undefined {
    const r = this.db.prepare("SELECT * FROM photos WHERE path = ? AND status != 'retired'").get(filePath) as Row | undefined;
    return r && toPhoto(r);
  }

  /**
   * The photo that holds the faces of this content: an analysed ('ok') row first, else the most
   * recently retired one. Failed rows never match, so two broken files are never merged.
   */
  canonicalByHash(hash: string): Photo | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM photos WHERE content_hash = ? AND status IN ('ok', 'retired')
         ORDER BY status = 'ok' DESC, retired_at DESC, id LIMIT 1`,
      )
      .get(hash) as Row | undefined;
    return r && toPhoto(r);
  }

  duplicatesOf(photoId: number): Photo[] {
    return (this.db.prepare("SELECT * FROM photos WHERE duplicate_of = ? AND status = 'duplicate' ORDER BY path").all(photoId) as Row[]).map(toPhoto);
  }

  list(filter: { status?: PhotoStatus; rootId?: number } = {}): Photo[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.status) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.rootId !== undefined) {
      where.push('root_id = ?');
      args.push(filter.rootId);
    }
    const sql = `SELECT * FROM photos ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY path, id`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toPhoto);
  }

  /** Live rows (not retired) whose path lies under a folder, for finding files that have disappeared. */
  liveUnder(folder: string): Photo[] {
    const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
    // A range on the path: every string that starts with prefix sorts between it and prefix with its last
    // (ASCII separator) byte raised by one; uses the path index and counts no characters.
    const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return (
      this.db.prepare("SELECT * FROM photos WHERE status != 'retired' AND path >= ? AND path < ? ORDER BY path").all(prefix, upper) as Row[]
    ).map(toPhoto);
  }

  /** Files that could not be indexed, with the reason. */
  failures(): Photo[] {
    return this.list({ status: 'failed' });
  }

  /** Adds an analysed photo and its faces; returns the ids of the faces in the order given. */
  insertAnalysed(file: PhotoFile, meta: PhotoMeta, faces: FaceSet): { photoId: number; faceIds: number[] } {
    return this.tx(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO photos (root_id, path, size, mtime_ms, content_hash, width, height, orientation, taken_at,
                               status, detector_id, model_id, indexed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?)`,
        )
        .run(file.rootId, file.path, file.size, file.mtimeMs, meta.contentHash, meta.width, meta.height, meta.orientation, meta.takenAt, faces.detectorId, faces.modelId, now());
      const photoId = Number(lastInsertRowid);
      const faceIds = faces.faces.map((f) => this.faces.insert(photoId, f, faces.detectorId));
      return { photoId, faceIds };
    });
  }

  /**
   * Replaces the analysis of a photo whose content changed. `keep[i]` is the id of an old face that
   * new face i re-detects (the caller decides how): it keeps that id, so its assignment and constraints stay.
   * Old faces not kept are deleted; their ids are returned.
   */
  replaceAnalysis(photoId: number, file: PhotoFile, meta: PhotoMeta, faces: FaceSet, keep: (number | null)[]): { faceIds: number[]; removedFaceIds: number[] } {
    return this.tx(() => {
      this.db
        .prepare(
          `UPDATE photos SET root_id = ?, path = ?, size = ?, mtime_ms = ?, content_hash = ?, width = ?, height = ?, orientation = ?,
                  taken_at = ?, status = 'ok', duplicate_of = NULL, error_code = NULL, error_message = NULL,
                  detector_id = ?, model_id = ?, indexed_at = ?, retired_at = NULL
           WHERE id = ?`,
        )
        .run(file.rootId, file.path, file.size, file.mtimeMs, meta.contentHash, meta.width, meta.height, meta.orientation, meta.takenAt, faces.detectorId, faces.modelId, now(), photoId);
      const old = (this.db.prepare('SELECT id FROM faces WHERE photo_id = ?').all(photoId) as { id: number }[]).map((r) => r.id);
      const kept = new Set(keep.filter((id): id is number => id !== null && old.includes(id)));
      const removedFaceIds = old.filter((id) => !kept.has(id));
      const del = this.db.prepare('DELETE FROM faces WHERE id = ?');
      for (const id of removedFaceIds) del.run(id);
      const faceIds = faces.faces.map((f, i) => {
        const id = keep[i];
        if (id !== null && id !== undefined && kept.has(id)) {
          this.faces.update(id, f, faces.detectorId);
          return id;
        }
        return this.faces.insert(photoId, f, faces.detectorId);
      });
      return { faceIds, removedFaceIds };
    });
  }

  /**
   * Records a file that could not be indexed. It takes over the live row at that path when that
   * row is itself a failure; the caller detaches any other owner first.
   */
  recordFailure(file: PhotoFile, contentHash: string | null, code: string, message: string): number {
    return this.tx(() => {
      const existing = this.liveByPath(file.path);
      if (existing && existing.status !== 'failed') throw new Error(`recordFailure: ${file.path} is still owned by photo ${existing.id} (${existing.status})`);
      if (existing) {
        this.db
          .prepare('UPDATE photos SET root_id = ?, size = ?, mtime_ms = ?, content_hash = ?, error_code = ?, error_message = ?, indexed_at = ? WHERE id = ?')
          .run(file.rootId, file.size, file.mtimeMs, contentHash, code, message, now(), existing.id);
        return existing.id;
      }
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO photos (root_id, path, size, mtime_ms, content_hash, status, error_code, error_message, indexed_at)
           VALUES (?, ?, ?, ?, ?, 'failed', ?, ?, ?)`,
        )
        .run(file.rootId, file.path, file.size, file.mtimeMs, contentHash, code, message, now());
      return Number(lastInsertRowid);
    });
  }

  /** Records a second path with the same content as `canonicalId`; it gets no faces of its own. */
  insertDuplicate(file: PhotoFile, contentHash: string, canonicalId: number): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO photos (root_id, path, size, mtime_ms, content_hash, status, duplicate_of, indexed_at)
         VALUES (?, ?, ?, ?, ?, 'duplicate', ?, ?)`,
      )
      .run(file.rootId, file.path, file.size, file.mtimeMs, contentHash, canonicalId, now());
    return Number(lastInsertRowid);
  }

  /** The same content now lives at another path (rename, move) or got a new mtime (touch). */
  updateFile(photoId: number, file: PhotoFile): void {
    this.db.prepare('UPDATE photos SET root_id = ?, path = ?, size = ?, mtime_ms = ? WHERE id = ?').run(file.rootId, file.path, file.size, file.mtimeMs, photoId);
  }


  /** Analysed and duplicate photos of a root (what removing the folder retires). */
  liveIdsOfRoot(rootId: number): number[] {
    return (this.db.prepare("SELECT id FROM photos WHERE root_id = ? AND status IN ('ok', 'duplicate')").all(rootId) as { id: number }[]).map((r) => r.id);
  }

  /** Failed files of a root are forgotten with it (nothing of theirs is worth keeping). */
  forgetFailedOfRoot(rootId: number): void {
    this.db.prepare("DELETE FROM photos WHERE root_id = ? AND status = 'failed'").run(rootId);
  }
  /** The file is gone: the photo's faces leave their people (remembered, for a revival) and nothing else changes. */
  retire(photoId: number): void {
    this.tx(() => {
      const t = now();
      this.db
        .prepare(
          `INSERT OR REPLACE INTO retired_assignments (face_id, person_id, source, created_at, retired_at)
           SELECT a.face_id, a.person_id, a.source, a.created_at, ? FROM assignments a JOIN faces f ON f.id = a.face_id WHERE f.photo_id = ?`,
        )
        .run(t, photoId);
      this.db.prepare('DELETE FROM assignments WHERE face_id IN (SELECT id FROM faces WHERE photo_id = ?)').run(photoId);
      this.db.prepare("UPDATE photos SET status = 'retired', duplicate_of = NULL, retired_at = ? WHERE id = ?").run(t, photoId);
    });
  }

  /** A retired photo's content is back at `file`: it takes its faces' people back. */
  revive(photoId: number, file: PhotoFile): void {
    this.tx(() => {
      this.db.prepare("UPDATE photos SET status = 'ok', retired_at = NULL, root_id = ?, path = ?, size = ?, mtime_ms = ? WHERE id = ?").run(file.rootId, file.path, file.size, file.mtimeMs, photoId);
      this.db
        .prepare(
          `INSERT OR IGNORE INTO assignments (face_id, person_id, source, created_at)
           SELECT r.face_id, r.person_id, r.source, r.created_at FROM retired_assignments r JOIN faces f ON f.id = r.face_id WHERE f.photo_id = ?`,
        )
        .run(photoId);
      this.db.prepare('DELETE FROM retired_assignments WHERE face_id IN (SELECT id FROM faces WHERE photo_id = ?)').run(photoId);
    });
  }

  /** Removes a row that carries no work of its own (a failure or a duplicate path). */
  delete(photoId: number): void {
    this.db.prepare('DELETE FROM photos WHERE id = ?').run(photoId);
  }

  /** The live row at a path, by exact path (benchmarks and tests look photos up by name). */
  idByPath(filePath: string): number | undefined {
    return (this.db.prepare("SELECT id FROM photos WHERE path = ? AND status != 'retired'").get(filePath) as { id: number } | undefined)?.id;
  }

  /** Ids of every analysed photo. */
  liveIds(): Set<number> {
    return new Set(this.db.prepare("SELECT id FROM photos WHERE status = 'ok'").pluck().all() as number[]);
  }
}
