// Our names back into the tools people already use: every photo with a named face gets an MWG sidecar
// (main/engine/metadata/xmp-write.ts); photos are never written. Also which photos a decision touched, for
// the per-library switch that keeps sidecars current after each edit.
import type { Catalog } from './catalog/catalog.ts';
import type { NamedFace } from './catalog/xmp-store.ts';
import { sidecarFor, writeFaceSidecar, type NamedRegion, type SidecarNaming, type SidecarWrite } from '../metadata/xmp-write.ts';


export interface ExportOptions {
  dryRun?: boolean;
  naming?: SidecarNaming;
  /** Also write faces grouped automatically into a named person (default: only names the user confirmed or
   * imported, so no guess of ours reaches another tool looking like a decision). */
  includeAutomatic?: boolean;
  /** Only these photos (after an edit); a photo in the list with no named face left loses its stale regions. */
  photoIds?: number[];
}

export interface ExportResult {
  written: SidecarWrite[];
  failed: { photo: string; message: string }[];
}

const unit = (f: NamedFace): NamedRegion['box'] =>
  f.regionBox ?? { x: f.box.x / f.width, y: f.box.y / f.height, width: f.box.width / f.width, height: f.box.height / f.height };

export async function exportXmpSidecars(catalog: Catalog, opts: ExportOptions = {}): Promise<ExportResult> {
  const only = opts.photoIds ? new Set(opts.photoIds) : null;
  const byPhoto = new Map<number, NamedFace[]>();
  for (const f of catalog.xmp.namedFaces({ confirmedOnly: !opts.includeAutomatic })) {
    if (only && !only.has(f.photoId)) continue;
    byPhoto.set(f.photoId, [...(byPhoto.get(f.photoId) ?? []), f]);
  }
  for (const id of only ?? []) if (!byPhoto.has(id)) byPhoto.set(id, []);
  const result: ExportResult = { written: [], failed: [] };
  for (const [photoId, faces] of byPhoto) {
    const photo = catalog.photos.get(photoId);
    if (!photo || photo.status !== 'ok' || !photo.width || !photo.height) continue;
    const image = { width: photo.width, height: photo.height, orientation: photo.orientation ?? 1 };
    const named = new Set(faces.map((f) => f.faceId));
    const otherFaces = catalog.faces.ofPhoto(photoId).filter((f) => !named.has(f.id))
      .map((f) => ({ x: f.box.x / image.width, y: f.box.y / image.height, width: f.box.width / image.width, height: f.box.height / image.height }));
    if (!faces.length && !sidecarFor(photo.path).exists) continue; // nothing named, nothing stale
    try {
      const w = await writeFaceSidecar(photo.path, image, faces.map((f) => ({ name: f.name, box: unit(f) })), { dryRun: opts.dryRun, naming: opts.naming, otherFaces });
      if (faces.length || w.changed) result.written.push(w);
    } catch (err) {
      result.failed.push({ photo: photo.path, message: (err as Error).message.split('\n')[0] });
    }
  }
  return result;
}

/** Photos whose faces a logged decision changed (its snapshot lists them), for updating their sidecars. */
export function photosOfDecisions(catalog: Catalog, decisionIds: (number | undefined)[]): number[] {
  const wanted = new Set(decisionIds.filter((id): id is number => id !== undefined));
  const photos = new Set<number>();
  for (const d of catalog.decisions.list<{ assignments?: [number, ...unknown[]][]; removedFaces?: { face: { photoId: number } }[] }>({ includeUndone: true, limit: 50 })) {
    if (!wanted.has(d.id)) continue;
    // A removed face is gone from the catalog: its photo is in the log.
    for (const r of d.payload.removedFaces ?? []) photos.add(r.face.photoId);
    if (!Array.isArray(d.payload.assignments)) continue;
    for (const [faceId] of d.payload.assignments) {
      const f = catalog.faces.get(faceId);
      if (f) photos.add(f.photoId);
    }
  }
  return [...photos];
}
