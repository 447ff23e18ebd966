// A PeopleService in the space of the model's adopted adapter, if any: what every caller should use.
import type { Catalog } from '../library/catalog/catalog.ts';
import { adoptedTransform } from './adapter-transform.ts';
import { PeopleService, type PeopleOptions } from './service.ts';

export async function openPeople(catalog: Catalog, modelId: string, opts: Omit<PeopleOptions, 'modelId' | 'transform'> = {}): Promise<PeopleService> {
  return new PeopleService(catalog, { ...opts, modelId, transform: await adoptedTransform(catalog, modelId) });
}
