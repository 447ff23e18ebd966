// The catalog's answer for the map: which photo each face of the map came from.
import type { Catalog } from './catalog.ts';

/** face id -> photo id for the live faces of one embedding model (the faces a library map holds). */
export function photoOfLiveFaces(catalog: Catalog, modelId: string): Map<number, number> {
  const rows = catalog.db
    .prepare("SELECT f.id, f.photo_id FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.status = 'ok' AND f.model_id = ?")
    .raw()
    .all(modelId) as [number, number][];
  return new Map(rows);
}
