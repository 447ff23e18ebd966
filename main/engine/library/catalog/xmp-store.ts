// Face regions read from XMP (other tools' names) and the problems met reading them, per photo. A region is
// recorded with the face it named (or became), and whether its name has been applied as a user decision.
import type Database from 'better-sqlite3';

export type RegionStatus =
  /** Read, its name not yet applied to the face. */
  | 'pending'
  /** The face carries the region's name as a user decision. */
  | 'applied'
  /** A decision made in FaceAtlas (another name, "not this person") stands over the imported name. */
  | 'kept'
  /** The person already has another face in this photo: one photo cannot show a person twice. */
  | 'conflict'
  /** A region without a name: it names nothing. */
  | 'unnamed';

export interface RegionRecord {
  id: number;
  photoId: number;
  faceId: number | null;
  source: string;
  format: 'mwg' | 'mp';
  name: string | null;
  /** Fractions of the upright image. */
  box: { x: number; y: number; width: number; height: number };
  status: RegionStatus;
  message: string | null;
}

export type NewRegion = Omit<RegionRecord, 'id' | 'photoId'>;

export interface MetadataProblem {
  path: string;
  code: string;
  message: string;
  seenAt: number;
}

/** A face of a named person, with its photo and the region its name came from (if it came from one). */
export interface NamedFace {
  photoId: number;
  path: string;
  width: number;
  height: number;
  orientation: number;
  faceId: number;
  /** Pixels of the upright image. */
  box: { x: number; y: number; width: number; height: number };
  name: string;
  source: 'auto' | 'user';
  /** The box another tool drew for this face under this name (fractions of the upright image): written back as drawn. */
  regionBox: { x: number; y: number; width: number; height: number } | null;
}

export const XMP_MIGRATION = `
  CREATE TABLE xmp_regions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('mwg', 'mp')),
    name TEXT,
    x REAL NOT NULL,
    y REAL NOT NULL,
    w REAL NOT NULL,
    h REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'kept', 'conflict', 'unnamed')),
    message TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX xmp_regions_photo ON xmp_regions(photo_id);
  CREATE INDEX xmp_regions_face ON xmp_regions(face_id) WHERE face_id IS NOT NULL;
  CREATE INDEX xmp_regions_pending ON xmp_regions(status) WHERE status = 'pending';

  -- Metadata that could not be used (malformed XMP, a region outside the image, a sidecar without its photo),
  -- by the file it was read from; replaced each time that file is read again.
  CREATE TABLE metadata_problems (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    seen_at INTEGER NOT NULL
  );
  CREATE INDEX metadata_problems_path ON metadata_problems(path);
`;

type Row = Record<string, unknown>;

const toRegion = (r: Row): RegionRecord => ({
  id: r.id as number,
  photoId: r.photo_id as number,
  faceId: (r.face_id as number | null) ?? null,
  source: r.source as string,
  format: r.format as 'mwg' | 'mp',
  name: (r.name as string | null) ?? null,
  box: { x: r.x as number, y: r.y as number, width: r.w as number, height: r.h as number },
  status: r.status as RegionStatus,
  message: (r.message as string | null) ?? null,
});

export class XmpStore {
  constructor(private readonly db: Database.Database) {}

  /** The regions of a photo as just read: the previous reading is replaced. */
  replaceRegions(photoId: number, regions: NewRegion[]): void {
    this.db.prepare('DELETE FROM xmp_regions WHERE photo_id = ?').run(photoId);
    const insert = this.db.prepare(
      `INSERT INTO xmp_regions (photo_id, face_id, source, format, name, x, y, w, h, status, message, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const t = Date.now();
    for (const r of regions) insert.run(photoId, r.faceId, r.source, r.format, r.name, r.box.x, r.box.y, r.box.width, r.box.height, r.status, r.message, t);
  }

  /** When the photo's regions were last read (ms since the epoch), or undefined when none were recorded. */
  lastReadAt(photoId: number): number | undefined {
    const r = this.db.prepare('SELECT MAX(created_at) AS t FROM xmp_regions WHERE photo_id = ?').get(photoId) as { t: number | null };
    return r.t ?? undefined;
  }

  regionsOfPhoto(photoId: number): RegionRecord[] {
    return (this.db.prepare('SELECT * FROM xmp_regions WHERE photo_id = ? ORDER BY id').all(photoId) as Row[]).map(toRegion);
  }

  /** Named regions whose name waits to be applied, on faces of live photos, in reading order. */
  pendingRegions(): RegionRecord[] {
    return (this.db.prepare(
      `SELECT r.* FROM xmp_regions r JOIN photos p ON p.id = r.photo_id AND p.status = 'ok'
        WHERE r.status = 'pending' AND r.face_id IS NOT NULL ORDER BY r.id`,
    ).all() as Row[]).map(toRegion);
  }

  setRegionStatus(id: number, status: RegionStatus, message: string | null = null): void {
    this.db.prepare('UPDATE xmp_regions SET status = ?, message = ? WHERE id = ?').run(status, message, id);
  }

  /** Problems found reading `paths` this time: earlier ones of those files are replaced. */
  replaceProblems(paths: string[], problems: { path: string; code: string; message: string }[]): void {
    const del = this.db.prepare('DELETE FROM metadata_problems WHERE path = ?');
    for (const p of new Set(paths)) del.run(p);
    const insert = this.db.prepare('INSERT INTO metadata_problems (path, code, message, seen_at) VALUES (?, ?, ?, ?)');
    const t = Date.now();
    for (const p of problems) insert.run(p.path, p.code, p.message, t);
  }

  /** Problems of one kind under a folder are replaced (a scan's sidecars without photos). */
  replaceProblemsOfCode(code: string, folder: string, problems: { path: string; message: string }[]): void {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    this.db.prepare('DELETE FROM metadata_problems WHERE code = ? AND substr(path, 1, ?) = ?').run(code, prefix.length, prefix);
    const insert = this.db.prepare('INSERT INTO metadata_problems (path, code, message, seen_at) VALUES (?, ?, ?, ?)');
    const t = Date.now();
    for (const p of problems) insert.run(p.path, code, p.message, t);
  }

  /** Faces of live photos assigned to a person with a name, by photo path (`confirmedOnly`: user decisions only). */
  namedFaces(opts: { confirmedOnly?: boolean } = {}): NamedFace[] {
    const rows = this.db.prepare(
      `SELECT p.id AS photo_id, p.path, p.width, p.height, p.orientation, f.id AS face_id, f.x, f.y, f.w, f.h, pe.name, a.source,
              r.x AS rx, r.y AS ry, r.w AS rw, r.h AS rh
         FROM faces f JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
         JOIN assignments a ON a.face_id = f.id JOIN people pe ON pe.id = a.person_id AND pe.name IS NOT NULL
         LEFT JOIN xmp_regions r ON r.id = (SELECT MAX(id) FROM xmp_regions WHERE face_id = f.id AND name = pe.name)
        ${opts.confirmedOnly ? "WHERE a.source = 'user'" : ''}
        ORDER BY p.path, f.id`,
    ).all() as Row[];
    return rows.map((r) => ({
      photoId: r.photo_id as number,
      path: r.path as string,
      width: r.width as number,
      height: r.height as number,
      orientation: (r.orientation as number | null) ?? 1,
      faceId: r.face_id as number,
      box: { x: r.x as number, y: r.y as number, width: r.w as number, height: r.h as number },
      name: r.name as string,
      source: r.source as 'auto' | 'user',
      regionBox: r.rx === null ? null : { x: r.rx as number, y: r.ry as number, width: r.rw as number, height: r.rh as number },
    }));
  }

  problems(): MetadataProblem[] {
    return (this.db.prepare('SELECT path, code, message, seen_at FROM metadata_problems ORDER BY path, id').all() as Row[])
      .map((r) => ({ path: r.path as string, code: r.code as string, message: r.message as string, seenAt: r.seen_at as number }));
  }
}
