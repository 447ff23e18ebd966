// The Catalog: the one SQLite file that holds photos, faces, people and decisions. It owns every line of
// SQL; services ask its per-domain stores by name (`catalog.photos.get(id)`), never with `prepare`.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AdapterStore } from './adapters.ts';
import { DecisionStore } from './decisions.ts';
import { FaceStore } from './faces.ts';
import { defaultCatalogPath } from './location.ts';
import { PeopleStore } from './people.ts';
import { PhotoStore } from './photos.ts';
import { RootStore } from './roots.ts';
import type { CatalogStats } from './rows.ts';
import { migrate } from './schema.ts';
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
  readonly decisions: DecisionStore;
  readonly adapters: AdapterStore;
  readonly settings: SettingsTable;
  /** Face regions read from XMP and metadata problems. */
  readonly xmp: XmpStore;
  readonly #db: Database.Database;

  constructor(file: string = defaultCatalogPath()) {
    this.file = file;
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = (this.#db = new Database(file));
    db.pragma('journal_mode = WAL');
    // FULL: a committed photo survives a power cut too, at one WAL fsync per photo (cheap next to analysis).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // The CLI's `status` may read while an index run writes.
    db.pragma('busy_timeout = 5000');
    this.openedAtVersion = migrate(db);
    const tx = <T>(fn: () => T): T => this.transaction(fn);
    this.roots = new RootStore(db);
    this.faces = new FaceStore(db);
    this.photos = new PhotoStore(db, this.faces, tx);
    this.people = new PeopleStore(db);
    this.decisions = new DecisionStore(db);
    this.adapters = new AdapterStore(db, tx);
    this.settings = new SettingsTable(db);
    this.xmp = new XmpStore(db);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Runs fn in one transaction (a savepoint when nested). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
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
