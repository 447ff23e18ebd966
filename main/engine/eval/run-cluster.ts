// `face-atlas eval cluster`: index the roots into a catalog, group faces into people with the default
// settings, and score the main face of each labelled image (ROOT/<identity>/<image>) against its identity.
// Undetected faces are misses: each counts as a cluster of its own. Group photos are indexed as distractors.
// Identities under a distractor root are strangers: their faces are scored too, and a stranger whose face
// lands in the group of a known identity (one from a plain root) counts as absorbed.
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
  /** People the app would show: groups of at least minFaces faces, labelled or not. */
  peopleShown: number;
  /** Labelled faces of distractor identities, and how many sit in a group holding a known identity's face. */
  strangers: { identities: number; faces: number; absorbed: number; absorbedFraction: number };
  threshold: number;
  pairThreshold: number;
  minFaces: number;
  roots: string[];
  distractors: string[];
  modelId: string;
  /** Indexing (nothing to do when a kept catalog is up to date) and grouping alone. */
  indexSeconds: number;
  clusterSeconds: number;
  seconds: number;
}

export interface ClusterEvalOptions extends PeopleOptions {
  onProgress?: (done: number, total: number) => void;
  /** Index into this catalog and keep it: a later run with the same roots only re-groups (cheap). */
  keepDb?: string;
  /** Identity-folder roots whose identities count as strangers. */
  distractors?: string[];
}

export class ClusterEvalError extends Error {}

export async function runClusterEval(engine: FaceEngine, roots: string | string[], opts: ClusterEvalOptions = {}): Promise<ClusterEvalReport> {
  const started = performance.now();
  const known = (Array.isArray(roots) ? roots : [roots]).map((r) => path.resolve(r));
  const distractors = (opts.distractors ?? []).map((r) => path.resolve(r));
  const all = [...known, ...distractors];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'face-atlas-eval-'));
  const catalog = new Catalog(opts.keepDb ? path.resolve(opts.keepDb) : path.join(dir, 'catalog.db'));
  try {
    // A kept catalog of other roots would mix their faces into the grouping: refuse instead of scoring that.
    const others = catalog.roots.all().map((r) => r.path).filter((p) => !all.includes(p));
    if (others.length) throw new ClusterEvalError(`${opts.keepDb} also holds ${others.join(', ')}: use one kept catalog per set of roots`);
    const indexer = new Indexer({ catalog, analyser: engine });
    indexer.on('progress', (p) => opts.onProgress?.(p.done, p.total));
    await indexer.run(all);
    const indexSeconds = (performance.now() - started) / 1000;
    const grouping = performance.now();
    const people = new PeopleService(catalog, { modelId: engine.modelId, ...opts });
    const { people: peopleShown } = people.recluster();
    const clusterSeconds = (performance.now() - grouping) / 1000;

    const truth: string[] = [];
    const predicted: number[] = [];
    const isStranger: boolean[] = [];
    let missed = 0;
    let singleton = -2;
    for (const root of all) {
      for (const [identity, files] of listIdentities(root)) {
        for (const file of files) {
          const photo = catalog.photos.liveByPath(path.join(root, identity, file));
          const faces = photo ? catalog.faces.ofPhoto(photo.id) : [];
          const m = photo ? mainFaceIndex(faces, photo.width ?? 0, photo.height ?? 0) : -1;
          truth.push(identity);
          isStranger.push(distractors.includes(root));
          if (m < 0) {
            missed++;
            predicted.push(singleton--);
            continue;
          }
          predicted.push(catalog.people.assignment(faces[m].id)?.personId ?? singleton--);
        }
      }
    }
    const knownPeople = new Set(predicted.filter((p, i) => p >= 0 && !isStranger[i]));
    const strangerFaces = isStranger.filter(Boolean).length;
    const absorbed = predicted.filter((p, i) => isStranger[i] && knownPeople.has(p)).length;
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
      peopleShown,
      strangers: {
        identities: new Set(truth.filter((_, i) => isStranger[i])).size,
        faces: strangerFaces,
        absorbed,
        absorbedFraction: strangerFaces ? absorbed / strangerFaces : 0,
      },
      threshold: people.threshold,
      pairThreshold: people.pairThreshold,
      minFaces: people.minFaces,
      roots: known,
      distractors,
      modelId: engine.modelId,
      indexSeconds,
      clusterSeconds,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
