// Roots: the folders the user added to the library, and per-folder counts.
import path from 'node:path';
import type Database from 'better-sqlite3';
import { type Root, toRoot } from './rows.ts';

type Row = Record<string, unknown>;
const now = (): number => Date.now();

export interface RootCounts {
  photos: number;
  failed: number;
  faces: number;
}

export class RootStore {
  constructor(private readonly db: Database.Database) {}

  add(rootPath: string): Root {
    const p = path.resolve(rootPath);
    this.db.prepare('INSERT OR IGNORE INTO roots (path, added_at) VALUES (?, ?)').run(p, now());
    return toRoot(this.db.prepare('SELECT * FROM roots WHERE path = ?').get(p) as Row);
  }

  all(): Root[] {
    return (this.db.prepare('SELECT * FROM roots ORDER BY id').all() as Row[]).map(toRoot);
  }

  remove(rootId: number): void {
    this.db.prepare('DELETE FROM roots WHERE id = ?').run(rootId);
  }

  markScanned(rootId: number, at: number = now()): void {
    this.db.prepare('UPDATE roots SET last_scan_at = ? WHERE id = ?').run(at, rootId);
  }

  /** Analysed photos, failures and faces per root, in one pass each. */
  counts(): Map<number, RootCounts> {
    const out = new Map<number, RootCounts>();
    const get = (id: number): RootCounts => out.get(id) ?? (out.set(id, { photos: 0, failed: 0, faces: 0 }), out.get(id)!);
    for (const r of this.db.prepare("SELECT root_id AS id, SUM(status = 'ok') AS ok, SUM(status = 'failed') AS failed FROM photos WHERE root_id IS NOT NULL GROUP BY root_id").all() as { id: number; ok: number; failed: number }[]) {
      Object.assign(get(r.id), { photos: r.ok, failed: r.failed });
    }
    for (const r of this.db.prepare("SELECT p.root_id AS id, COUNT(*) AS n FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' AND p.root_id IS NOT NULL GROUP BY p.root_id").all() as { id: number; n: number }[]) {
      get(r.id).faces = r.n;
    }
    return out;
  }
}
