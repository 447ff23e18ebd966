// Personalisation on the user's own library: train an adapter on the faces the user confirmed (named,
// merged, moved), keep it with its report in the catalog, and adopt it only when the guardrail says
// held-out accuracy improved. Adopting re-groups people in the adapter's space; decisions stay.
import type { Catalog } from '../library/catalog/catalog.ts';
import { initBackend } from '../face/backend.ts';
import { serializeAdapter } from './adapter.ts';
import { trainAndEvaluate, type GuardrailReport } from './guardrail.ts';
import type { TrainHooks, TrainOptions } from './train-adapter.ts';

export interface LibraryTrainResult {
  adapterId: number;
  adopted: boolean;
  report: GuardrailReport;
  people: number;
  faces: number;
  seconds: number;
}

/** Confirmed faces with their person as label; unconfirmed faces join as unlabelled negatives. */
export function confirmedFaces(catalog: Catalog, modelId: string): { vectors: Float32Array; dim: number; labels: (string | null)[] } {
  const rows = catalog.faces.liveEmbeddingsWithPeople(modelId);
  if (!rows.faceIds.length) throw new Error(`no faces of model ${modelId} in the catalog`);
  const { vectors, dim } = rows;
  return { vectors, dim, labels: rows.personIds.map((p, i) => (rows.sources[i] === 'user' && p !== null ? `person-${p}` : null)) };
}

export async function trainOnLibrary(
  catalog: Catalog, modelId: string, options: Partial<TrainOptions> = {}, hooks: TrainHooks = {},
): Promise<LibraryTrainResult> {
  await initBackend();
  const started = performance.now();
  const data = confirmedFaces(catalog, modelId);
  const people = new Set(data.labels.filter(Boolean)).size;
  const faces = data.labels.filter(Boolean).length;
  if (people < 2) throw new Error(`training needs confirmed faces of at least two people (found ${people}): name or merge people first`);
  const result = await trainAndEvaluate(data, { ...options, embeddingModelId: modelId }, hooks);
  const serialized = serializeAdapter(result.adapter);
  const adapterId = catalog.adapters.save({
    modelId, loss: result.adapter.meta.loss, weights: serialized.weights,
    metrics: { meta: serialized.meta, report: result.report as unknown as Record<string, unknown> },
  });
  if (result.adopted) catalog.adapters.adopt(modelId, adapterId);
  return { adapterId, adopted: result.adopted, report: result.report, people, faces, seconds: (performance.now() - started) / 1000 };
}
