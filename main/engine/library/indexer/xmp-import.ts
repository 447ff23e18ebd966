// Reads the face regions other tools wrote for a photo (XMP, embedded and sidecars) and ties each to a face
// of the analysis: the detected face it overlaps, or, for a region no detection matched (named, or unnamed and
// over no face), a new face embedded from the region itself (a landmark pass inside the box). Names are applied later, as user
// decisions, by the people side (main/engine/people/imported-names.ts) from what commit records.
import { INDEXER_DEFAULTS } from '../../../../shared/settings.ts';
import { stat } from 'node:fs/promises';
import type { AnalysedFace, Box, PhotoAnalysis } from '../../face/types.ts';
import { readPhotoRegions, sidecarsOf, type FaceRegion } from '../../metadata/xmp-regions.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Photo } from '../catalog/rows.ts';
import type { NewRegion } from '../catalog/xmp-store.ts';
import type { PhotoAnalyser } from './analyser.ts';
import { boxIoU } from './match-faces.ts';

export interface RegionImport {
  /** One per region read; `faceIndex` points into the analysis' faces (null: no face could be tied to it). */
  regions: (Omit<NewRegion, 'faceId'> & { faceIndex: number | null })[];
  problems: { path: string; code: string; message: string }[];
  /** Files read (the photo and its sidecars): their earlier problems are replaced by these. */
  readPaths: string[];
}

const toPixels = (r: FaceRegion, a: PhotoAnalysis): Box => ({ x: r.box.x * a.width, y: r.box.y * a.height, width: r.box.width * a.width, height: r.box.height * a.height });

/** Share of the smaller box covered by the other: a loose region around a detected face still covers most of it. */
function coverOfSmaller(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / Math.min(a.width * a.height, b.width * b.height) : 0;
}

/**
 * Adds manual faces to `analysis.faces` for regions that match no detected face: every named one, and an unnamed
 * one (a face someone marked in another tool without naming it yet) unless it lies over a face already there
 * (half of the smaller box or more): that one is the same face, boxed differently, not a second face.
 */
export async function importRegions(analyser: PhotoAnalyser, file: string, analysis: PhotoAnalysis, companions: string[] = []): Promise<RegionImport> {
  const read = await readPhotoRegions(file, analysis, companions);
  const problems: RegionImport['problems'] = read.problems.map((p) => ({ path: p.source, code: p.code, message: p.message }));
  const readPaths = [...new Set([file, ...read.regions.map((r) => r.source), ...read.problems.map((p) => p.source)])];
  const boxes = read.regions.map((r) => toPixels(r, analysis));

  // Greedy one-to-one pairing by descending IoU, as for re-detected faces.
  const pairs: { i: number; j: number; iou: number }[] = [];
  boxes.forEach((b, i) => analysis.faces.forEach((f, j) => {
    const iou = boxIoU(b, f.box);
    if (iou >= INDEXER_DEFAULTS.xmpRegionMinIoU) pairs.push({ i, j, iou });
  }));
  pairs.sort((p, q) => q.iou - p.iou || p.i - q.i);
  const faceIndex: (number | null)[] = boxes.map(() => null);
  const taken = new Set<number>();
  for (const { i, j } of pairs) {
    if (faceIndex[i] !== null || taken.has(j)) continue;
    faceIndex[i] = j;
    taken.add(j);
  }

  const overlapsAFace = (b: Box): boolean => analysis.faces.some((f) => coverOfSmaller(b, f.box) >= INDEXER_DEFAULTS.xmpUnnamedRegionMaxCover);
  const missing = read.regions.map((r, i) => (faceIndex[i] === null && (r.name || !overlapsAFace(boxes[i])) ? i : -1)).filter((i) => i >= 0);
  if (missing.length) {
    try {
      const manual = await analyser.analysePhoto(file, { manualBoxes: missing.map((i) => boxes[i]) });
      missing.forEach((i, k) => {
        if (!manual.faces[k]) return;
        faceIndex[i] = analysis.faces.length;
        analysis.faces.push(manual.faces[k]);
      });
    } catch (err) {
      problems.push({ path: file, code: 'MANUAL_FACE_FAILED', message: `faces for ${missing.length} region(s) no detection matched could not be embedded: ${(err as Error).message}` });
    }
  }
  return {
    regions: read.regions.map((r, i) => ({
      faceIndex: faceIndex[i],
      source: r.source,
      format: r.format,
      name: r.name,
      box: r.box,
      status: r.name ? 'pending' : 'unnamed',
      message: r.name && faceIndex[i] === null ? 'no face could be embedded from this region' : null,
    })),
    problems,
    readPaths,
  };
}

/**
 * A photo whose content did not change but whose sidecar did (names added in digiKam or Lightroom after it was
 * indexed): its regions are read again and tied to its stored faces, new manual faces added; not re-analysed.
 * Returns whether the sidecars were newer than the last reading.
 */
export async function refreshRegions(catalog: Catalog, analyser: PhotoAnalyser, photo: Photo, companions: string[] = []): Promise<boolean> {
  const sidecars = sidecarsOf(photo.path, companions);
  if (!sidecars.length || photo.status !== 'ok' || !photo.width || !photo.height) return false;
  const lastRead = catalog.xmp.lastReadAt(photo.id) ?? photo.indexedAt;
  const newest = Math.max(...(await Promise.all(sidecars.map((f) => stat(f).then((st) => st.mtimeMs, () => 0)))));
  if (newest <= lastRead) return false;
  const stored = catalog.faces.ofPhoto(photo.id);
  // Matching needs boxes only; manual faces for unmatched regions are appended by importRegions.
  const analysis = { width: photo.width, height: photo.height, orientation: photo.orientation ?? 1, faces: stored as unknown as AnalysedFace[], detectorId: photo.detectorId ?? '' } satisfies PhotoAnalysis;
  const faces = [...analysis.faces];
  const read = await importRegions(analyser, photo.path, { ...analysis, faces }, companions);
  catalog.transaction(() => {
    const ids = faces.map((f, i) => (i < stored.length ? stored[i].id : catalog.faces.insert(photo.id, f, analysis.detectorId)));
    catalog.xmp.replaceRegions(photo.id, read.regions.map(({ faceIndex, ...region }) => ({ ...region, faceId: faceIndex === null ? null : ids[faceIndex] ?? null })));
    catalog.xmp.replaceProblems(read.readPaths, read.problems);
  });
  return true;
}
