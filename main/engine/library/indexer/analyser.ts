// The part of the face engine the indexer needs; FaceEngine (main/engine/face/engine.ts) satisfies it.
import type { PhotoAnalysis } from '../../face/types.ts';
import type { PhotoAnalyseOptions } from '../../face/analyse.ts';

export interface PhotoAnalyser {
  /** Embedding model id; photos analysed with another model are re-read. */
  readonly modelId: string;
  readonly detectorId: string;
  /** Decodes and analyses one photo; throws an error with a string `.code` (ImageError) for unreadable images. */
  analysePhoto(file: string, options?: PhotoAnalyseOptions): Promise<PhotoAnalysis>;
}
