// A people job as a new process runs it: a fresh catalog connection and people service (its person index kept
// in `indexDir`, as the library keeps it), assigning some faces.
import { Catalog } from '../../main/engine/library/catalog/catalog.ts';
import { openPeople } from '../../main/engine/people/open.ts';

/** Where the person index came from (file, catalog), and each face's person afterwards. */
export async function assignFresh(file: string, modelId: string, indexDir: string, faceIds: number[]): Promise<{ source: string | undefined; personOf: (number | null)[] }> {
  const catalog = new Catalog(file);
  try {
    const people = await openPeople(catalog, modelId, { personIndexDir: indexDir });
    people.assignNew(faceIds);
    return { source: people.personIndexRefresh()?.source, personOf: faceIds.map((id) => catalog.people.assignment(id)?.personId ?? null) };
  } finally {
    catalog.close();
  }
}
