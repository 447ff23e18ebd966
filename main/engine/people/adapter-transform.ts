// The adopted adapter of an embedding model as a batch transform for the people service: all faces are
// re-projected through it (cheap: one dim x dim product per face) before grouping and suggesting.
import { initBackend } from '../face/backend.ts';
import type { Catalog } from '../library/catalog/catalog.ts';
import { applyAdapter, deserializeAdapter, type Adapter } from '../train/adapter.ts';

export type EmbeddingTransform = (vectors: Float32Array, dim: number) => Float32Array;

/** What the catalog's adapters.metrics JSON holds for a trained head. */
export interface StoredAdapterInfo {
  meta: string;
  report: unknown;
}

export function loadAdapter(catalog: Catalog, adapterId: number): Adapter {
  const row = catalog.adapters.list().find((a) => a.id === adapterId);
  if (!row) throw new Error(`adapter ${adapterId} does not exist`);
  const info = row.metrics as unknown as StoredAdapterInfo;
  return deserializeAdapter({ weights: row.weights, meta: info.meta });
}

/** The transform of the model's adopted adapter, or undefined when none is adopted. */
export async function adoptedTransform(catalog: Catalog, modelId: string): Promise<EmbeddingTransform | undefined> {
  const row = catalog.adapters.adopted(modelId);
  if (!row) return undefined;
  await initBackend();
  const adapter = loadAdapter(catalog, row.id);
  return (vectors) => applyAdapter(vectors, adapter);
}
