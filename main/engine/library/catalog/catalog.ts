// The Catalog: typed reads and writes of the one SQLite file that holds photos, faces, people and decisions.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AnalysedFace } from '../../face/types.ts';
import { defaultCatalogPath } from './location.ts';
import {
  type Adapter,
  type Assignment,
  type AssignmentSource,
  type CatalogStats,
  type Constraint,
  type Decision,
  type Face,
  type Person,
  type Photo,
  type PhotoStatus,
  type Root,
  embeddingToBlob,
  toAdapter,
  toAssignment,
  toConstraint,
  toDecision,
  toFace,
  toPerson,
  toPhoto,
  toRoot,
} from './rows.ts';
import { migrate } from './schema.ts';
import { XmpStore } from './xmp-store.ts';

/** Where a file is and what the file system says about it; the key of incremental indexing. */
export interface PhotoFile {
  rootId: number | null;
  path: string;
  size: number;
  mtimeMs: number;
}

/** What was read from the file besides faces. */
export interface PhotoMeta {
  contentHash: string;
  width: number;
  height: number;
  orientation: number;
  takenAt: number | null;
}

export interface FaceSet {
  detectorId: string;
  modelId: string;
  faces: AnalysedFace[];
}

type Row = Record<string, unknown>;

const now = (): number => Date.now();

export class Catalog {
  readonly file: string;
  /** The raw handle, for services that add their own queries (people, clustering). */
  readonly db: Database.Database;
  /** Schema version found when the file was opened (0 for a new file). */
  readonly openedAtVersion: number;
  /** Face regions read from XMP and metadata problems. */
  readonly xmp: XmpStore;

  constructor(file: string = defaultCatalogPath()) {
    this.file = file;
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed photo survives a power cut too, at one WAL fsync per photo (cheap next to analysis).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // The CLI's `status` may read while an index run writes.
    this.db.pragma('busy_timeout = 5000');
    this.openedAtVersion = migrate(this.db);
    this.xmp = new XmpStore(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs fn in one transaction (a savepoint when nested). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---------------------------------------------------------------- roots

  addRoot(rootPath: string): Root {
    const p = path.resolve(rootPath);
    this.db.prepare('INSERT OR IGNORE INTO roots (path, added_at) VALUES (?, ?)').run(p, now());
    return toRoot(this.db.prepare('SELECT * FROM roots WHERE path = ?').get(p) as Row);
  }

  roots(): Root[] {
    return (this.db.prepare('SELECT * FROM roots ORDER BY id').all() as Row[]).map(toRoot);
  }

  markRootScanned(rootId: number, at: number = now()): void {
    this.db.prepare('UPDATE roots SET last_scan_at = ? WHERE id = ?').run(at, rootId);
  }

  // ---------------------------------------------------------------- photos: reads

  photo(id: number): Photo | undefined {
    const r = this.db.prepare('SELECT * FROM photos WHERE id = ?').get(id) as Row | undefined;
    return r && toPhoto(r);
  }

  /** The row that currently owns a path (any status but 'retired'). */
  livePhotoByPath(filePath: string): Photo | undefined {
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

  photos(filter: { status?: PhotoStatus; rootId?: number } = {}): Photo[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.status) (where.push('status = ?'), args.push(filter.status));
    if (filter.rootId !== undefined) (where.push('root_id = ?'), args.push(filter.rootId));
    const sql = `SELECT * FROM photos ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY path, id`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toPhoto);
  }

  /** Live rows (not retired) whose path lies under a folder, for finding files that have disappeared. */
  livePhotosUnder(folder: string): Photo[] {
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
    return this.photos({ status: 'failed' });
  }

  stats(): CatalogStats {
    const count = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      photos: count("SELECT COUNT(*) AS n FROM photos WHERE status = 'ok'"),
      faces: count("SELECT COUNT(*) AS n FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok'"),
      failed: count("SELECT COUNT(*) AS n FROM photos WHERE status = 'failed'"),
      people: count('SELECT COUNT(*) AS n FROM people'),
      retired: count("SELECT COUNT(*) AS n FROM photos WHERE status = 'retired'"),
      duplicates: count("SELECT COUNT(*) AS n FROM photos WHERE status = 'duplicate'"),
    };
  }

  // ---------------------------------------------------------------- photos: writes (callers group them per photo in one transaction)

  /** Adds an analysed photo and its faces; returns the ids of the faces in the order given. */
  insertAnalysedPhoto(file: PhotoFile, meta: PhotoMeta, faces: FaceSet): { photoId: number; faceIds: number[] } {
    return this.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO photos (root_id, path, size, mtime_ms, content_hash, width, height, orientation, taken_at,
                               status, detector_id, model_id, indexed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?)`,
        )
        .run(file.rootId, file.path, file.size, file.mtimeMs, meta.contentHash, meta.width, meta.height, meta.orientation, meta.takenAt, faces.detectorId, faces.modelId, now());
      const photoId = Number(lastInsertRowid);
      const faceIds = faces.faces.map((f) => this.insertFace(photoId, f, faces.detectorId));
      return { photoId, faceIds };
    });
  }

  /**
   * Replaces the analysis of a photo whose content changed. `keep[i]` is the id of an old face that
   * new face i re-detects (the caller decides how): it keeps that id, so its assignment and constraints stay.
   * Old faces not kept are deleted; their ids are returned.
   */
  replaceAnalysis(photoId: number, file: PhotoFile, meta: PhotoMeta, faces: FaceSet, keep: (number | null)[]): { faceIds: number[]; removedFaceIds: number[] } {
    return this.transaction(() => {
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
          this.updateFace(id, f, faces.detectorId);
          return id;
        }
        return this.insertFace(photoId, f, faces.detectorId);
      });
      return { faceIds, removedFaceIds };
    });
  }

  /**
   * Records a file that could not be indexed. It takes over the live row at that path when that
   * row is itself a failure; the caller detaches any other owner first.
   */
  recordFailure(file: PhotoFile, contentHash: string | null, code: string, message: string): number {
    return this.transaction(() => {
      const existing = this.livePhotoByPath(file.path);
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
  updatePhotoFile(photoId: number, file: PhotoFile): void {
    this.db.prepare('UPDATE photos SET root_id = ?, path = ?, size = ?, mtime_ms = ? WHERE id = ?').run(file.rootId, file.path, file.size, file.mtimeMs, photoId);
  }

  /** The file is gone: the photo's faces leave their people (remembered, for a revival) and nothing else changes. */
  retirePhoto(photoId: number): void {
    this.transaction(() => {
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
  revivePhoto(photoId: number, file: PhotoFile): void {
    this.transaction(() => {
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
  deletePhoto(photoId: number): void {
    this.db.prepare('DELETE FROM photos WHERE id = ?').run(photoId);
  }

  // ---------------------------------------------------------------- faces

  private insertFace(photoId: number, f: AnalysedFace, detectorId: string): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, source, quality_size, quality_sharpness, quality_frontal,
                            embedding, model_id, detector_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(photoId, f.box.x, f.box.y, f.box.width, f.box.height, JSON.stringify(f.landmarks), f.score, f.source, f.quality.size, f.quality.sharpness, f.quality.frontal, embeddingToBlob(f.embedding), f.modelId, detectorId, now());
    return Number(lastInsertRowid);
  }

  private updateFace(faceId: number, f: AnalysedFace, detectorId: string): void {
    this.db
      .prepare(
        `UPDATE faces SET x = ?, y = ?, w = ?, h = ?, landmarks = ?, score = ?, source = ?, quality_size = ?, quality_sharpness = ?,
                          quality_frontal = ?, embedding = ?, model_id = ?, detector_id = ?, thumb = NULL WHERE id = ?`,
      )
      .run(f.box.x, f.box.y, f.box.width, f.box.height, JSON.stringify(f.landmarks), f.score, f.source, f.quality.size, f.quality.sharpness, f.quality.frontal, embeddingToBlob(f.embedding), f.modelId, detectorId, faceId);
  }

  /** Adds one face to an analysed photo (a face drawn by hand); returns its id. */
  addFace(photoId: number, f: AnalysedFace, detectorId: string): number {
    return this.insertFace(photoId, f, detectorId);
  }

  /** Deletes a face; its assignment and constraints go with it. */
  deleteFace(faceId: number): void {
    this.db.prepare('DELETE FROM faces WHERE id = ?').run(faceId);
  }

  face(id: number): Face | undefined {
    const r = this.db.prepare('SELECT * FROM faces WHERE id = ?').get(id) as Row | undefined;
    return r && toFace(r);
  }

  facesOfPhoto(photoId: number): Face[] {
    return (this.db.prepare('SELECT * FROM faces WHERE photo_id = ? ORDER BY id').all(photoId) as Row[]).map(toFace);
  }

  /** Faces of analysed (not retired) photos, optionally of one embedding model only. */
  liveFaces(modelId?: string): Face[] {
    const sql = `SELECT f.* FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' ${modelId ? 'AND f.model_id = ?' : ''} ORDER BY f.id`;
    return (this.db.prepare(sql).all(...(modelId ? [modelId] : [])) as Row[]).map(toFace);
  }

  setFaceThumb(faceId: number, thumb: string | null): void {
    this.db.prepare('UPDATE faces SET thumb = ? WHERE id = ?').run(thumb, faceId);
  }

  // ---------------------------------------------------------------- people and assignments

  createPerson(name: string | null = null, opts: { hidden?: boolean; coverFaceId?: number | null } = {}): Person {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO people (name, hidden, cover_face_id, created_at) VALUES (?, ?, ?, ?)')
      .run(name, opts.hidden ? 1 : 0, opts.coverFaceId ?? null, now());
    return this.person(Number(lastInsertRowid))!;
  }

  person(id: number): Person | undefined {
    const r = this.db.prepare('SELECT * FROM people WHERE id = ?').get(id) as Row | undefined;
    return r && toPerson(r);
  }

  people(): Person[] {
    return (this.db.prepare('SELECT * FROM people ORDER BY id').all() as Row[]).map(toPerson);
  }

  updatePerson(id: number, change: { name?: string | null; hidden?: boolean; coverFaceId?: number | null }): void {
    if (change.name !== undefined) this.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(change.name, id);
    if (change.hidden !== undefined) this.db.prepare('UPDATE people SET hidden = ? WHERE id = ?').run(change.hidden ? 1 : 0, id);
    if (change.coverFaceId !== undefined) this.db.prepare('UPDATE people SET cover_face_id = ? WHERE id = ?').run(change.coverFaceId, id);
  }

  /** Deleting a person frees its faces (their assignments go) and drops constraints naming it. */
  deletePerson(id: number): void {
    this.db.prepare('DELETE FROM people WHERE id = ?').run(id);
  }

  assign(faceId: number, personId: number, source: AssignmentSource): void {
    this.db
      .prepare(
        `INSERT INTO assignments (face_id, person_id, source, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (face_id) DO UPDATE SET person_id = excluded.person_id, source = excluded.source, created_at = excluded.created_at`,
      )
      .run(faceId, personId, source, now());
  }

  unassign(faceId: number): void {
    this.db.prepare('DELETE FROM assignments WHERE face_id = ?').run(faceId);
  }

  assignment(faceId: number): Assignment | undefined {
    const r = this.db.prepare('SELECT * FROM assignments WHERE face_id = ?').get(faceId) as Row | undefined;
    return r && toAssignment(r);
  }

  assignmentsOfPerson(personId: number): Assignment[] {
    return (this.db.prepare('SELECT * FROM assignments WHERE person_id = ? ORDER BY face_id').all(personId) as Row[]).map(toAssignment);
  }

  // ---------------------------------------------------------------- constraints

  /** "This face is not that person." */
  rejectPerson(faceId: number, personId: number): void {
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

  // ---------------------------------------------------------------- decisions (undo log)

  logDecision(kind: string, payload: unknown): number {
    const { lastInsertRowid } = this.db.prepare('INSERT INTO decisions (kind, payload, created_at) VALUES (?, ?, ?)').run(kind, JSON.stringify(payload), now());
    return Number(lastInsertRowid);
  }

  decisions<P = unknown>(opts: { includeUndone?: boolean; limit?: number } = {}): Decision<P>[] {
    const sql = `SELECT * FROM decisions ${opts.includeUndone ? '' : 'WHERE undone_at IS NULL'} ORDER BY id DESC ${opts.limit ? 'LIMIT ?' : ''}`;
    return (this.db.prepare(sql).all(...(opts.limit ? [opts.limit] : [])) as Row[]).map((r) => toDecision<P>(r));
  }

  /** The newest decision not yet undone: what "undo" reverts next. */
  lastDecision<P = unknown>(): Decision<P> | undefined {
    return this.decisions<P>({ limit: 1 })[0];
  }

  markUndone(decisionId: number): void {
    const r = this.db.prepare('UPDATE decisions SET undone_at = ? WHERE id = ? AND undone_at IS NULL').run(now(), decisionId);
    if (r.changes !== 1) throw new Error(`decision ${decisionId} does not exist or is already undone`);
  }

  // ---------------------------------------------------------------- adapters (trained heads)

  saveAdapter(a: { modelId: string; loss: string; weights: Uint8Array; metrics: Record<string, unknown> }): number {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO adapters (model_id, loss, weights, metrics, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(a.modelId, a.loss, Buffer.from(a.weights.buffer, a.weights.byteOffset, a.weights.byteLength), JSON.stringify(a.metrics), now());
    return Number(lastInsertRowid);
  }

  adapters(modelId?: string): Adapter[] {
    const sql = `SELECT * FROM adapters ${modelId ? 'WHERE model_id = ?' : ''} ORDER BY id`;
    return (this.db.prepare(sql).all(...(modelId ? [modelId] : [])) as Row[]).map(toAdapter);
  }

  adoptedAdapter(modelId: string): Adapter | undefined {
    const r = this.db.prepare('SELECT * FROM adapters WHERE model_id = ? AND adopted = 1').get(modelId) as Row | undefined;
    return r && toAdapter(r);
  }

  /** Makes one adapter the adopted one of its model (at most one per model); null id adopts none. */
  adoptAdapter(modelId: string, adapterId: number | null): void {
    this.transaction(() => {
      this.db.prepare('UPDATE adapters SET adopted = 0 WHERE model_id = ?').run(modelId);
      if (adapterId !== null) {
        const r = this.db.prepare('UPDATE adapters SET adopted = 1 WHERE id = ? AND model_id = ?').run(adapterId, modelId);
        if (r.changes !== 1) throw new Error(`adapter ${adapterId} of model ${modelId} does not exist`);
      }
    });
  }

  // ---------------------------------------------------------------- settings

  getSetting<T>(key: string): T | undefined {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as T) : undefined;
  }

  setSetting(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }
}
