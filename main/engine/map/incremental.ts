// Extending a stored map with new faces instead of recomputing it: faces the stored map already has keep
// their positions (the map does not jump under the user), new faces go to the weighted median of their
// nearest kept faces (placement.ts, the same placement a sampled fit uses), faces that are gone drop out.
import type { StoredFamilyMap } from './cache.ts';
import { MAP_NEIGHBOURS, MAX_FIT, PLACEMENT_BATCH, PLACEMENT_NEIGHBOURS } from './constants.ts';
import { NeighbourIndex } from '../math/neighbours.ts';
import { placeByNeighbours } from './placement.ts';
import type { ProjectionMethod } from './projector.ts';
import { fitSample } from './sample.ts';
import { startWorker, workerEntry } from '../workers.ts';
import { l2NormalisedRows, selectRows } from '../math/vectors.ts';

/**
 * Above this share of new faces the library has changed enough that a fresh projection is worth its
 * cost (placement only keeps the old layout; it cannot make room for many new identities).
 */
export const INCREMENTAL_MAX_NEW_SHARE = 0.25;

export interface IncrementalPlan {
  /** Rows (in the new face order) the stored map has, and their stored positions (x, y per row). */
  keptRows: Int32Array;
  keptPositions: Float32Array;
  /** Rows that are new and need a place. */
  addedRows: Int32Array;
}

/** Which faces keep their place and which are new, or null when the stored map is too different to extend. */
export function planIncremental(previous: StoredFamilyMap, faceIds: ArrayLike<number>): IncrementalPlan | null {
  const kept: number[] = [];
  const keptPositions: number[] = [];
  const added: number[] = [];
  const ids = previous.faceIds;
  for (let row = 0; row < faceIds.length; row++) {
    const id = faceIds[row];
    let lo = 0;
    let hi = ids.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid] === id) {
        at = mid;
        break;
      }
      if (ids[mid] < id) lo = mid + 1;
      else hi = mid - 1;
    }
    if (at < 0) added.push(row);
    else {
      kept.push(row);
      keptPositions.push(previous.coordinates[2 * at], previous.coordinates[2 * at + 1]);
    }
  }
  if (kept.length < 3 || added.length > INCREMENTAL_MAX_NEW_SHARE * faceIds.length) return null;
  return { keptRows: Int32Array.from(kept), keptPositions: Float32Array.from(keptPositions), addedRows: Int32Array.from(added) };
}

export interface PlacementRequest {
  /** Unnormalised rows: anchors (kept faces) and the queries (new faces) to place among them. */
  anchors: Float32Array;
  anchorPositions: Float32Array;
  anchorCount: number;
  queries: Float32Array;
  queryCount: number;
  dim: number;
  seed: number;
}

/** Positions (x, y per query) of new faces among the anchors: the weighted median of their nearest anchors. */
export function placeAmongAnchors(request: PlacementRequest): Float32Array {
  const { anchorCount, queryCount, dim, seed } = request;
  const anchors = l2NormalisedRows(request.anchors, anchorCount, dim);
  const queries = l2NormalisedRows(request.queries, queryCount, dim);
  const index = new NeighbourIndex(anchors, anchorCount, dim, MAP_NEIGHBOURS, seed);
  const out = new Float32Array(queryCount * 2);
  for (let start = 0; start < queryCount; start += PLACEMENT_BATCH) {
    const count = Math.min(PLACEMENT_BATCH, queryCount - start);
    const graph = index.query(queries.subarray(start * dim, (start + count) * dim), count, PLACEMENT_NEIGHBOURS, queryCount);
    out.set(placeByNeighbours(graph, request.anchorPositions), start * 2);
  }
  return out;
}

/**
 * The whole map (n x 2, in row order) from a plan: kept rows at their stored place, added rows placed
 * among at most MAX_FIT[method] kept faces (a seeded sample, as large as a fit) on a worker thread.
 */
export async function extendMap(vectors: Float32Array, n: number, dim: number, plan: IncrementalPlan, method: ProjectionMethod, seed: number): Promise<Float32Array> {
  const coordinates = new Float32Array(n * 2);
  plan.keptRows.forEach((row, k) => coordinates.set(plan.keptPositions.subarray(2 * k, 2 * k + 2), 2 * row));
  if (plan.addedRows.length === 0) return coordinates;
  const sample = fitSample(plan.keptRows.length, Math.min(plan.keptRows.length, MAX_FIT[method]), seed);
  const anchorRows = Int32Array.from(sample.fitted, (k) => plan.keptRows[k]);
  const anchorPositions = new Float32Array(anchorRows.length * 2);
  sample.fitted.forEach((k, a) => anchorPositions.set(plan.keptPositions.subarray(2 * k, 2 * k + 2), 2 * a));
  const request: PlacementRequest = {
    anchors: selectRows(vectors, dim, anchorRows),
    anchorPositions,
    anchorCount: anchorRows.length,
    queries: selectRows(vectors, dim, plan.addedRows),
    queryCount: plan.addedRows.length,
    dim,
    seed,
  };
  const placed = await placeInWorker(request);
  plan.addedRows.forEach((row, q) => coordinates.set(placed.subarray(2 * q, 2 * q + 2), 2 * row));
  return coordinates;
}

/** placeAmongAnchors on the projection worker (a kNN index over 20k faces is seconds of work). */
function placeInWorker(request: PlacementRequest): Promise<Float32Array> {
  const worker = startWorker(workerEntry('projection-worker', import.meta.url), { place: request }, [request.anchors.buffer as ArrayBuffer, request.queries.buffer as ArrayBuffer]);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void): void => {
      if (!settled) action();
      settled = true;
    };
    worker.on('message', (m: { type: string; coordinates?: Float32Array; message?: string }) => {
      if (m.type === 'done') settle(() => resolve(m.coordinates!));
      else if (m.type === 'error') settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`placement worker exited with code ${code}`))));
  });
}
