// A second, raw SQLite connection to a catalog's file, for tests that look at rows directly (the Catalog
// keeps its own handle private). WAL lets it read what the catalog committed.
import Database from 'better-sqlite3';
import type { Catalog } from '../../main/engine/library/catalog/catalog.ts';

const open = new Map<string, Database.Database>();

export function sqlOf(catalog: Catalog): Database.Database {
  let db = open.get(catalog.file);
  if (!db || !db.open) open.set(catalog.file, (db = new Database(catalog.file)));
  return db;
}
