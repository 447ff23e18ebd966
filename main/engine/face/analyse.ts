// One photo file or buffer to a PhotoAnalysis: decode + the pipeline. Runs inside pool workers.
import { ENGINE_DEFAULTS } from '../../../shared/settings.ts';
import type { BackendInfo } from './backend.ts';
import type { NetBackend } from './nets.ts';
import type { FaceDetector } from './detect/detector.ts';
import type { AnyEmbedder } from './embed/fused.ts';
import { decodePhoto } from './decode.ts';
import type { DetectorId, EmbedderId } from './models.ts';
import { analyseDecoded, type AnalyseOptions } from './pipeline.ts';
import type { PhotoAnalysis } from './types.ts';

export interface WorkerSetup {
  /** Where the networks run: 'onnxruntime' or a tfjs backend by name; unset = the first that works (nets.ts). */
  backend?: NetBackend;
  /** ONNX Runtime intra-op threads per network. */
  threads: number;
  /** Where exported ONNX graphs are cached. */
  modelCacheDir?: string;
  detector: DetectorId;
  embedder: EmbedderId;
}

export interface PhotoAnalyseOptions extends AnalyseOptions {
  maxSide?: number;
  maxInputPixels?: number;
  /** Return the decoded pixels with the analysis (PhotoAnalysis.pixels). */
  keepPixels?: boolean;
}

export interface WorkerRequest {
  id: number;
  input: string | Uint8Array;
  options: PhotoAnalyseOptions;
}

export type WorkerResponse =
  | { id: number; ok: true; result: PhotoAnalysis; backend?: undefined }
  | { id: -1; ok: true; backend: BackendInfo }
  | { id: number; ok: false; error: { name: string; code?: string; message: string } };

export async function analysePhotoFile(
  input: string | Uint8Array, detector: FaceDetector, embedder: AnyEmbedder, options: PhotoAnalyseOptions = {},
): Promise<PhotoAnalysis> {
  const t0 = performance.now();
  const photo = await decodePhoto(input, { maxSide: options.maxSide ?? ENGINE_DEFAULTS.detectMaxSide, maxInputPixels: options.maxInputPixels });
  const timings = { decode: performance.now() - t0, detect: 0, embed: 0 };
  const faces = await analyseDecoded(photo, detector, embedder, options, timings);
  return {
    width: photo.originalWidth,
    height: photo.originalHeight,
    orientation: photo.orientation,
    faces,
    detectorId: detector.id,
    timings,
    ...(options.keepPixels ? { pixels: { data: photo.data, width: photo.width, height: photo.height } } : {}),
  };
}
