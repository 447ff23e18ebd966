// Exported ONNX graphs on disk: <cacheDir>/onnx/<net>-<hash>.onnx, the hash taken over the source weights and
// the exporter's version, so a graph is exported once per weights and re-exported when either changes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Bump when an exporter's output changes: graphs cached by older code are then exported again. */
export const EXPORTER_VERSION = 4;

/** Used when the caller names no cache folder (FACE_ATLAS_MODEL_CACHE overrides). */
export function defaultModelCacheDir(): string {
  return process.env.FACE_ATLAS_MODEL_CACHE ?? path.join(os.tmpdir(), 'face-atlas-models');
}

export function onnxCacheFile(cacheDir: string, net: string, weights: Uint8Array): string {
  const hash = createHash('sha256').update(`onnx-exporter-${EXPORTER_VERSION}\0${net}\0`).update(weights).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'onnx', `${net}-${hash}.onnx`);
}

/**
 * The ONNX graph of `net`: read from the cache, or exported and written there (atomically: a temporary
 * file renamed into place, so a crash or a second process never leaves a half-written graph).
 * A cache folder that cannot be written still gives the graph, exported in memory.
 */
export function cachedOnnx(cacheDir: string, net: string, weights: Uint8Array, exportGraph: () => Uint8Array): { bytes: Uint8Array; file: string; fromCache: boolean } {
  const file = onnxCacheFile(cacheDir, net, weights);
  if (existsSync(file)) {
    try {
      return { bytes: readFileSync(file), file, fromCache: true };
    } catch {
      // unreadable: export again below
    }
  }
  const bytes = exportGraph();
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch {
    return { bytes, file: '(not cached: folder not writable)', fromCache: false };
  }
  removeOlderGraphs(file, net);
  return { bytes, file, fromCache: false };
}

/** The same net's graphs from other weights or an older exporter (tens of MB each) go once a new one is written. */
function removeOlderGraphs(kept: string, net: string): void {
  const dir = path.dirname(kept);
  for (const name of readdirSync(dir)) {
    if (!/^[0-9a-f]{16}\.onnx$/.test(name.slice(net.length + 1)) || !name.startsWith(`${net}-`) || path.join(dir, name) === kept) continue;
    try {
      unlinkSync(path.join(dir, name));
    } catch {
      // in use or already gone: it is only disk space
    }
  }
}
