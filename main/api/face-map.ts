// The Map view's data: every live face of the library's model projected to 2-D by the engine's projector
// in a worker thread (in the adopted adapter's space when there is one), cached on disk by the set of faces,
// the adapter and the settings, with each face's person.
import type { FaceMap, ProjectionMethod } from '../../shared/api.ts';
import type { Catalog } from '../engine/catalog/catalog.ts';
import { blobToEmbedding } from '../engine/catalog/rows.ts';
import { adoptedTransform } from '../engine/people/adapter-transform.ts';
import { getOrCompute } from '../engine/project/cache.ts';
import { projectInWorker } from '../engine/project/projector.ts';
import type { ApiEvents } from './events.ts';

interface LibraryVectors {
  faceIds: number[];
  vectors: Float32Array;
  dim: number;
}

/** Ids and embeddings of the live faces of one model, read in one pass (raw rows, no per-face objects). */
export function liveEmbeddings(catalog: Catalog, modelId: string): LibraryVectors {
  const rows = catalog.db
    .prepare("SELECT f.id, f.embedding FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' AND f.model_id = ? ORDER BY f.id")
    .raw()
    .all(modelId) as [number, Buffer][];
  const dim = rows.length ? rows[0][1].byteLength / 4 : 0;
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach(([, blob], i) => vectors.set(blobToEmbedding(blob), i * dim));
  return { faceIds: rows.map((r) => r[0]), vectors, dim };
}

/** face id -> person id for every assigned face. */
export function personOfFace(catalog: Catalog): Map<number, number> {
  const rows = catalog.db.prepare('SELECT face_id, person_id FROM assignments').raw().all() as [number, number][];
  return new Map(rows);
}

export class FaceMapService {
  constructor(
    private readonly catalog: Catalog,
    private readonly cacheDir: string,
    private readonly events: ApiEvents,
  ) {}

  async get(method: ProjectionMethod, seed: number, modelId: string): Promise<FaceMap> {
    const { faceIds, vectors: raw, dim } = liveEmbeddings(this.catalog, modelId);
    const adapterId = this.catalog.adoptedAdapter(modelId)?.id ?? null;
    const transform = adapterId === null || faceIds.length === 0 ? undefined : await adoptedTransform(this.catalog, modelId);
    const vectors = transform ? transform(raw, dim) : raw;
    const owner = personOfFace(this.catalog);
    const personIds = faceIds.map((f) => owner.get(f) ?? null);
    const people = this.catalog.people().map((p) => ({ id: p.id, name: p.name }));
    if (faceIds.length === 0) return { method, faceIds, x: [], y: [], personIds, people, fromCache: false };
    // Stratify the fitted sample of a large library by person, so small people are not sampled away.
    const groups = Int32Array.from(personIds, (p) => p ?? -1);
    const map = await getOrCompute(this.cacheDir, { method, seed, modelId, adapterId: adapterId === null ? null : String(adapterId), faceIds }, () =>
      projectInWorker(vectors, faceIds.length, dim, {
        method,
        seed,
        groups,
        transferInput: true,
        onProgress: (fraction) => this.events.emit('map.progress', { method, fraction: Math.min(1, Math.max(0, fraction)) }),
      }),
    );
    const x = new Array<number>(faceIds.length);
    const y = new Array<number>(faceIds.length);
    for (let i = 0; i < faceIds.length; i++) {
      x[i] = map.coordinates[2 * i];
      y[i] = map.coordinates[2 * i + 1];
    }
    return { method, faceIds, x, y, personIds, people, fromCache: map.fromCache };
  }
}
