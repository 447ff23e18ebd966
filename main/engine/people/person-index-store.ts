// The person index kept on disk beside the catalog: every person's centroid in the grouping space (the
// model's, or its adopted adapter's) in a PersonIndex with its HNSW graph, so that a new process assigns new
// faces without reading every embedding and rebuilding the graph. The catalog's change log
// (catalog/person-changes.ts, kept by triggers whoever writes) says which people changed since the file was
// written: only those are recomputed, from their own faces. A missing, damaged or foreign file (another
// catalog, model or adapter) is rebuilt from the catalog: it costs time, never a wrong answer.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PEOPLE_DEFAULTS } from '../../../shared/settings.ts';
import { PersonIndex } from '../cluster/assign.ts';
import { pack, unpack } from '../math/packed.ts';
import type { PeopleContext } from './context.ts';
import { personMeans } from './suggestions.ts';

const FORMAT = 1;
const CHECKSUM_BYTES = 32;

/** How the index was last brought up to date, for benchmarks and tests. */
export interface PersonIndexRefresh {
  /** Where it came from: kept in memory, read from the file, or built from every person's faces. */
  source: 'memory' | 'file' | 'catalog';
  /** People recomputed from their faces (changed since the file or the last refresh). */
  recomputed: number;
  seconds: number;
}

/** What the file says it is, checked against the catalog and the people service before it is used. */
interface FileHeader {
  format: number;
  catalogId: string;
  modelId: string;
  adapterId: number | null;
  /** The catalog change (person_changes.seq) the index includes. */
  seq: number;
}

/** The index and, per row, the person's face count and mean length (distanceToGroup needs them). */
interface State {
  index: PersonIndex;
  seq: number;
  rowOf: Map<number, number>;
  faces: number[];
  meanLengths: number[];
}

export class PersonIndexStore {
  private state: State | null = null;
  private unsaved = false;
  private refreshed: PersonIndexRefresh | null = null;

  /** `file`: where the index is kept; null keeps it in memory only (built afresh by each service). */
  constructor(private readonly ctx: PeopleContext, private readonly file: string | null) {}

  get lastRefresh(): PersonIndexRefresh | null {
    return this.refreshed;
  }

  /**
   * The index with every change the catalog holds now (within the caller's transaction, its own writes
   * included): from memory or the file, with the people changed since recomputed; built when neither is usable.
   */
  current(): { index: PersonIndex; person: (personId: number) => { faces: number; meanLength: number; vector: Float32Array } | undefined } {
    const started = performance.now();
    const changes = this.ctx.catalog.personChanges;
    // Read before any face: whatever changes while the faces are read is recomputed next time again.
    const seq = changes.available ? changes.latest() : 0;
    let source: PersonIndexRefresh['source'] = 'memory';
    let recomputed = 0;
    if (!changes.available) this.state = null;
    if (!this.state && changes.available) {
      this.state = this.load();
      source = 'file';
    }
    // A file from ahead of the catalog (a catalog restored from a backup, say) describes another history.
    if (this.state && this.state.seq > seq) this.state = null;
    if (this.state && seq > this.state.seq) {
      const changed = changes.since(this.state.seq);
      if (changed.length * 2 > this.state.rowOf.size || !this.recompute(this.state, changed)) this.state = null;
      else {
        this.state.seq = seq;
        this.unsaved = true;
        recomputed = changed.length;
      }
    }
    if (!this.state) {
      this.state = this.build(seq);
      this.unsaved = true;
      source = 'catalog';
      recomputed = this.state.rowOf.size;
    }
    this.compact(this.state);
    this.refreshed = { source, recomputed, seconds: (performance.now() - started) / 1000 };
    const { index, rowOf, faces, meanLengths } = this.state;
    return {
      index,
      person: (personId) => {
        const row = rowOf.get(personId);
        return row === undefined ? undefined : { faces: faces[row], meanLength: meanLengths[row], vector: index.rowVector(row) };
      },
    };
  }

  /** Brings the index up to date and writes it, when it is kept on disk (after a re-cluster changed everyone). */
  keep(): void {
    if (!this.file) return;
    this.current();
    this.save();
  }

  /** Drops the index held in memory (after a transaction that read it rolled back). */
  forget(): void {
    this.state = null;
  }

  /**
   * Writes the index to its file when it differs from what the file holds: through a temporary file and a
   * rename, so a reader sees the old file or the new one. Only call it with a state that was committed
   * (the catalog change it names must not be rolled back). A cache that cannot be written is skipped.
   */
  save(): void {
    if (!this.file || !this.state || !this.unsaved) return;
    const catalogId = this.ctx.catalog.personChanges.catalogId();
    if (!catalogId) return;
    const { index, seq, rowOf, faces, meanLengths } = this.state;
    const header: FileHeader = { format: FORMAT, catalogId, modelId: this.ctx.modelId, adapterId: this.ctx.adapterId, seq };
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      // The HNSW graph passes through a temporary file too (hnswlib writes only files): inside the try.
      const body = pack(header, [
        index.toBytes(), Float64Array.from(rowOf.keys()), Float64Array.from(rowOf.values()), Float64Array.from(faces), Float64Array.from(meanLengths),
      ]);
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(temp, Buffer.concat([body, createHash('sha256').update(body).digest()]));
      renameSync(temp, this.file);
      this.unsaved = false;
    } catch (err) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // Its folder could not be made (a file in the way, say): there is no temporary file either.
      }
      console.warn(`face-atlas: the person index could not be kept in ${this.file} (${(err as Error).message}); it is rebuilt when needed`);
    }
  }

  /** The file's index when it is whole and is this catalog's, model's and adapter's; else null. */
  private load(): State | null {
    if (!this.file) return null;
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file);
    } catch {
      return null; // not written yet
    }
    try {
      const body = bytes.subarray(0, bytes.byteLength - CHECKSUM_BYTES);
      if (bytes.byteLength <= CHECKSUM_BYTES || !createHash('sha256').update(body).digest().equals(bytes.subarray(body.byteLength))) return null;
      const { header, arrays } = unpack(body);
      const h = header as FileHeader;
      const expected: Omit<FileHeader, 'seq'> = {
        format: FORMAT, catalogId: this.ctx.catalog.personChanges.catalogId() ?? '', modelId: this.ctx.modelId, adapterId: this.ctx.adapterId,
      };
      if (Object.entries(expected).some(([key, value]) => h?.[key as keyof FileHeader] !== value) || !Number.isInteger(h.seq)) return null;
      const [graph, people, rows, faces, meanLengths] = arrays;
      if (!(graph instanceof Uint8Array) || ![people, rows, faces, meanLengths].every((a) => a instanceof Float64Array)) return null;
      if (people.length !== rows.length || faces.length !== meanLengths.length) return null;
      const index = PersonIndex.fromBytes(graph);
      if (faces.length !== index.rowCount || rows.some((r) => !Number.isInteger(r) || r < 0 || r >= index.rowCount)) return null;
      const rowOf = new Map<number, number>();
      people.forEach((personId, i) => rowOf.set(personId, rows[i]));
      return { index, seq: h.seq, rowOf, faces: Array.from(faces), meanLengths: Array.from(meanLengths) };
    } catch {
      // Unreadable in any other way (a newer format, a damaged graph): built again from the catalog.
      return null;
    }
  }

  /** Every person's centroid from all their faces, as the index of the catalog at change `seq`. */
  private build(seq: number): State {
    const { catalog, modelId } = this.ctx;
    const means = personMeans(catalog.people.assignedFaces(modelId), (rows) => this.ctx.embeddingsOf(rows.map((r) => r.embedding)));
    return this.fresh(means.vectors, means.personIds, means.faces, means.meanLengths, means.dim, seq);
  }

  private fresh(vectors: Float32Array, personIds: number[], faces: number[], meanLengths: number[], dim: number, seq: number): State {
    const index = PersonIndex.build(vectors, personIds, dim, { seed: PEOPLE_DEFAULTS.seed });
    return { index, seq, rowOf: new Map(personIds.map((id, row) => [id, row])), faces: [...faces], meanLengths: [...meanLengths] };
  }

  /**
   * New centroids for these people from their faces now (a person left with none leaves the index); false,
   * changing nothing, when the faces do not fit the index (it is then built again).
   */
  private recompute(state: State, people: number[]): boolean {
    const { catalog, modelId } = this.ctx;
    const means = personMeans(catalog.people.assignedFaces(modelId, people), (rows) => this.ctx.embeddingsOf(rows.map((r) => r.embedding)));
    if (means.personIds.length && means.dim !== state.index.dim) return false;
    for (const personId of people) {
      const row = state.rowOf.get(personId);
      if (row === undefined) continue;
      state.index.remove(row);
      state.rowOf.delete(personId);
    }
    if (!means.personIds.length) return true;
    const rows = state.index.add(means.vectors, means.personIds);
    rows.forEach((row, i) => {
      state.rowOf.set(means.personIds[i], row);
      state.faces[row] = means.faces[i];
      state.meanLengths[row] = means.meanLengths[i];
    });
    return true;
  }

  /**
   * Rebuilt from its own live rows when removed rows outnumber them, or when its size calls for the other
   * search method (exact scan or HNSW) than the one it has: what PersonIndex.build would choose now.
   */
  private compact(state: State): void {
    const { index } = state;
    if (index.rowCount - index.size <= index.size && PersonIndex.methodFor(index.size) === index.method) return;
    const live = index.live();
    const rows = live.personIds.map((personId) => state.rowOf.get(personId)!);
    const faces = rows.map((row) => state.faces[row]);
    const meanLengths = rows.map((row) => state.meanLengths[row]);
    this.state = this.fresh(live.vectors, live.personIds, faces, meanLengths, index.dim, state.seq);
    this.unsaved = true;
  }
}
