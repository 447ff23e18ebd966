// The Map view's data: the engine's library map (main/engine/map/library-map.ts) as a header and pages of
// packed typed arrays (shared/map-pages.ts), with the people's names, and its progress as events. Each
// map.get makes a snapshot (positions, persons and photos as they are now) that map.page reads from, so
// the pages of one map always agree even when people change between two page calls.
import type { FaceMap, FaceMapPage, ProjectionMethod } from '../../shared/api.ts';
import { MAP_PAGE_FACES, packMapPage } from '../../shared/map-pages.ts';
import { ApiError } from '../../shared/rpc.ts';
import type { Catalog } from '../engine/library/catalog/catalog.ts';
import { libraryMap } from '../engine/map/library-map.ts';
import type { ApiEvents } from './events.ts';

interface Snapshot {
  faceIds: Uint32Array;
  photoIds: Uint32Array;
  personIds: Uint32Array;
  xy: Float32Array;
}

/** Snapshots kept for paging: the current one and the one before (a view may still be reading it). */
const KEPT_SNAPSHOTS = 2;

export class FaceMapService {
  private readonly snapshots = new Map<string, Snapshot>();
  private next = 1;

  constructor(
    private readonly catalog: Catalog,
    private readonly cacheDir: string,
    private readonly events: ApiEvents,
  ) {}

  async get(method: ProjectionMethod, seed: number, modelId: string): Promise<FaceMap> {
    const { faceIds, photoIds, coordinates, personIds, fromCache, placed } = await libraryMap(this.catalog, this.cacheDir, modelId, method, seed, (fraction) =>
      this.events.emit('map.progress', { method, fraction: Math.min(1, Math.max(0, fraction)) }));
    const snapshot: Snapshot = {
      faceIds: Uint32Array.from(faceIds),
      photoIds: Uint32Array.from(photoIds),
      personIds: Uint32Array.from(personIds, (p) => p ?? 0),
      xy: coordinates,
    };
    const id = `${method}-${seed}-${this.next++}`;
    this.snapshots.set(id, snapshot);
    for (const old of [...this.snapshots.keys()].slice(0, -KEPT_SNAPSHOTS)) this.snapshots.delete(old);
    const people = this.catalog.people.all().map((p) => ({ id: p.id, name: p.name }));
    return { method, snapshot: id, total: faceIds.length, pageFaces: MAP_PAGE_FACES, people, fromCache, placed };
  }

  page(snapshotId: string, offset: number): FaceMapPage {
    const s = this.snapshots.get(snapshotId);
    if (!s) throw new ApiError('NOT_FOUND', `map ${snapshotId} is no longer kept: ask map.get again`);
    if (offset > s.faceIds.length || offset % MAP_PAGE_FACES !== 0) throw new ApiError('NOT_FOUND', `no page of map ${snapshotId} starts at ${offset}`);
    const end = Math.min(s.faceIds.length, offset + MAP_PAGE_FACES);
    const packed = packMapPage({
      faceIds: s.faceIds.subarray(offset, end),
      photoIds: s.photoIds.subarray(offset, end),
      personIds: s.personIds.subarray(offset, end),
      xy: s.xy.subarray(2 * offset, 2 * end),
    });
    return { snapshot: snapshotId, offset, count: end - offset, ...packed };
  }
}
