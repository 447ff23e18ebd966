// The decision log: every user decision with the state it replaced, newest first, so undo restores it.
import type Database from 'better-sqlite3';
import { type Decision, toDecision } from './rows.ts';

type Row = Record<string, unknown>;
const now = (): number => Date.now();

/**
 * Records kept in the log for the user to read, not decisions to revert: what a re-index removed with the
 * user's work on it (the photo itself changed, so there is no earlier state to go back to).
 */
export const LOG_ONLY_KINDS = ['reindex-removed-faces'];

export class DecisionStore {
  constructor(private readonly db: Database.Database) {}

  log(kind: string, payload: unknown): number {
    const { lastInsertRowid } = this.db.prepare('INSERT INTO decisions (kind, payload, created_at) VALUES (?, ?, ?)').run(kind, JSON.stringify(payload), now());
    return Number(lastInsertRowid);
  }

  list<P = unknown>(opts: { includeUndone?: boolean; limit?: number } = {}): Decision<P>[] {
    const sql = `SELECT * FROM decisions ${opts.includeUndone ? '' : 'WHERE undone_at IS NULL'} ORDER BY id DESC ${opts.limit ? 'LIMIT ?' : ''}`;
    return (this.db.prepare(sql).all(...(opts.limit ? [opts.limit] : [])) as Row[]).map((r) => toDecision<P>(r));
  }

  /** The newest decision not yet undone that undo can revert (log-only records are skipped): what "undo" reverts next. */
  last<P = unknown>(): Decision<P> | undefined {
    const row = this.db.prepare(`SELECT * FROM decisions WHERE undone_at IS NULL AND kind NOT IN (${LOG_ONLY_KINDS.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`).get(...LOG_ONLY_KINDS) as Row | undefined;
    return row ? toDecision<P>(row) : undefined;
  }

  /** Stores the plain-words line of a decision ("Moved 1 face to Penny") with it, for the undo history. */
  describe(decisionId: number, summary: string): void {
    this.db.prepare(`UPDATE decisions SET payload = json_set(payload, '$.summary', ?) WHERE id = ?`).run(summary, decisionId);
  }

  markUndone(decisionId: number): void {
    const r = this.db.prepare('UPDATE decisions SET undone_at = ? WHERE id = ? AND undone_at IS NULL').run(now(), decisionId);
    if (r.changes !== 1) throw new Error(`decision ${decisionId} does not exist or is already undone`);
  }
}
