// The Catalog: the one SQLite file that holds photos, faces, people and decisions. It owns every line of
// SQL; services ask its per-domain stores by name (`catalog.photos.get(id)`), never with `prepare`.
import type Database from 'better-sqlite3';
import path from 'node:path';
import { AdapterStore } from './adapters.ts';
import { DecisionStore } from './decisions.ts';
import { FaceStore } from './faces.ts';
import { IgnoredFaces } from './ignored-faces.ts';
import { defaultCatalogPath } from './location.ts';
import { PeopleStore } from './people.ts';
import { PersonChanges } from './person-changes.ts';
import { PhotoIndex } from './photo-index.ts';
import { PhotoStore } from './photos.ts';
import { RootStore } from './roots.ts';
import type { CatalogStats } from './rows.ts';
import { closeCatalogDatabase, openCatalogDatabase, type OpenOptions } from './open.ts';
import { SettingsTable } from './settings.ts';
import { XmpStore } from './xmp-store.ts';

export type { FaceSet, PhotoFile, PhotoMeta } from './types.ts';

export class Catalog {
  readonly file: string;
  /** Schema version found when the file was opened (0 for a new file). */
  readonly openedAtVersion: number;
  readonly roots: RootStore;
  readonly photos: PhotoStore;
  readonly faces: FaceStore;
  readonly people: PeopleStore;
  /** Which people changed since a given change (for the person index kept on disk). */
  readonly personChanges: PersonChanges;
  readonly decisions: DecisionStore;
  readonly adapters: AdapterStore;
  readonly settings: SettingsTable;
  /** Face regions read from XMP and metadata problems. */
  readonly xmp: XmpStore;
  /** Faces the user set aside ("Ignore face"). */
  readonly ignored: IgnoredFaces;
  /** Photos as lists: by person, people together, folder; their date groups. */
  readonly photoIndex: PhotoIndex;
  readonly #db: Database.Database;

  /** `readonly`: for read commands; works in a read-only folder, never creates or migrates (catalog/open.ts). */
  constructor(file: string = defaultCatalogPath(), opts: OpenOptions = {}) {
    this.file = file;
    const opened = openCatalogDatabase(file === ':memory:' ? file : path.resolve(file), opts);
    const db = (this.#db = opened.db);
    this.openedAtVersion = opened.openedAtVersion;
    const tx = <T>(fn: () => T): T => this.transaction(fn);
    this.roots = new RootStore(db);
    this.faces = new FaceStore(db);
    this.photos = new PhotoStore(db, this.faces, tx);
    this.people = new PeopleStore(db);
    this.personChanges = new PersonChanges(db);
    this.decisions = new DecisionStore(db);
    this.adapters = new AdapterStore(db, tx);
    this.settings = new SettingsTable(db);
    this.xmp = new XmpStore(db);
    this.photoIndex = new PhotoIndex(db);
    this.ignored = new IgnoredFaces(db);
  }

  /**
   * Takes a folder out of the library: its photos are retired (their faces leave people, remembered so that
   * adding the folder again brings the names back), failed files are forgotten, and the folder row goes.
   * Nothing on disk is touched. Returns how many photos were retired.
   */
  removeRoot(rootId: number): number {
    return this.transaction(() => {
      const live = this.photos.liveIdsOfRoot(rootId);
      for (const id of live) this.photos.retire(id);
      this.photos.forgetFailedOfRoot(rootId);
      this.roots.remove(rootId);
      return live.length;
    });
  }

  close(): void {
    closeCatalogDatabase(this.#db);
  }

  /**
   * Runs fn in one transaction (a savepoint when nested). IMMEDIATE: the write lock is taken first, so a
   * transaction that reads and then writes waits for another process's writer (busy timeout) instead
   * of failing with "database is locked" when it tries to upgrade its read.
   */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  /**
   * A transaction for work that is redone when lost (what the indexer learnt of one photo): committed to the
   * WAL without waiting for the disk (synchronous NORMAL), so a power cut may roll it back but never leaves
   * the file damaged, and the next FULL commit (any user decision) makes it durable too. One fsync a photo
   * blocked the indexer's thread for 2-15 ms here, and far longer on a spinning disk or a network share.
   */
  redoableTransaction<T>(fn: () => T): T {
    if (this.#db.inTransaction || this.#db.readonly) return this.transaction(fn);
    this.#db.pragma('synchronous = NORMAL');
    try {
      return this.transaction(fn);
    } finally {
      this.#db.pragma('synchronous = FULL');
    }
  }

  /** What a commit on this connection waits for now: SQLite's PRAGMA synchronous (2 FULL, 1 NORMAL). */
  synchronousLevel(): number {
    return this.#db.pragma('synchronous', { simple: true }) as number;
  }

  stats(): CatalogStats {
    const count = (sql: string): number => (this.#db.prepare(sql).get() as { n: number }).n;
    return {
      photos: count("SELECT COUNT(*) AS n FROM photos WHERE status = 'ok'"),
      faces: count("SELECT COUNT(*) AS n FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok'"),
      failed: count("SELECT COUNT(*) AS n FROM photos WHERE status = 'failed'"),
      people: count('SELECT COUNT(*) AS n FROM people'),
      retired: count("SELECT COUNT(*) AS n FROM photos WHERE status = 'retired'"),
      duplicates: count("SELECT COUNT(*) AS n FROM photos WHERE status = 'duplicate'"),
    };
  }

  /** SQLite's own consistency check: 'ok' when the file is sound. */
  integrityCheck(): string {
    return (this.#db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
  }
}
