// Personalisation on the user's own library: train an adapter on the faces the user confirmed (named,
// merged, moved), keep it with its report in the catalog, and adopt it only when the guardrail says
// held-out accuracy improved. Adopting re-groups people in the adapter's space; decisions stay.
import type { Catalog } from '../library/catalog/catalog.ts';
import { blobToEmbedding } from '../library/catalog/rows.ts';
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
  const rows = catalog.db.prepare(
    `SELECT f.embedding, a.person_id, a.source FROM faces f JOIN photos p ON p.id = f.photo_id AND p.status = 'ok'
       LEFT JOIN assignments a ON a.face_id = f.id WHERE f.model_id = ? ORDER BY f.id`,
  ).all(modelId) as { embedding: Buffer; person_id: number | null; source: string | null }[];
  if (!rows.length) throw new Error(`no faces of model ${modelId} in the catalog`);
  const dim = rows[0].embedding.byteLength / 4;
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => vectors.set(blobToEmbedding(r.embedding), i * dim));
  return { vectors, dim, labels: rows.map((r) => (r.source === 'user' && r.person_id !== null ? `person-${r.person_id}` : null)) };
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
  const adapterId = catalog.saveAdapter({
    modelId, loss: result.adapter.meta.loss, weights: serialized.weights,
    metrics: { meta: serialized.meta, report: result.report as unknown as Record<string, unknown> },
  });
  if (result.adopted) catalog.adoptAdapter(modelId, adapterId);
  return { adapterId, adopted: result.adopted, report: result.report, people, faces, seconds: (performance.now() - started) / 1000 };
}
