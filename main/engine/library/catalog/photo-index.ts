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

/** Counts of consecutive times (newest first) by local calendar day. */
function localDays(taken: number[]): PhotoDay[] {
  const out: PhotoDay[] = [];
  let from = Infinity;
  let to = -Infinity;
  for (const t of taken) {
    if (t < from || t >= to) {
      const d = new Date(t);
      from = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
      to = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
      const pad = (n: number) => String(n).padStart(2, '0');
      out.push({ day: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, count: 0 });
    }
    out[out.length - 1].count++;
  }
  return out;
}

/** Folders in tree order: a folder right before its sub-folders, then its next sibling. */
function treeOrder(a: string, b: string): number {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

/** The list as SQL: `x` yields (photo_id, taken), in list order through an index. */
interface Compiled {
  from: string;
  where: string;
  params: unknown[];
}

/** Beyond this many photos, which person of a "together" query to walk first hardly matters. */
const CHOOSE_CAP = 2000;

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
      return { from: 'photo_people x', where: 'x.person_id = ?', params: [source.personId] };
    }
    if (source.kind === 'together') {
      const ids = [...new Set(source.personIds)];
      if (!ids.length) return null;
      // Walk the person with the fewest photos; the others are point lookups on the primary key. Counting
      // stops at a cap, so choosing costs little even beside someone in 100,000 photos.
      const counts = new Map(ids.map((id) => [id, this.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM photo_people WHERE person_id = ? LIMIT ${CHOOSE_CAP})`).pluck().get(id) as number]));
      if (ids.some((id) => counts.get(id) === 0)) return null;
      const [first, ...rest] = [...ids].sort((a, b) => counts.get(a)! - counts.get(b)! || a - b);
      const where = ['x.person_id = ?', ...rest.map(() => 'EXISTS (SELECT 1 FROM photo_people y WHERE y.person_id = ? AND y.photo_id = x.photo_id)')];
      const params: unknown[] = [first, ...rest];
      if (source.only) {
        where.push(`NOT EXISTS (SELECT 1 FROM photo_people z JOIN people n ON n.id = z.person_id
                     WHERE z.photo_id = x.photo_id AND n.name IS NOT NULL AND z.person_id NOT IN (${ids.map(() => '?').join(',')}))`);
        params.push(...ids);
      }
      return { from: 'photo_people x', where: where.join(' AND '), params };
    }
    const prefix = source.folder.endsWith(path.sep) ? source.folder : source.folder + path.sep;
    const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return {
      from: `(SELECT id AS photo_id, COALESCE(taken_at, CAST(mtime_ms AS INTEGER)) AS taken FROM photos
               WHERE status = 'ok' AND path >= ? AND path < ? AND instr(substr(path, length(?) + 1), ?) = 0) x`,
      where: '1',
      // SQLite measures the prefix itself: its length() counts characters, JavaScript's UTF-16 units.
      params: [prefix, upper, prefix, path.sep],
    };
  }

  /**
   * Total, date range and date groups of a list (newest first). The dates come in list order from the
   * index and are cut into local days here: SQLite's 'localtime' costs ~15 us a row, this one Date per day.
   * (photo_people holds only analysed photos: a retired photo's assignments leave it.)
   */
  timeline(source: PhotoSource): PhotoTimeline {
    const c = this.compile(source);
    if (!c) return { total: 0, first: null, last: null, days: [] };
    const taken = this.prepare(`SELECT x.taken FROM ${c.from} WHERE ${c.where} ORDER BY x.taken DESC, x.photo_id DESC`).pluck().all(...c.params) as number[];
    return { total: taken.length, first: taken.length ? taken[taken.length - 1] : null, last: taken.length ? taken[0] : null, days: localDays(taken) };
  }

  /** One page of a list, newest first (ties by id, newest id first); the offset is skipped in the index alone. */
  page(source: PhotoSource, offset: number, limit: number): PhotoCard[] {
    const c = this.compile(source);
    if (!c) return [];
    return (
      this.prepare(
        `SELECT p.id, p.path, x.taken, p.width, p.height, (SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id) AS faces
           FROM (SELECT x.photo_id, x.taken FROM ${c.from} WHERE ${c.where} ORDER BY x.taken DESC, x.photo_id DESC LIMIT ? OFFSET ?) x
           JOIN photos p ON p.id = x.photo_id
          ORDER BY x.taken DESC, x.photo_id DESC`,
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
