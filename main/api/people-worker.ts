// Worker thread for the people service's heavy calls (re-clustering, assigning a run's new faces): its own
// connection to the catalog file, so the caller's thread keeps answering while the graph is built.
import { parentPort, workerData } from 'node:worker_threads';
import { Catalog } from '../engine/library/catalog/catalog.ts';
import { openPeople } from '../engine/people/open.ts';
import type { JobMessage } from './worker-job.ts';

export interface PeopleJobData {
  dbFile: string;
  job: 'recluster' | 'assignNew';
  faceIds?: number[];
  modelId: string;
  options: { threshold?: number; minFaces?: number };
}

export type PeopleJobResult = { people?: number; assigned: number; unassigned: number };

const data = workerData as PeopleJobData;
const post = (m: JobMessage<never, PeopleJobResult>): void => parentPort!.postMessage(m);
const catalog = new Catalog(data.dbFile);
try {
  // In the adopted adapter's space when there is one, as every caller of the people service should.
  const people = await openPeople(catalog, data.modelId, data.options);
  post({ type: 'done', result: data.job === 'recluster' ? people.recluster() : people.assignNew(data.faceIds) });
} catch (err) {
  post({ type: 'error', message: (err as Error).message ?? String(err) });
} finally {
  catalog.close();
}
