// Adapters: trained embedding heads with their metrics; at most one adopted per embedding model.
import type Database from 'better-sqlite3';
import { type Adapter, toAdapter } from './rows.ts';

type Row = Record<string, unknown>;
const now = (): number => Date.now();

export class AdapterStore {
  constructor(private readonly db: Database.Database, private readonly tx: <T>(fn: () => T) => T) {}

  save(a: { modelId: string; loss: string; weights: Uint8Array; metrics: Record<string, unknown> }): number {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO adapters (model_id, loss, weights, metrics, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(a.modelId, a.loss, Buffer.from(a.weights.buffer, a.weights.byteOffset, a.weights.byteLength), JSON.stringify(a.metrics), now());
    return Number(lastInsertRowid);
  }

  list(modelId?: string): Adapter[] {
    const sql = `SELECT * FROM adapters ${modelId ? 'WHERE model_id = ?' : ''} ORDER BY id`;
    return (this.db.prepare(sql).all(...(modelId ? [modelId] : [])) as Row[]).map(toAdapter);
  }

  adopted(modelId: string): Adapter | undefined {
    const r = this.db.prepare('SELECT * FROM adapters WHERE model_id = ? AND adopted = 1').get(modelId) as Row | undefined;
    return r && toAdapter(r);
  }

  /** Makes one adapter the adopted one of its model (at most one per model); null id adopts none. */
  adopt(modelId: string, adapterId: number | null): void {
    this.tx(() => {
      this.db.prepare('UPDATE adapters SET adopted = 0 WHERE model_id = ?').run(modelId);
      if (adapterId !== null) {
        const r = this.db.prepare('UPDATE adapters SET adopted = 1 WHERE id = ? AND model_id = ?').run(adapterId, modelId);
        if (r.changes !== 1) throw new Error(`adapter ${adapterId} of model ${modelId} does not exist`);
      }
    });
  }
}
