// On-disk cache of computed maps: <cacheDir>/maps/<key>.bin (coordinates) + <key>.json (header), keyed by everything the map depends on.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProjectionMethod } from './projector.ts';

const FORMAT_VERSION = 1;

export interface MapCacheKeyParts {
  method: ProjectionMethod;
  seed: number;
  /** Embedding model id: maps of different models never share an entry. */
  modelId: string;
  /** Trained adapter id, or null/undefined for raw embeddings ('none' in the key). */
  adapterId?: string | null;
  /** Catalog ids of the faces in the map, in the order of the coordinates; the key uses the sorted set. */
  faceIds: ArrayLike<number>;
  /** Every other setting that changes the map (neighbours, perplexity, maxFit...). */
  params?: unknown;
}

interface MapHeader {
  format: number;
  key: string;
  method: ProjectionMethod;
  seed: number;
  modelId: string;
  adapterId: string;
  paramsHash: string;
  count: number;
  byteLength: number;
  createdAt: string;
}

export interface CachedMap {
  /** n x 2, in the order of the `faceIds` passed in. */
  coordinates: Float32Array;
  fromCache: boolean;
  key: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted at every level, so equal settings hash equally. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function paramsHash(params: unknown): string {
  return sha256(stableJson(params ?? {}));
}

/** Positions of the face ids in ascending id order; throws on a repeated id. */
function sortedOrder(faceIds: ArrayLike<number>): Int32Array {
  const order = new Int32Array(faceIds.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => faceIds[a] - faceIds[b]);
  for (let r = 1; r < order.length; r++) {
    if (faceIds[order[r]] === faceIds[order[r - 1]]) throw new Error(`face id ${faceIds[order[r]]} appears twice in a map`);
  }
  return order;
}

/** The cache key: a hash of method, seed, model, adapter ('none'), the sorted face-id set and the params hash. */
export function mapCacheKey(parts: MapCacheKeyParts): string {
  const order = sortedOrder(parts.faceIds);
  const ids: number[] = new Array(order.length);
  for (let r = 0; r < order.length; r++) ids[r] = parts.faceIds[order[r]];
  return sha256(
    stableJson({
      format: FORMAT_VERSION,
      method: parts.method,
      seed: parts.seed,
      modelId: parts.modelId,
      adapterId: parts.adapterId ?? 'none',
      faces: sha256(ids.join(',')),
      params: paramsHash(parts.params),
    }),
  );
}

function mapPaths(cacheDir: string, key: string): { dir: string; bin: string; header: string; ids: string } {
  const dir = path.join(cacheDir, 'maps');
  return { dir, bin: path.join(dir, `${key}.bin`), header: path.join(dir, `${key}.json`), ids: path.join(dir, `${key}.ids`) };
}

/** Everything a map depends on except its face set: maps of one family can be extended face by face. */
export function mapFamilyKey(parts: Omit<MapCacheKeyParts, 'faceIds'>): string {
  return sha256(stableJson({ format: FORMAT_VERSION, method: parts.method, seed: parts.seed, modelId: parts.modelId, adapterId: parts.adapterId ?? 'none', params: paramsHash(parts.params) }));
}

function latestPath(cacheDir: string, family: string): string {
  return path.join(cacheDir, 'maps', `latest-${family}.json`);
}

/** The family's most recently stored map: its face ids ascending and their coordinates (n x 2) in that order. */
export interface StoredFamilyMap {
  faceIds: Float64Array;
  coordinates: Float32Array;
}

/** The last map stored for this family (any face set), or null when none or unreadable. */
export async function latestOfFamily(cacheDir: string, parts: Omit<MapCacheKeyParts, 'faceIds'>): Promise<StoredFamilyMap | null> {
  try {
    const { key } = JSON.parse(await readFile(latestPath(cacheDir, mapFamilyKey(parts)), 'utf8')) as { key: string };
    if (!/^[0-9a-f]{64}$/.test(key)) return null;
    const bytes = await readFile(mapPaths(cacheDir, key).ids);
    const faceIds = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const coordinates = await readStored(cacheDir, key, faceIds.length);
    return coordinates ? { faceIds, coordinates } : null;
  } catch {
    return null;
  }
}

/** Coordinates stored for the key, in sorted-id order, or null when absent or unreadable. */
async function readStored(cacheDir: string, key: string, count: number): Promise<Float32Array | null> {
  const files = mapPaths(cacheDir, key);
  try {
    const header = JSON.parse(await readFile(files.header, 'utf8')) as MapHeader;
    if (header.format !== FORMAT_VERSION || header.key !== key || header.count !== count) return null;
    const bytes = await readFile(files.bin);
    if (bytes.byteLength !== header.byteLength || bytes.byteLength !== count * 2 * 4) return null;
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch {
    return null;
  }
}

/** Writes data then header, each through a temporary file and a rename, so a reader never sees half a map. */
async function writeStored(cacheDir: string, key: string, parts: MapCacheKeyParts, stored: Float32Array, order: Int32Array): Promise<void> {
  const files = mapPaths(cacheDir, key);
  await mkdir(files.dir, { recursive: true });
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  // The sorted face ids, so a later map of this family with a few more faces can keep these positions.
  const ids = new Float64Array(order.length);
  for (let r = 0; r < order.length; r++) ids[r] = parts.faceIds[order[r]];
  await writeFile(files.ids + suffix, Buffer.from(ids.buffer));
  await rename(files.ids + suffix, files.ids);
  await writeFile(files.bin + suffix, Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength));
  await rename(files.bin + suffix, files.bin);
  const header: MapHeader = {
    format: FORMAT_VERSION,
    key,
    method: parts.method,
    seed: parts.seed,
    modelId: parts.modelId,
    adapterId: parts.adapterId ?? 'none',
    paramsHash: paramsHash(parts.params),
    count: parts.faceIds.length,
    byteLength: stored.byteLength,
    createdAt: new Date().toISOString(),
  };
  await writeFile(files.header + suffix, JSON.stringify(header, null, 2));
  await rename(files.header + suffix, files.header);
  const latest = latestPath(cacheDir, mapFamilyKey(parts));
  await writeFile(latest + suffix, JSON.stringify({ key }));
  await rename(latest + suffix, latest);
}

const inFlight = new Map<string, Promise<Float32Array>>();

/**
 * The map for these faces and settings: read from `<cacheDir>/maps` when stored, else `compute()`d
 * (coordinates n x 2 in the order of `faceIds`) and stored. A new face, a removed face, another model,
 * adapter, seed or params change the key, so a stale map is never returned. Concurrent calls for one
 * key share one computation.
 */
export async function getOrCompute(
  cacheDir: string,
  parts: MapCacheKeyParts,
  compute: () => Promise<Float32Array> | Float32Array,
): Promise<CachedMap> {
  const key = mapCacheKey(parts);
  const n = parts.faceIds.length;
  const order = sortedOrder(parts.faceIds);
  let fromCache = true;
  let stored = await readStored(cacheDir, key, n);
  if (stored === null) {
    let pending = inFlight.get(key);
    if (!pending) {
      fromCache = false;
      pending = (async () => {
        const coordinates = await compute();
        if (coordinates.length !== n * 2) throw new Error(`map has ${coordinates.length} values for ${n} faces`);
        const sorted = new Float32Array(n * 2);
        for (let r = 0; r < n; r++) sorted.set(coordinates.subarray(2 * order[r], 2 * order[r] + 2), 2 * r);
        await writeStored(cacheDir, key, parts, sorted, order);
        return sorted;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    stored = await pending;
  }
  const coordinates = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) coordinates.set(stored.subarray(2 * r, 2 * r + 2), 2 * order[r]);
  return { coordinates, fromCache, key };
}
