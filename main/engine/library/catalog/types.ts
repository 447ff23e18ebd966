// What the indexer hands the catalog for one photo.
import type { AnalysedFace } from '../../face/types.ts';

/** Where a file is and what the file system says about it; the key of incremental indexing. */
export interface PhotoFile {
  rootId: number | null;
  path: string;
  size: number;
  mtimeMs: number;
}

/** What was read from the file besides faces. */
export interface PhotoMeta {
  contentHash: string;
  width: number;
  height: number;
  orientation: number;
  takenAt: number | null;
}

export interface FaceSet {
  detectorId: string;
  modelId: string;
  faces: AnalysedFace[];
}
