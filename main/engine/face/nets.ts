// Where each network runs. A network is a float tensor in, float tensors out; it runs on ONNX Runtime (our own
// ONNX export of its weights, multi-threaded native kernels) unless tfjs has a GPU, and on the active tfjs
// backend otherwise or when ONNX Runtime cannot load or run it. Each choice is recorded with its reason for doctor.
import { activeBackend, type BackendName } from './backend.ts';
import { cachedOnnx, defaultModelCacheDir } from './onnx/cache.ts';
import { loadOnnxRuntime, OnnxNet } from './onnx/runtime.ts';

export interface NetOutput {
  data: Float32Array;
  shape: number[];
}

/** One network: an NHWC float batch in, its outputs in the source model's order. */
export interface Net {
  readonly backend: string;
  run(input: Float32Array, shape: number[]): Promise<NetOutput[]>;
  dispose(): void;
}

/** The runtimes a network can run on, in the order they are preferred: tfjs-node-gpu, ONNX Runtime, then the tfjs CPU backends. */
export type NetBackend = 'tensorflow-gpu' | 'onnxruntime' | 'tensorflow' | 'wasm' | 'cpu';

export interface NetReport {
  net: string;
  backend: string;
  reason: string;
}

/** A network the engine can run both ways: its weights (hashed for the ONNX cache), its ONNX export, its tfjs runner. */
export interface NetSource {
  id: string;
  weights(): Uint8Array;
  toOnnx(): Uint8Array;
  tfjs(): Net;
}

export interface NetConfig {
  /** false: run every network on tfjs (a tfjs backend was asked for by name). */
  onnx: boolean;
  /** Where exported ONNX graphs are kept. */
  cacheDir: string;
  /** ONNX Runtime intra-op threads per session. */
  threads: number;
}

let config: NetConfig = { onnx: true, cacheDir: defaultModelCacheDir(), threads: 1 };
const reports = new Map<string, NetReport>();

/** Set once per thread before the models are created (the engine's workers do it from their setup). */
export function configureNets(c: Partial<NetConfig>): void {
  config = { ...config, ...c };
}

/** The tfjs backend named by `choice` or FACE_ATLAS_BACKEND (which then also runs the networks), if any. */
export function tfjsBackendAskedFor(choice?: NetBackend): BackendName | undefined {
  const asked = (choice ?? process.env.FACE_ATLAS_BACKEND) as NetBackend | undefined;
  return asked && asked !== 'onnxruntime' ? asked : undefined;
}

export function netReports(): NetReport[] {
  return [...reports.values()];
}

export async function loadNet(source: NetSource): Promise<Net> {
  const tfBackend = activeBackend();
  if (!tfBackend) throw new Error('initBackend() must run before networks are loaded');
  let why: string;
  if (!config.onnx) why = `tfjs backend ${tfBackend.name} was asked for`;
  else if (tfBackend.name === 'tensorflow-gpu') why = 'tfjs-node-gpu is present and comes before ONNX Runtime (CPU)';
  else {
    try {
      loadOnnxRuntime();
      const { bytes, file, fromCache } = cachedOnnx(config.cacheDir, source.id, source.weights(), source.toOnnx);
      const net = await OnnxNet.create(bytes, config.threads);
      reports.set(source.id, {
        net: source.id, backend: 'onnxruntime',
        reason: `tfjs-node-gpu is not present, so ONNX Runtime comes first: onnxruntime-node CPU execution provider, ${config.threads} intra-op thread(s); graph ${fromCache ? 'read from' : 'exported to'} ${file}`,
      });
      return net;
    } catch (err) {
      why = `ONNX Runtime unavailable: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  const net = source.tfjs();
  reports.set(source.id, { net: source.id, backend: tfBackend.name, reason: why });
  return net;
}
