// Which people's faces changed, and when: a numbered log kept by triggers whoever writes (the app, `index`,
// `serve`, a people worker), so that a person index kept on disk (people/person-index-store.ts) knows which
// people to recompute instead of reading every embedding again.
import type Database from 'better-sqlite3';

/**
 * Migration 5. One row per person: the number of its latest change (numbers only grow: a change takes the
 * largest so far plus one, and writers take turns). No foreign key to people: a deleted person's row is
 * how a reader learns that it is gone. A change is anything that can change the person's centroid: one of
 * its faces assigned, removed, moved or confirmed, its embedding replaced, its photo retired or revived.
 * A random id tells a catalog from another, so an index file never passes from one catalog to another.
 */
export const PERSON_CHANGES_MIGRATION = `
  CREATE TABLE person_changes (
    person_id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX person_changes_seq ON person_changes(seq);

  -- Inserting a person id here records a change of that person.
  CREATE VIEW person_touched (person_id) AS SELECT person_id FROM person_changes;
  CREATE TRIGGER person_touched_insert INSTEAD OF INSERT ON person_touched BEGIN
    INSERT INTO person_changes (person_id, seq) VALUES (NEW.person_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM person_changes))
      ON CONFLICT (person_id) DO UPDATE SET seq = excluded.seq;
  END;

  CREATE TRIGGER person_changes_assign AFTER INSERT ON assignments BEGIN
    INSERT INTO person_touched VALUES (NEW.person_id);
  END;
  CREATE TRIGGER person_changes_unassign AFTER DELETE ON assignments BEGIN
    INSERT INTO person_touched VALUES (OLD.person_id);
  END;
  CREATE TRIGGER person_changes_reassign AFTER UPDATE OF person_id, source ON assignments BEGIN
    INSERT INTO person_touched VALUES (OLD.person_id);
    INSERT INTO person_touched SELECT NEW.person_id WHERE NEW.person_id != OLD.person_id;
  END;
  CREATE TRIGGER person_changes_face AFTER UPDATE OF embedding, model_id, photo_id ON faces BEGIN
    INSERT INTO person_touched SELECT person_id FROM assignments WHERE face_id = NEW.id;
  END;
  CREATE TRIGGER person_changes_photo AFTER UPDATE OF status ON photos WHEN OLD.status IS NOT NEW.status BEGIN
    INSERT INTO person_touched SELECT a.person_id FROM faces f JOIN assignments a ON a.face_id = f.id WHERE f.photo_id = NEW.id;
  END;

  INSERT INTO settings (key, value) VALUES ('catalog.id', json_quote(lower(hex(randomblob(16)))));
`;

export class PersonChanges {
  private present: boolean | undefined;

  constructor(private readonly db: Database.Database) {}

  /**
   * False for a catalog from before the log, opened read-only (so never migrated): nothing can be
   * known about its changes.
   */
  get available(): boolean {
    this.present ??= !!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_changes'").get();
    return this.present;
  }

  /** The catalog's own random id (migration 5). */
  catalogId(): string | null {
    if (!this.available) return null;
    const r = this.db.prepare("SELECT value FROM settings WHERE key = 'catalog.id'").get() as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as string) : null;
  }

  /** The number of the latest change (0 before any). */
  latest(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM person_changes').get() as { seq: number }).seq;
  }

  /** People changed after change `seq`, deleted people included. */
  since(seq: number): number[] {
    return this.db.prepare('SELECT person_id FROM person_changes WHERE seq > ? ORDER BY person_id').pluck().all(seq) as number[];
  }
}
