// Faces drawn by hand where detection missed one (the photo viewer's box tool): embedded like any face, from
// a landmark pass inside the box, and removable again (the undo of drawing one).
import type { Box } from '../face/types.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { PhotoAnalyser } from './indexer/analyser.ts';

export class ManualFaceError extends Error {
  constructor(message: string, readonly code: 'NOT_FOUND' | 'INVALID') {
    super(message);
    this.name = 'ManualFaceError';
  }
}

/** Smallest side (original pixels) of a box worth embedding: below MTCNN's 12 px cell nothing is a face. */
const MIN_SIDE = 12;

/** Adds a face at `box` (pixels of the upright photo) to an analysed photo; returns its id. */
export async function addManualFace(catalog: Catalog, analyser: PhotoAnalyser, photoId: number, box: Box): Promise<number> {
  const photo = catalog.photos.get(photoId);
  if (!photo || photo.status !== 'ok' || !photo.width || !photo.height) throw new ManualFaceError(`photo ${photoId} does not exist or is not analysed`, 'NOT_FOUND');
  const x = Math.max(0, box.x), y = Math.max(0, box.y);
  const clipped = { x, y, width: Math.min(photo.width, box.x + box.width) - x, height: Math.min(photo.height, box.y + box.height) - y };
  if (!(clipped.width >= MIN_SIDE && clipped.height >= MIN_SIDE)) throw new ManualFaceError(`the box must lie on the photo and be at least ${MIN_SIDE} px on each side`, 'INVALID');
  const analysis = await analyser.analysePhoto(photo.path, { manualBoxes: [clipped] });
  const face = analysis.faces[0];
  if (!face) throw new ManualFaceError('no face could be embedded from this box', 'INVALID');
  return catalog.faces.insert(photoId, face, analysis.detectorId);
}

/** Removes a face drawn by hand (never a detected one: those come back with every re-index). */
export function removeManualFace(catalog: Catalog, faceId: number): void {
  const face = catalog.faces.get(faceId);
  if (!face) throw new ManualFaceError(`face ${faceId} does not exist`, 'NOT_FOUND');
  if (face.source !== 'manual') throw new ManualFaceError(`face ${faceId} was found by the detector; only faces drawn by hand can be removed`, 'INVALID');
  catalog.faces.delete(faceId);
}
