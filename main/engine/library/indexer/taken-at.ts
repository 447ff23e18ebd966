// Dates taken for a catalog indexed before they were read: metadata only, no re-detection or re-embedding.
import type { Catalog } from '../catalog/catalog.ts';
import { readTakenAt } from './exif.ts';

/** Set by the schema migration that added dated photo lists; cleared once every photo has been looked at. */
export const TAKEN_AT_BACKFILL_KEY = 'upgrade.takenAtBackfill';

const BATCH = 200;

/** Reads the EXIF date of every analysed photo that has none, once per upgrade; returns how many were found. */
export async function backfillTakenAt(catalog: Catalog, read: (file: string) => Promise<number | null> = readTakenAt): Promise<number> {
  if (!catalog.settings.get<boolean>(TAKEN_AT_BACKFILL_KEY)) return 0;
  const todo = catalog.photoIndex.photosWithoutTakenAt();
  let found = 0;
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH);
    const dates = await Promise.all(batch.map((p) => read(p.path)));
    catalog.transaction(() => batch.forEach((p, j) => dates[j] !== null && (catalog.photoIndex.setTakenAt(p.id, dates[j]!), found++)));
  }
  catalog.settings.set(TAKEN_AT_BACKFILL_KEY, false);
  return found;
}
