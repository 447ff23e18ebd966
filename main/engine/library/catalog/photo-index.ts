// Photos as lists: a person's photos newest first, photos where several people appear together, a
// folder's photos, their date groups, and the folders themselves. Reads the photo_people index (kept
// by triggers, see schema.ts) so a page costs the page, not the library.
import type Database from 'better-sqlite3';
import path from 'node:path';

/** Which photos a list holds. */
export type PhotoSource =
  | { kind: 'person'; personId: number }
  /** Photos where every one of these people appears; `only`: and no other named person. */
  | { kind: 'together'; personIds: number[]; only: boolean }
  /** Photos directly inside a folder (not its sub-folders). */
  | { kind: 'folder'; folder: string };

export interface PhotoCard {
  id: number;
  path: string;
  /** EXIF date taken, else the file's modification time (ms since the epoch). */
  takenAt: number;
  width: number;
  height: number;
  /** Faces found in the photo. */
  faces: number;
}

export interface PhotoDay {
  /** YYYY-MM-DD in the machine's time zone. */
  day: string;
  count: number;
}

export interface PhotoTimeline {
  total: number;
  /** Oldest and newest date in the list (null when empty). */
  first: number | null;
  last: number | null;
  /** Date groups, newest first; their counts add up to total, in list order. */
  days: PhotoDay[];
}

export interface PhotoFolder {
  folder: string;
  photos: number;
  faces: number;
}

/** Folders in tree order: a folder right before its sub-folders, then its next sibling. */
function treeOrder(a: string, b: string): number {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

/** The list as SQL: `x` yields (photo_id, taken) and `p` is the photo row. */
interface Compiled {
  from: string;
  where: string;
  params: unknown[];
}

const TAKEN = 'COALESCE(p.taken_at, CAST(p.mtime_ms AS INTEGER))';

export class PhotoIndex {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private compile(source: PhotoSource): Compiled | null {
    if (source.kind === 'person') {
      return { from: 'photo_people x JOIN photos p ON p.id = x.photo_id', where: 'x.person_id = ?', params: [source.personId] };
    }
    if (source.kind === 'together') {
      const ids = [...new Set(source.personIds)];
      if (!ids.length) return null;
      // Walk the person with the fewest photos; the others are point lookups on the primary key.
      const counts = new Map(
        (this.prepare(`SELECT person_id AS id, COUNT(*) AS n FROM photo_people WHERE person_id IN (${ids.map(() => '?').join(',')}) GROUP BY person_id`).all(...ids) as { id: number; n: number }[]).map((r) => [r.id, r.n]),
      );
      if (ids.some((id) => !counts.has(id))) return null;
      const [first, ...rest] = [...ids].sort((a, b) => counts.get(a)! - counts.get(b)! || a - b);
      const where = ['x.person_id = ?', ...rest.map(() => 'EXISTS (SELECT 1 FROM photo_people y WHERE y.person_id = ? AND y.photo_id = x.photo_id)')];
      const params: unknown[] = [first, ...rest];
      if (source.only) {
        where.push(`NOT EXISTS (SELECT 1 FROM photo_people z JOIN people n ON n.id = z.person_id
                     WHERE z.photo_id = x.photo_id AND n.name IS NOT NULL AND z.person_id NOT IN (${ids.map(() => '?').join(',')}))`);
        params.push(...ids);
      }
      return { from: 'photo_people x JOIN photos p ON p.id = x.photo_id', where: where.join(' AND '), params };
    }
    const prefix = source.folder.endsWith(path.sep) ? source.folder : source.folder + path.sep;
    const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return {
      from: `(SELECT id AS photo_id, COALESCE(taken_at, CAST(mtime_ms AS INTEGER)) AS taken FROM photos
               WHERE status = 'ok' AND path >= ? AND path < ? AND instr(substr(path, ?), ?) = 0) x JOIN photos p ON p.id = x.photo_id`,
      where: '1',
      params: [prefix, upper, prefix.length + 1, path.sep],
    };
  }

  /** Total, date range and date groups of a list (newest first). */
  timeline(source: PhotoSource): PhotoTimeline {
    const c = this.compile(source);
    if (!c) return { total: 0, first: null, last: null, days: [] };
    const rows = this.prepare(
      `SELECT date(x.taken / 1000, 'unixepoch', 'localtime') AS day, COUNT(*) AS n, MIN(x.taken) AS lo, MAX(x.taken) AS hi
         FROM ${c.from} WHERE ${c.where} AND p.status = 'ok' GROUP BY day ORDER BY day DESC`,
    ).all(...c.params) as { day: string; n: number; lo: number; hi: number }[];
    return {
      total: rows.reduce((s, r) => s + r.n, 0),
      first: rows.length ? Math.min(...rows.map((r) => r.lo)) : null,
      last: rows.length ? Math.max(...rows.map((r) => r.hi)) : null,
      days: rows.map((r) => ({ day: r.day, count: r.n })),
    };
  }

  /** One page of a list, newest first (ties by id, newest id first). */
  page(source: PhotoSource, offset: number, limit: number): PhotoCard[] {
    const c = this.compile(source);
    if (!c) return [];
    return (
      this.prepare(
        `SELECT p.id, p.path, x.taken, p.width, p.height, (SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id) AS faces
           FROM ${c.from} WHERE ${c.where} AND p.status = 'ok'
          ORDER BY x.taken DESC, x.photo_id DESC LIMIT ? OFFSET ?`,
      ).all(...c.params, limit, offset) as { id: number; path: string; taken: number; width: number | null; height: number | null; faces: number }[]
    ).map((r) => ({ id: r.id, path: r.path, takenAt: r.taken, width: r.width ?? 1, height: r.height ?? 1, faces: r.faces }));
  }

  /** The people in each photo (by their faces' assignments), for photos of a page. */
  peopleOfPhotos(photoIds: number[]): Map<number, number[]> {
    const out = new Map<number, number[]>(photoIds.map((id) => [id, []]));
    const stmt = this.prepare('SELECT person_id FROM photo_people WHERE photo_id = ? ORDER BY person_id');
    for (const id of photoIds) out.set(id, (stmt.all(id) as { person_id: number }[]).map((r) => r.person_id));
    return out;
  }

  /** Photos and faces of a person, from the index (what the person page's header shows). */
  personPhotoCount(personId: number): number {
    return (this.prepare("SELECT COUNT(*) AS n FROM photo_people x JOIN photos p ON p.id = x.photo_id AND p.status = 'ok' WHERE x.person_id = ?").get(personId) as { n: number }).n;
  }

  /** Every folder that directly holds analysed photos, with its photo and face counts, in tree order. */
  folders(): PhotoFolder[] {
    const rows = this.prepare(
      `SELECT p.path, (SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id) AS faces FROM photos p WHERE p.status = 'ok'`,
    ).all() as { path: string; faces: number }[];
    const folders = new Map<string, PhotoFolder>();
    for (const r of rows) {
      const folder = path.dirname(r.path);
      const f = folders.get(folder) ?? { folder, photos: 0, faces: 0 };
      f.photos++;
      f.faces += r.faces;
      folders.set(folder, f);
    }
    return [...folders.values()].sort((a, b) => treeOrder(a.folder, b.folder));
  }

  /** People whose name is exactly this (ignoring case and surrounding space). */
  peopleNamed(name: string): number[] {
    return (this.prepare('SELECT id FROM people WHERE lower(trim(name)) = lower(trim(?)) ORDER BY id').all(name) as { id: number }[]).map((r) => r.id);
  }

  // ------------------------------------------------------------ dates taken, for catalogs indexed before they were read

  /** Analysed photos without an EXIF date (they sort by file time until one is found). */
  photosWithoutTakenAt(): { id: number; path: string }[] {
    return this.prepare("SELECT id, path FROM photos WHERE status = 'ok' AND taken_at IS NULL ORDER BY id").all() as { id: number; path: string }[];
  }

  setTakenAt(photoId: number, takenAt: number): void {
    this.prepare('UPDATE photos SET taken_at = ? WHERE id = ?').run(takenAt, photoId);
  }
}
