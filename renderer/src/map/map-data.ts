// Loads the face map through the API: the header, then every page of packed typed arrays, decoded and
// validated (shared/map-pages.ts) into one set of typed arrays the renderers draw from.
import type { FaceMap, ProjectionMethod } from '../../../shared/api.ts';
import { unpackMapPage } from '../../../shared/map-pages.ts';
import type { ApiClient } from '../../../shared/rpc.ts';

export interface MapData {
  header: FaceMap;
  n: number;
  faceIds: Uint32Array;
  photoIds: Uint32Array;
  /** 0 = unassigned. */
  personIds: Uint32Array;
  /** x, y per face. */
  xy: Float32Array;
}

export async function loadFaceMap(api: ApiClient, method: ProjectionMethod): Promise<MapData> {
  const header = await api.call('map.get', { method });
  const n = header.total;
  const data: MapData = { header, n, faceIds: new Uint32Array(n), photoIds: new Uint32Array(n), personIds: new Uint32Array(n), xy: new Float32Array(2 * n) };
  const offsets: number[] = [];
  for (let offset = 0; offset < n; offset += header.pageFaces) offsets.push(offset);
  // Pages in parallel: each is an independent slice of the snapshot.
  await Promise.all(offsets.map(async (offset) => {
    const page = await api.call('map.page', { snapshot: header.snapshot, offset });
    if (page.offset !== offset || page.count !== Math.min(header.pageFaces, n - offset)) throw new Error(`map page at ${offset} has ${page.count} faces`);
    const arrays = unpackMapPage(page, page.count);
    data.faceIds.set(arrays.faceIds, offset);
    data.photoIds.set(arrays.photoIds, offset);
    data.personIds.set(arrays.personIds, offset);
    data.xy.set(arrays.xy, 2 * offset);
  }));
  return data;
}
