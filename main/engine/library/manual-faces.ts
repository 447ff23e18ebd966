// Faces drawn by hand where detection missed one (the photo viewer's box tool, XMP regions no detection
// matched): embedded like any face, from a landmark pass inside the box, and removable again.
import { PEOPLE_DEFAULTS } from '../../../shared/settings.ts';
import type { AnalysedFace, Box } from '../face/types.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { PhotoAnalyser } from './indexer/analyser.ts';

export class ManualFaceError extends Error {
  constructor(message: string, readonly code: 'NOT_FOUND' | 'INVALID') {
    super(message);
    this.name = 'ManualFaceError';
  }
}

/** Smallest side (original pixels) of a box worth embedding: below MTCNN's 12 px cell nothing is a face. */
export const MIN_MANUAL_FACE_SIDE = 12;

export interface ManualFace {
  /** The photo the face belongs to (for a duplicate, the photo it duplicates). */
  photoId: number;
  face: AnalysedFace;
  detectorId: string;
  /** The landmark pass scored the box as a face (at least the score automatic grouping needs); otherwise the
   * face is kept as drawn but waits for the user to give it a person. */
  looksLikeFace: boolean;
}

/** Analyses a box drawn on an analysed photo (pixels of the upright photo), clipped to the photo; nothing is stored. */
export async function analyseManualFace(catalog: Catalog, analyser: PhotoAnalyser, photoId: number, box: Box): Promise<ManualFace> {
  let photo = catalog.photos.get(photoId);
  // A duplicate shows (and holds) the faces of the photo it duplicates: the face goes there.
  if (photo?.status === 'duplicate' && photo.duplicateOf !== null) photo = catalog.photos.get(photo.duplicateOf);
  if (!photo || photo.status !== 'ok' || !photo.width || !photo.height) throw new ManualFaceError(`photo ${photoId} does not exist or is not analysed`, 'NOT_FOUND');
  const x = Math.max(0, box.x), y = Math.max(0, box.y);
  const clipped = { x, y, width: Math.min(photo.width, box.x + box.width) - x, height: Math.min(photo.height, box.y + box.height) - y };
  if (!(clipped.width > 0 && clipped.height > 0)) throw new ManualFaceError(`the box lies outside the photo (${photo.width} x ${photo.height} px)`, 'INVALID');
  if (!(clipped.width >= MIN_MANUAL_FACE_SIDE && clipped.height >= MIN_MANUAL_FACE_SIDE)) {
    throw new ManualFaceError(`the box is too small: a face needs at least ${MIN_MANUAL_FACE_SIDE} px of the photo on each side (this one is ${Math.round(clipped.width)} x ${Math.round(clipped.height)})`, 'INVALID');
  }
  const analysis = await analyser.analysePhoto(photo.path, { manualBoxes: [clipped] });
  const face = analysis.faces[0];
  if (!face) throw new ManualFaceError('no face could be embedded from this box', 'INVALID');
  return { photoId: photo.id, face, detectorId: analysis.detectorId, looksLikeFace: face.score >= PEOPLE_DEFAULTS.minClusterScore };
}

/** Adds a face at `box` (pixels of the upright photo) to an analysed photo; returns its id. Not logged as a decision. */
export async function addManualFace(catalog: Catalog, analyser: PhotoAnalyser, photoId: number, box: Box): Promise<number> {
  const drawn = await analyseManualFace(catalog, analyser, photoId, box);
  return catalog.faces.insert(drawn.photoId, drawn.face, drawn.detectorId);
}

/** Removes a face drawn by hand (never a detected one: those come back with every re-index). */
export function removeManualFace(catalog: Catalog, faceId: number): void {
  const face = catalog.faces.get(faceId);
  if (!face) throw new ManualFaceError(`face ${faceId} does not exist`, 'NOT_FOUND');
  if (face.source !== 'manual') throw new ManualFaceError(`face ${faceId} was found by the detector; only faces drawn by hand can be removed`, 'INVALID');
  catalog.faces.delete(faceId);
}
