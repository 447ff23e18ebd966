// The embedder contract: aligned face crops in, L2-normalised vectors out, tagged with the model id.
import type { FivePoints } from '../types.ts';

export interface Embedder {
  /** Stable id stored with every embedding; embeddings of different ids are never compared. */
  readonly modelId: string;
  readonly dim: number;
  /** Crop side in pixels and the five-point template (in crop coordinates) the crops must be aligned to. */
  readonly inputSize: number;
  readonly template: FivePoints;
  /** crops: size x size x 3 RGB in 0..255 (HWC). Returns one unit vector per crop. */
  embed(crops: Float32Array[]): Promise<Float32Array[]>;
  dispose(): void;
}
