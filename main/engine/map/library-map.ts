// The library's map: every live face of one embedding model projected to 2-D in a worker thread (in the
// adopted adapter's space when there is one), cached on disk by the face set, adapter, method and seed, with
// each face's person. The app's Map view and `face-atlas map` both read it, so they share cache entries.
import type { Catalog } from '../library/catalog/catalog.ts';
import { adoptedTransform } from '../people/adapter-transform.ts';
import { getOrCompute, latestOfFamily } from './cache.ts';
import { extendMap, planIncremental } from './incremental.ts';
import { projectInWorker, type ProjectionMethod } from './projector.ts';

export interface LibraryMap {
  faceIds: number[];
  /** The photo of each face. */
  photoIds: number[];
  /** n x 2, in the order of faceIds. */
  coordinates: Float32Array;
  personIds: (number | null)[];
  adapterId: number | null;
  fromCache: boolean;
  /** Faces placed among an earlier map's (new since it was stored) instead of a fresh projection; 0 otherwise. */
  placed: number;
}

/**
 * The map of the library's live faces. Embeddings are read only when the map is not in the cache: a
 * cached 100k-face map costs an id query, not 100k embedding BLOBs.
 */
export async function libraryMap(
  catalog: Catalog, cacheDir: string, modelId: string, method: ProjectionMethod, seed: number, onProgress?: (fraction: number) => void,
): Promise<LibraryMap> {
  const { faceIds, photoIds } = catalog.faces.liveFacesOfModel(modelId);
  const adapterId = catalog.adapters.adopted(modelId)?.id ?? null;
  const owner = catalog.people.personOfFace();
  const personIds = faceIds.map((f) => owner.get(f) ?? null);
  if (faceIds.length === 0) return { faceIds, photoIds, coordinates: new Float32Array(0), personIds, adapterId, fromCache: false, placed: 0 };
  const family = { method, seed, modelId, adapterId: adapterId === null ? null : String(adapterId) };
  let placed = 0;
  const map = await getOrCompute(cacheDir, { ...family, faceIds }, async () => {
    const { faceIds: read, vectors: raw, dim } = catalog.faces.liveEmbeddings(modelId);
    if (read.length !== faceIds.length || read.some((id, k) => id !== faceIds[k])) throw new Error('the library changed while its map was being made: ask for the map again');
    const transform = adapterId === null ? undefined : await adoptedTransform(catalog, modelId);
    const vectors = transform ? transform(raw, dim) : raw;
    // A few faces more (or fewer) than the last map of this family: keep its layout, place the new ones.
    const previous = await latestOfFamily(cacheDir, family);
    const plan = previous && planIncremental(previous, faceIds);
    if (plan) {
      placed = plan.addedRows.length;
      const coordinates = await extendMap(vectors, faceIds.length, dim, plan, method, seed);
      onProgress?.(1);
      return coordinates;
    }
    // Stratify the fitted sample of a large library by person, so small people are not sampled away.
    const groups = Int32Array.from(personIds, (p) => p ?? -1);
    return projectInWorker(vectors, faceIds.length, dim, { method, seed, groups, transferInput: true, onProgress });
  });
  return { faceIds, photoIds, coordinates: map.coordinates, personIds, adapterId, fromCache: map.fromCache, placed };
}
