// Picks the fastest tfjs backend present at run time: tfjs-node-gpu, tfjs-node, wasm (SIMD), then cpu.
// tfjs-node and tfjs-node-gpu are optional dependencies: they install only where libtensorflow can be downloaded.
// The face networks themselves run on ONNX Runtime when it loads (nets.ts); tfjs then does the glue ops
// (pyramid resizes, crops), training and the face-api baseline.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NetReport } from './nets.ts';

const require = createRequire(import.meta.url);

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  name: BackendName;
  /** The tfjs backend name actually active ('tensorflow' for both native packages). */
  tfBackend: string;
  simd: boolean;
  threads: number;
  tried: { name: BackendName; error?: string }[];
  /** Where each face network runs and why (set by the engine's workers once their models are loaded). */
  nets?: NetReport[];
}

let active: BackendInfo | null = null;

async function tryNative(pkg: string): Promise<void> {
  // The native packages register the 'tensorflow' backend on import.
  require(pkg);
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} did not register the tensorflow backend`);
}

async function tryWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(dir + path.sep);
  // In Node the wasm backend runs single-threaded; parallelism comes from our worker pool.
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
}

/**
 * Initialises tfjs once per thread with the first backend that works, or with `prefer` when given
 * (FACE_ATLAS_BACKEND overrides both, for benchmarks and tests).
 */
export async function initBackend(prefer?: BackendName): Promise<BackendInfo> {
  if (active) return active;
  // FACE_ATLAS_BACKEND=onnxruntime names where the networks run (nets.ts), not a tfjs backend.
  const env = process.env.FACE_ATLAS_BACKEND;
  const forced = (env && env !== 'onnxruntime' ? (env as BackendName) : undefined) ?? prefer;
  const order = forced ? [forced] : BACKEND_ORDER;
  const tried: BackendInfo['tried'] = [];
  for (const name of order) {
    try {
      if (name === 'tensorflow-gpu') await tryNative('@tensorflow/tfjs-node-gpu');
      else if (name === 'tensorflow') await tryNative('@tensorflow/tfjs-node');
      else if (name === 'wasm') await tryWasm();
      else if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed');
      await tf.ready();
      tried.push({ name });
      const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
      active = { name, tfBackend: tf.getBackend(), simd, threads: 1, tried };
      return active;
    } catch (err) {
      tried.push({ name, error: (err as Error).message.split('\n')[0] });
    }
  }
  throw new Error(`no tfjs backend could be initialised: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
}

export function activeBackend(): BackendInfo | null {
  return active;
}

export { tf };
