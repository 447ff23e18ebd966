// Applies what was learnt about one file to the catalog in one transaction. Photo identity follows
// content: faces, names and decisions stay with a content hash across renames, moves and duplicates.
import path from 'node:path';
import { statSync } from 'node:fs';
import type { Catalog, PhotoFile, PhotoMeta } from '../catalog/catalog.ts';
import type { Photo } from '../catalog/rows.ts';
import type { PhotoAnalysis } from '../../face/types.ts';
import { INDEXER_DEFAULTS } from './constants.ts';
import { matchReDetectedFaces } from './match-faces.ts';
import type { RegionImport } from './xmp-import.ts';

/** Records the regions read with the photo's faces, in the photo's transaction, so names wait safely to be applied. */
function recordRegions(catalog: Catalog, photoId: number, faceIds: number[], r: Analysed['regions']): void {
  if (!r) return;
  catalog.xmp.replaceRegions(photoId, r.regions.map(({ faceIndex, ...region }) => ({ ...region, faceId: faceIndex === null ? null : faceIds[faceIndex] ?? null })));
  catalog.xmp.replaceProblems(r.readPaths, r.problems);
}

export interface Analysed {
  kind: 'analysed';
  analysis: PhotoAnalysis;
  modelId: string;
  takenAt: number | null;
  /** Face regions read from XMP, tied to faces of `analysis` (absent when XMP is not read). */
  regions?: RegionImport;
}

export interface Failure {
  kind: 'failure';
  code: string;
  message: string;
}

export type FileOutcome =
  | 'unchanged' // nothing to do
  | 'touched' // same content, new mtime
  | 'added' // new content, analysed
  | 'updated' // changed content (or another model), analysed again in place
  | 'moved' // known content at a new path (the old path is gone)
  | 'revived' // content of a retired photo is back
  | 'duplicate' // same content as another live photo: recorded, not analysed again
  | 'failed';

export interface CommitResult {
  outcome: FileOutcome | 'needs-analysis';
  photoId?: number;
  /** Faces written by this commit (added or re-analysed photos). */
  faces?: number;
}

/** A file still holds what the row recorded (same size and mtime). */
function fileMatches(p: Photo): boolean {
  try {
    const st = statSync(p.path);
    return st.isFile() && st.size === p.size && st.mtimeMs === p.mtimeMs;
  } catch {
    return false;
  }
}

/**
 * The content a live row stood for has left its path. An analysed photo moves to one of its
 * duplicates if one still exists (its faces follow the content), else it stays for the caller to
 * reuse in place or retire. Rows without work of their own are dropped.
 */
function detach(catalog: Catalog, live: Photo): Photo | null {
  if (live.status !== 'ok') {
    catalog.photos.delete(live.id);
    return null;
  }
  const heir = catalog.photos.duplicatesOf(live.id).find(fileMatches);
  if (heir) {
    catalog.photos.delete(heir.id);
    catalog.photos.updateFile(live.id, { rootId: heir.rootId, path: heir.path, size: heir.size, mtimeMs: heir.mtimeMs });
    return null;
  }
  return live;
}

/** A file that is gone: its photo is retired (or moves to a surviving duplicate); failures and duplicate paths are dropped. */
export function retireMissing(catalog: Catalog, live: Photo): 'retired' | 'moved' | 'dropped' {
  return catalog.transaction(() => {
    if (live.status !== 'ok') {
      catalog.photos.delete(live.id);
      return 'dropped' as const;
    }
    const kept = detach(catalog, live);
    if (!kept) return 'moved' as const;
    catalog.photos.retire(kept.id);
    return 'retired' as const;
  });
}

function replaceInPlace(catalog: Catalog, photo: Photo, file: PhotoFile, hash: string, result: Analysed): CommitResult {
  const old = catalog.faces.ofPhoto(photo.id);
  const keep = matchReDetectedFaces(old, result.analysis.faces, { minIoU: INDEXER_DEFAULTS.sameFaceIoU, maxDistance: INDEXER_DEFAULTS.sameFaceMaxDistance });
  const meta = toMeta(hash, result);
  const removed = new Set(old.map((f) => f.id).filter((id) => !keep.includes(id)));
  // Faces that carried user work (a name, a rejection, or the face itself, drawn by hand) and were not found
  // again: write down what is lost, never silently.
  const lost = old
    .filter((f) => removed.has(f.id))
    .map((f) => ({ face: f, assignment: catalog.people.assignment(f.id), constraints: catalog.people.constraintsOfFace(f.id) }))
    .filter((x) => x.face.source === 'manual' || x.assignment?.source === 'user' || x.constraints.length > 0);
  if (lost.length > 0) {
    const drawn = lost.filter((x) => x.face.source === 'manual').length;
    const what = [lost.length - drawn && `${lost.length - drawn} named face${lost.length - drawn === 1 ? '' : 's'}`, drawn && `${drawn} face${drawn === 1 ? '' : 's'} you drew`].filter(Boolean).join(' and ');
    catalog.decisions.log('reindex-removed-faces', {
      summary: `${path.basename(file.path)} changed and was read again: ${what} no longer found (cannot be undone)`,
      photoId: photo.id,
      path: file.path,
      faces: lost.map((x) => ({ faceId: x.face.id, box: x.face.box, drawn: x.face.source === 'manual', assignment: x.assignment ?? null, constraints: x.constraints })),
    });
  }
  const { faceIds } = catalog.photos.replaceAnalysis(photo.id, file, meta, { detectorId: result.analysis.detectorId, modelId: result.modelId, faces: result.analysis.faces }, keep);
  recordRegions(catalog, photo.id, faceIds, result.regions);
  return { outcome: 'updated', photoId: photo.id, faces: faceIds.length };
}

function toMeta(hash: string, r: Analysed): PhotoMeta {
  return { contentHash: hash, width: r.analysis.width, height: r.analysis.height, orientation: r.analysis.orientation, takenAt: r.takenAt };
}

/**
 * Records the file at `file.path` with content `hash`. With `result` null it only settles what needs
 * no analysis (unchanged, touched, moved, revived, duplicate) and otherwise returns 'needs-analysis'
 * without writing anything. `modelId` is the engine's: analysed photos of another model are re-read.
 */
export function commitFile(catalog: Catalog, file: PhotoFile, hash: string, modelId: string, result: Analysed | Failure | null): CommitResult {
  return catalog.redoableTransaction((): CommitResult => {
    const live = catalog.photos.liveByPath(file.path);
    if (live && live.contentHash === hash && live.status !== 'failed') {
      const stale = live.status === 'ok' && live.modelId !== modelId;
      if (!stale) {
        if (live.size === file.size && live.mtimeMs === file.mtimeMs && live.rootId === file.rootId) return { outcome: 'unchanged', photoId: live.id };
        catalog.photos.updateFile(live.id, file);
        return { outcome: 'touched', photoId: live.id };
      }
      if (!result) return { outcome: 'needs-analysis' };
      if (result.kind === 'failure') {
        // Readable before, unreadable now with the same bytes (e.g. a decoder limit changed): keep the work, report it.
        return { outcome: 'failed', photoId: live.id };
      }
      return replaceInPlace(catalog, live, file, hash, result);
    }

    const canonical = catalog.photos.canonicalByHash(hash);
    if (!canonical && !result) return { outcome: 'needs-analysis' };
    if (!canonical && result?.kind === 'failure' && live?.status === 'failed') {
      return { outcome: 'failed', photoId: catalog.photos.recordFailure(file, hash, result.code, result.message) };
    }

    // The content at this path has changed: free the path from its previous owner.
    const inPlace = live ? detach(catalog, live) : null;

    if (canonical) {
      if (inPlace) catalog.photos.retire(inPlace.id);
      if (canonical.status === 'retired') {
        catalog.photos.revive(canonical.id, file);
        return { outcome: 'revived', photoId: canonical.id };
      }
      if (!fileMatches(canonical)) {
        catalog.photos.updateFile(canonical.id, file);
        return { outcome: 'moved', photoId: canonical.id };
      }
      return { outcome: 'duplicate', photoId: catalog.photos.insertDuplicate(file, hash, canonical.id) };
    }

    if (result!.kind === 'failure') {
      if (inPlace) catalog.photos.retire(inPlace.id);
      return { outcome: 'failed', photoId: catalog.photos.recordFailure(file, hash, result!.code, result!.message) };
    }
    const analysed = result as Analysed;
    if (inPlace) return replaceInPlace(catalog, inPlace, file, hash, analysed);
    const { photoId, faceIds } = catalog.photos.insertAnalysed(file, toMeta(hash, analysed), {
      detectorId: analysed.analysis.detectorId,
      modelId: analysed.modelId,
      faces: analysed.analysis.faces,
    });
    recordRegions(catalog, photoId, faceIds, analysed.regions);
    return { outcome: 'added', photoId, faces: faceIds.length };
  });
}

/** Records a file that failed before its content could be read (empty, unreadable, broken link...). */
export function commitUnreadable(catalog: Catalog, file: PhotoFile, code: string, message: string): CommitResult {
  return catalog.redoableTransaction((): CommitResult => {
    const live = catalog.photos.liveByPath(file.path);
    if (live && live.status !== 'failed') {
      const kept = detach(catalog, live);
      if (kept) catalog.photos.retire(kept.id);
    }
    return { outcome: 'failed', photoId: catalog.photos.recordFailure(file, null, code, message) };
  });
}

