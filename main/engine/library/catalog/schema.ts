// The catalog schema as an ordered list of migrations; PRAGMA user_version records how many have run.
import type Database from 'better-sqlite3';
import { PERSON_CHANGES_MIGRATION } from './person-changes.ts';
import { XMP_MIGRATION } from './xmp-store.ts';

/**
 * Each entry moves the schema from version i to i + 1. Never edit a shipped entry: append a new one.
 *
 * Photo identity follows content: a photo row keeps its id (and so its faces and the user's
 * decisions) when its file is renamed or moved, which is recognised by `content_hash`.
 * Status: 'ok' (analysed), 'failed' (error_code says why), 'retired' (file gone; faces kept but
 * out of people, so a photo that comes back is revived with its names), 'duplicate' (same content
 * as `duplicate_of`, which holds the faces). Retired rows keep their last path for information,
 * so the path is unique only among rows that are not retired.
 * AUTOINCREMENT: an id is never reused after a delete, so a face id in the decision log or in a
 * client's cache can never come to mean another face.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE roots (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    added_at INTEGER NOT NULL,
    last_scan_at INTEGER
  );

  CREATE TABLE photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    root_id INTEGER REFERENCES roots(id) ON DELETE SET NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    content_hash TEXT,
    width INTEGER,
    height INTEGER,
    orientation INTEGER,
    taken_at INTEGER,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'retired', 'duplicate')),
    duplicate_of INTEGER REFERENCES photos(id) ON DELETE CASCADE,
    error_code TEXT,
    error_message TEXT,
    detector_id TEXT,
    model_id TEXT,
    indexed_at INTEGER NOT NULL,
    retired_at INTEGER,
    CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
    CHECK ((status = 'failed') = (error_code IS NOT NULL))
  );
  CREATE UNIQUE INDEX photos_live_path ON photos(path) WHERE status != 'retired';
  CREATE INDEX photos_hash ON photos(content_hash);
  CREATE INDEX photos_root_status ON photos(root_id, status);
  CREATE INDEX photos_duplicate_of ON photos(duplicate_of) WHERE duplicate_of IS NOT NULL;

  CREATE TABLE faces (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    x REAL NOT NULL,
    y REAL NOT NULL,
    w REAL NOT NULL,
    h REAL NOT NULL,
    landmarks TEXT NOT NULL,
    score REAL NOT NULL,
    source TEXT NOT NULL,
    quality_size REAL NOT NULL,
    quality_sharpness REAL NOT NULL,
    quality_frontal REAL NOT NULL,
    embedding BLOB NOT NULL,
    model_id TEXT NOT NULL,
    detector_id TEXT NOT NULL,
    thumb TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX faces_photo ON faces(photo_id);
  CREATE INDEX faces_model ON faces(model_id);

  CREATE TABLE people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT,
    hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    cover_face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE assignments (
    face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('auto', 'user')),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX assignments_person ON assignments(person_id);

  -- Assignments of faces whose photo was retired, restored if the photo comes back.
  CREATE TABLE retired_assignments (
    face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('auto', 'user')),
    created_at INTEGER NOT NULL,
    retired_at INTEGER NOT NULL
  );

  -- 'reject': face_id is not person_id. 'cannot-link' / 'must-link': between face_id and other_face_id
  -- (stored with face_id < other_face_id so each pair has one row).
  CREATE TABLE constraints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('reject', 'cannot-link', 'must-link')),
    face_id INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    other_face_id INTEGER REFERENCES faces(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    CHECK ((kind = 'reject' AND person_id IS NOT NULL AND other_face_id IS NULL)
        OR (kind != 'reject' AND person_id IS NULL AND other_face_id IS NOT NULL AND face_id < other_face_id))
  );
  CREATE UNIQUE INDEX constraints_reject ON constraints(face_id, person_id) WHERE kind = 'reject';
  CREATE UNIQUE INDEX constraints_link ON constraints(face_id, other_face_id) WHERE kind != 'reject';
  CREATE INDEX constraints_other ON constraints(other_face_id) WHERE other_face_id IS NOT NULL;

  -- Append-only log of user decisions; undo marks an entry instead of deleting it.
  CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    undone_at INTEGER
  );

  CREATE TABLE adapters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id TEXT NOT NULL,
    loss TEXT NOT NULL,
    weights BLOB NOT NULL,
    metrics TEXT NOT NULL,
    adopted INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1)),
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX adapters_one_adopted ON adapters(model_id) WHERE adopted = 1;

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: photo_people, one row per (person, photo) with how many of the photo's faces are that person and
  // the photo's date (EXIF date taken, else the file's mtime): "photos of X, newest first" and "photos of
  // A and B together" read an index instead of joining every face. Triggers keep it equal to the
  // assignments whoever writes them; the flag in settings asks the app to back-fill EXIF dates once.
  `
  CREATE TABLE photo_people (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    faces INTEGER NOT NULL,
    taken INTEGER NOT NULL,
    PRIMARY KEY (person_id, photo_id)
  ) WITHOUT ROWID;
  CREATE INDEX photo_people_timeline ON photo_people(person_id, taken DESC, photo_id DESC);
  CREATE INDEX photo_people_photo ON photo_people(photo_id);
  CREATE INDEX photos_taken ON photos(COALESCE(taken_at, CAST(mtime_ms AS INTEGER)) DESC, id DESC) WHERE status = 'ok';

  INSERT INTO photo_people (person_id, photo_id, faces, taken)
    SELECT a.person_id, f.photo_id, COUNT(*), COALESCE(p.taken_at, CAST(p.mtime_ms AS INTEGER))
      FROM assignments a JOIN faces f ON f.id = a.face_id JOIN photos p ON p.id = f.photo_id
     GROUP BY a.person_id, f.photo_id;

  CREATE TRIGGER photo_people_assign AFTER INSERT ON assignments BEGIN
    INSERT INTO photo_people (person_id, photo_id, faces, taken)
      SELECT NEW.person_id, f.photo_id, 1, COALESCE(p.taken_at, CAST(p.mtime_ms AS INTEGER))
        FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.id = NEW.face_id
      ON CONFLICT (person_id, photo_id) DO UPDATE SET faces = faces + 1;
  END;

  CREATE TRIGGER photo_people_unassign AFTER DELETE ON assignments BEGIN
    UPDATE photo_people SET faces = faces - 1
     WHERE person_id = OLD.person_id AND photo_id = (SELECT photo_id FROM faces WHERE id = OLD.face_id);
    DELETE FROM photo_people
     WHERE person_id = OLD.person_id AND photo_id = (SELECT photo_id FROM faces WHERE id = OLD.face_id) AND faces <= 0;
  END;

  CREATE TRIGGER photo_people_reassign AFTER UPDATE OF person_id ON assignments WHEN OLD.person_id != NEW.person_id BEGIN
    UPDATE photo_people SET faces = faces - 1
     WHERE person_id = OLD.person_id AND photo_id = (SELECT photo_id FROM faces WHERE id = OLD.face_id);
    DELETE FROM photo_people
     WHERE person_id = OLD.person_id AND photo_id = (SELECT photo_id FROM faces WHERE id = OLD.face_id) AND faces <= 0;
    INSERT INTO photo_people (person_id, photo_id, faces, taken)
      SELECT NEW.person_id, f.photo_id, 1, COALESCE(p.taken_at, CAST(p.mtime_ms AS INTEGER))
        FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.id = NEW.face_id
      ON CONFLICT (person_id, photo_id) DO UPDATE SET faces = faces + 1;
  END;

  -- A face's assignment goes before the face, while the face still says which photo it was in
  -- (a cascade from faces would run after the face row is gone).
  CREATE TRIGGER photo_people_face_gone BEFORE DELETE ON faces BEGIN
    DELETE FROM assignments WHERE face_id = OLD.id;
  END;

  CREATE TRIGGER photo_people_redate AFTER UPDATE OF taken_at, mtime_ms ON photos BEGIN
    UPDATE photo_people SET taken = COALESCE(NEW.taken_at, CAST(NEW.mtime_ms AS INTEGER)) WHERE photo_id = NEW.id;
  END;

  INSERT OR REPLACE INTO settings (key, value) VALUES ('upgrade.takenAtBackfill', 'true');
  `,
  // 3: ignored faces.
  `
  -- "Ignore face" (a stranger, not a face): kept, but out of unassigned, suggestions and clustering.
  CREATE TABLE ignored_faces (
    face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
  );
  `,
  // 4: face regions read from XMP and metadata problems (issue 17).
  XMP_MIGRATION,
  // 5: the log of people whose faces changed, for the person index kept on disk (issue 16).
  PERSON_CHANGES_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Runs the migrations the file has not seen yet, all in one exclusive transaction that also reads the
 * version: a second process opening a new catalog at the same moment waits and then finds it migrated
 * (reading user_version outside the transaction let both create the tables). A file with tables but
 * no FaceAtlas version is someone else's database and is left untouched.
 */
export function migrate(db: Database.Database): number {
  // Up to date already (versions only grow): no write lock needed.
  const seen = db.pragma('user_version', { simple: true }) as number;
  if (seen === SCHEMA_VERSION) return seen;
  return db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from > SCHEMA_VERSION) {
      throw new Error(`catalog schema version ${from} is newer than this app understands (${SCHEMA_VERSION}); update FaceAtlas`);
    }
    if (from === 0 && (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").get() as { n: number }).n > 0) {
      throw Object.assign(new Error(`${db.name} is not a FaceAtlas catalog (it holds other tables); it was left untouched`), { code: 'NOT_A_CATALOG' });
    }
    for (let v = from; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }
    return from;
  }).exclusive();
}
