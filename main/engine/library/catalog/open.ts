// Opening the catalog file safely: writers that wait for each other instead of failing, a new file that
// appears complete or not at all, read-only opens for read commands, and a damaged or foreign file
// reported and never overwritten.
import Database from 'better-sqlite3';
import { existsSync, linkSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { migrate, SCHEMA_VERSION } from './schema.ts';

/**
 * How long (ms) a writer waits for another one (another `index`, `serve`, the desktop app) to commit.
 * Writes are per photo (milliseconds) but a re-cluster of a large library holds the lock for seconds
 * (bench:people: 23.5 s for 100k faces), so a minute covers it with room.
 */
export const BUSY_TIMEOUT_MS = 60_000;

export type CatalogOpenErrorCode = 'CATALOG_MISSING' | 'CATALOG_EMPTY' | 'NOT_A_CATALOG' | 'CATALOG_READ_ONLY' | 'CATALOG_TOO_NEW' | 'CATALOG_TOO_OLD';

/** The catalog file cannot be used as asked; the message says why and what to do. The file is left untouched. */
export class CatalogOpenError extends Error {
  override readonly name = 'CatalogOpenError';
  constructor(readonly code: CatalogOpenErrorCode, message: string) {
    super(message);
  }
}

export interface OpenOptions {
  /** Open for reading only (status, errors, people): works in a read-only folder, never creates or migrates. */
  readonly?: boolean;
}

const sqliteCode = (err: unknown): string => String((err as { code?: unknown }).code ?? '');

function damaged(file: string, err: unknown): CatalogOpenError | null {
  const code = sqliteCode(err);
  if (code === 'NOT_A_CATALOG') return new CatalogOpenError('NOT_A_CATALOG', (err as Error).message);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new CatalogOpenError('NOT_A_CATALOG', `${file} is not a FaceAtlas catalog or is damaged (${(err as Error).message}); it was left untouched: move it away or pass another --db`);
  }
  return null;
}

function readOnlyFolder(file: string, err: unknown): CatalogOpenError | null {
  const code = sqliteCode(err);
  if (!code.startsWith('SQLITE_READONLY') && code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_PERM') return null;
  return new CatalogOpenError(
    'CATALOG_READ_ONLY',
    `cannot write the catalog ${file}: the file or its folder is read-only (${(err as Error).message}); read commands (status, errors, people) still work`,
  );
}

/**
 * A new catalog is built under a temporary name and linked into place, so another process never sees
 * a half-made file (an empty file is a damaged catalog), and two processes creating it at once end up
 * sharing the one that won.
 */
function createAtomically(file: string): boolean {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.creating`;
  try {
    const db = new Database(tmp);
    try {
      migrate(db);
    } finally {
      db.close();
    }
    try {
      linkSync(tmp, file);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // File systems without hard links (FAT, exFAT): a rename, which can only lose a race to an identical new file.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
      if (existsSync(file)) return false;
      renameSync(tmp, file);
      return true;
    }
  } finally {
    for (const f of [tmp, `${tmp}-journal`]) if (existsSync(f)) unlinkSync(f);
  }
}

function refuseEmpty(file: string): void {
  if (statSync(file).size === 0) {
    throw new CatalogOpenError('CATALOG_EMPTY', `${file} is empty (0 bytes): it is not a FaceAtlas catalog, or it was damaged; it was left untouched: move it away or pass another --db`);
  }
}

/** Opens (creating where needed and allowed) the catalog file; returns the handle and the schema version found. */
export function openCatalogDatabase(file: string, opts: OpenOptions = {}): { db: Database.Database; openedAtVersion: number } {
  if (file === ':memory:') {
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    return { db, openedAtVersion: migrate(db) };
  }
  let created = false;
  if (!existsSync(file)) {
    if (opts.readonly) throw new CatalogOpenError('CATALOG_MISSING', `no catalog at ${file}: run "face-atlas index ROOT" first`);
    try {
      created = createAtomically(file);
    } catch (err) {
      throw readOnlyFolder(file, err) ?? err;
    }
  }
  refuseEmpty(file);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: true });
  } catch (err) {
    throw damaged(file, err) ?? readOnlyFolder(file, err) ?? err;
  }
  try {
    // Before anything that may need a lock: every statement below waits for another writer instead of failing.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (opts.readonly) return { db, openedAtVersion: checkReadable(db, file) };
    db.pragma('journal_mode = WAL');
    // FULL: a committed photo survives a power cut too, at one WAL fsync per photo (cheap next to analysis).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const found = migrate(db);
    // A file this call created counts as new (version 0), as if it had been migrated here.
    return { db, openedAtVersion: created ? 0 : found };
  } catch (err) {
    db.close();
    if (err instanceof CatalogOpenError) throw err;
    if (sqliteCode(err) === 'SQLITE_READONLY_DIRECTORY' && opts.readonly) {
      throw new CatalogOpenError('CATALOG_READ_ONLY', `cannot read ${file}: its folder is read-only and the catalog was not closed cleanly (its write-ahead log is still open); run any command once with write access`);
    }
    throw damaged(file, err) ?? readOnlyFolder(file, err) ?? err;
  }
}

function checkReadable(db: Database.Database, file: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new CatalogOpenError('CATALOG_TOO_NEW', `catalog schema version ${version} is newer than this app understands (${SCHEMA_VERSION}); update FaceAtlas`);
  }
  if (version === 0) throw new CatalogOpenError('NOT_A_CATALOG', `${file} is not a FaceAtlas catalog (no FaceAtlas schema in it); it was left untouched`);
  if (version < SCHEMA_VERSION) {
    throw new CatalogOpenError('CATALOG_TOO_OLD', `${file} has schema version ${version}; run a write command (face-atlas index) once to upgrade it to ${SCHEMA_VERSION}`);
  }
  return version;
}

/**
 * Closes the handle. A writer that is the last one on the file also leaves it in rollback-journal
 * mode (the next writer switches back to WAL): a WAL catalog can only be read where its -shm file
 * can be created, so this is what lets `status` read a catalog in a read-only folder or medium.
 */
export function closeCatalogDatabase(db: Database.Database): void {
  if (!db.open) return;
  if (!db.readonly && db.name !== ':memory:') {
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('journal_mode = DELETE');
    } catch {
      // Another connection is open: it stays in WAL and the last one out switches.
    }
  }
  db.close();
}
