// The Map view's data: the engine's library map (main/engine/map/library-map.ts) as the API's parallel
// arrays, with the people's names, and its progress as events.
import type { FaceMap, ProjectionMethod } from '../../shared/api.ts';
import type { Catalog } from '../engine/library/catalog/catalog.ts';
import { libraryMap } from '../engine/map/library-map.ts';
import type { ApiEvents } from './events.ts';

export class FaceMapService {
  constructor(
    private readonly catalog: Catalog,
    private readonly cacheDir: string,
    private readonly events: ApiEvents,
  ) {}

  async get(method: ProjectionMethod, seed: number, modelId: string): Promise<FaceMap> {
    const { faceIds, coordinates, personIds, fromCache } = await libraryMap(this.catalog, this.cacheDir, modelId, method, seed, (fraction) =>
      this.events.emit('map.progress', { method, fraction: Math.min(1, Math.max(0, fraction)) }));
    const people = this.catalog.people.all().map((p) => ({ id: p.id, name: p.name }));
    const x = new Array<number>(faceIds.length);
    const y = new Array<number>(faceIds.length);
    for (let i = 0; i < faceIds.length; i++) {
      x[i] = coordinates[2 * i];
      y[i] = coordinates[2 * i + 1];
    }
    return { method, faceIds, x, y, personIds, people, fromCache };
  }
}
