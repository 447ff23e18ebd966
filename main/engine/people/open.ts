// A PeopleService in the space of the model's adopted adapter, if any: what every caller should use.
import path from 'node:path';
import type { Catalog } from '../library/catalog/catalog.ts';
import { adoptedTransform } from './adapter-transform.ts';
import { PeopleService, type PeopleOptions } from './service.ts';

export interface OpenPeopleOptions extends Omit<PeopleOptions, 'modelId' | 'transform' | 'adapterId' | 'personIndexFile'> {
  /** The folder the person index is kept in (one file per model and adapter); absent: not kept. */
  personIndexDir?: string;
}

export async function openPeople(catalog: Catalog, modelId: string, opts: OpenPeopleOptions = {}): Promise<PeopleService> {
  const { personIndexDir, ...rest } = opts;
  const adapterId = catalog.adapters.adopted(modelId)?.id;
  const space = `${modelId}-${adapterId === undefined ? 'model' : `adapter${adapterId}`}`.replace(/[^\w.-]/g, '_');
  return new PeopleService(catalog, {
    ...rest, modelId, transform: await adoptedTransform(catalog, modelId), adapterId,
    ...(personIndexDir && catalog.file !== ':memory:' ? { personIndexFile: path.join(personIndexDir, `${space}.index`) } : {}),
  });
}
