// A catalog's content in a form two catalogs can be compared by: ids left out, faces keyed by content,
// and copies of one content grouped (which copy holds the faces may depend on timing).
import { sqlOf } from '../../helpers/sql.ts';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Catalog } from '../../../main/engine/library/catalog/catalog.ts';

export interface CatalogContent {
  /** One entry per content hash of live photos: all its paths and its faces. */
  contents: { hash: string; paths: string[]; faces: string[] }[];
  failed: { path: string; code: string }[];
  /** Face rows in the whole file (live or retired photos): catches duplicated faces. */
  faceRows: number;
  /** Live rows of photos ('ok' or 'duplicate'). */
  photoRows: number;
  retired: number;
}

/** Paths are made relative to `base` so catalogs of two copies of a library compare equal. */
export function catalogContent(catalog: Catalog, base: string): CatalogContent {
  const rel = (p: string): string => path.relative(base, p);
  const all = catalog.photos.list();
  const groups = new Map<string, { hash: string; paths: string[]; faces: string[] }>();
  for (const p of all.filter((x) => x.status === 'ok' || x.status === 'duplicate')) {
    const g = groups.get(p.contentHash!) ?? { hash: p.contentHash!, paths: [], faces: [] };
    groups.set(p.contentHash!, g);
    g.paths.push(rel(p.path));
    for (const f of catalog.faces.ofPhoto(p.id)) {
      // A face: its box to a tenth of a pixel and a digest of its embedding rounded to 1e-4.
      const e = createHash('sha1').update(Array.from(f.embedding, (v) => v.toFixed(4)).join(',')).digest('hex').slice(0, 12);
      g.faces.push(`${f.box.x.toFixed(1)},${f.box.y.toFixed(1)},${f.box.width.toFixed(1)},${f.box.height.toFixed(1)}:${f.modelId}:${e}`);
    }
  }
  const contents = [...groups.values()].map((g) => ({ ...g, paths: g.paths.sort(), faces: g.faces.sort() })).sort((a, b) => (a.paths[0] < b.paths[0] ? -1 : 1));
  const failed = all.filter((p) => p.status === 'failed').map((p) => ({ path: rel(p.path), code: p.errorCode! })).sort((a, b) => (a.path < b.path ? -1 : 1));
  const faceRows = (sqlOf(catalog).prepare('SELECT COUNT(*) AS n FROM faces').get() as { n: number }).n;
  const photoRows = all.filter((p) => p.status === 'ok' || p.status === 'duplicate').length;
  return { contents, failed, faceRows, photoRows, retired: all.filter((p) => p.status === 'retired').length };
}
