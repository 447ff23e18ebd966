// `face-atlas eval cluster`: index ROOT into a temporary catalog, group faces into people with the default
// settings, and score the main face of each labelled image (ROOT/<identity>/<image>) against its identity.
// Undetected faces are misses: each counts as a cluster of its own. Group photos are indexed as distractors.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../library/catalog/catalog.ts';
import { clusteringScores } from '../cluster/metrics.ts';
import type { FaceEngine } from '../face/engine.ts';
import { Indexer } from '../library/indexer/indexer.ts';
import { PeopleService, type PeopleOptions } from '../people/service.ts';
import { mainFaceIndex } from '../face/pipeline.ts';
import { listIdentities } from './verify.ts';

export interface ClusterEvalReport {
  pairwise: { precision: number; recall: number; f1: number };
  bcubed: { precision: number; recall: number; f1: number };
  nmi: number;
  clusters: number;
  identities: number;
  faces: number;
  missed: number;
  indexedFaces: number;
  threshold: number;
  modelId: string;
  seconds: number;
}

export async function runClusterEval(
  engine: FaceEngine, root: string, opts: PeopleOptions & { onProgress?: (done: number, total: number) => void; keepDb?: string } = {},
): Promise<ClusterEvalReport> {
  const started = performance.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-eval-'));
  const catalog = new Catalog(opts.keepDb ?? path.join(dir, 'catalog.db'));
  try {
    const indexer = new Indexer({ catalog, analyser: engine });
    indexer.on('progress', (p) => opts.onProgress?.(p.done, p.total));
    await indexer.run([path.resolve(root)]);
    const people = new PeopleService(catalog, { modelId: engine.modelId, ...opts });
    people.recluster();

    const truth: string[] = [];
    const predicted: number[] = [];
    let missed = 0;
    let singleton = -2;
    for (const [identity, files] of listIdentities(root)) {
      for (const file of files) {
        const photo = catalog.photos.liveByPath(path.resolve(root, identity, file));
        const faces = photo ? catalog.faces.ofPhoto(photo.id) : [];
        const m = photo ? mainFaceIndex(faces, photo.width ?? 0, photo.height ?? 0) : -1;
        truth.push(identity);
        if (m < 0) {
          missed++;
          predicted.push(singleton--);
          continue;
        }
        const personId = catalog.people.assignment(faces[m].id)?.personId;
        predicted.push(personId ?? singleton--);
      }
    }
    const scores = clusteringScores(truth, predicted);
    return {
      pairwise: scores.pairwise,
      bcubed: scores.bcubed,
      nmi: scores.nmi,
      clusters: new Set(predicted).size,
      identities: new Set(truth).size,
      faces: truth.length,
      missed,
      indexedFaces: catalog.stats().faces,
      threshold: people.threshold,
      modelId: engine.modelId,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
