// The library's map: every live face of one embedding model projected to 2-D in a worker thread (in the
// adopted adapter's space when there is one), cached on disk by the face set, adapter, method and seed, with
// each face's person. The app's Map view and `face-atlas map` both read it, so they share cache entries.
import type { Catalog } from '../library/catalog/catalog.ts';
import { adoptedTransform } from '../people/adapter-transform.ts';
import { getOrCompute } from './cache.ts';
import { projectInWorker, type ProjectionMethod } from './projector.ts';

export type { EmbeddingMatrix as LibraryVectors } from '../library/catalog/faces.ts';

/** Ids and embeddings of the live faces of one model, read in one pass (raw rows, no per-face objects). */
export const liveEmbeddings = (catalog: Catalog, modelId: string) => catalog.faces.liveEmbeddings(modelId);

export interface LibraryMap {
  faceIds: number[];
  /** n x 2, in the order of faceIds. */
  coordinates: Float32Array;
  personIds: (number | null)[];
  adapterId: number | null;
  fromCache: boolean;
}

export async function libraryMap(
  catalog: Catalog, cacheDir: string, modelId: string, method: ProjectionMethod, seed: number, onProgress?: (fraction: number) => void,
): Promise<LibraryMap> {
  const { faceIds, vectors: raw, dim } = liveEmbeddings(catalog, modelId);
  const adapterId = catalog.adapters.adopted(modelId)?.id ?? null;
  const owner = catalog.people.personOfFace();
  const personIds = faceIds.map((f) => owner.get(f) ?? null);
  if (faceIds.length === 0) return { faceIds, coordinates: new Float32Array(0), personIds, adapterId, fromCache: false };
  const transform = adapterId === null ? undefined : await adoptedTransform(catalog, modelId);
  const vectors = transform ? transform(raw, dim) : raw;
  // Stratify the fitted sample of a large library by person, so small people are not sampled away.
  const groups = Int32Array.from(personIds, (p) => p ?? -1);
  const map = await getOrCompute(cacheDir, { method, seed, modelId, adapterId: adapterId === null ? null : String(adapterId), faceIds }, () =>
    projectInWorker(vectors, faceIds.length, dim, { method, seed, groups, transferInput: true, onProgress }),
  );
  return { faceIds, coordinates: map.coordinates, personIds, adapterId, fromCache: map.fromCache };
}
