// The catalog's answer for the map: the live faces of one embedding model with their photos, without
// reading embeddings (a map served from its cache needs only these).
import type { Catalog } from './catalog.ts';

/** Ids of the live faces of one model, ascending (the order library-map's embeddings are read in), and each one's photo. */
export function liveFacesOfModel(catalog: Catalog, modelId: string): { faceIds: number[]; photoIds: number[] } {
  const rows = catalog.db
    .prepare("SELECT f.id, f.photo_id FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' AND f.model_id = ? ORDER BY f.id")
    .raw()
    .all(modelId) as [number, number][];
  return { faceIds: rows.map((r) => r[0]), photoIds: rows.map((r) => r[1]) };
}
