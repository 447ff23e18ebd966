// Worker thread for the people service's heavy calls (re-clustering, assigning a run's new faces): its own
// connection to the catalog file, so the caller's thread keeps answering while the graph is built.
import { parentPort, workerData } from 'node:worker_threads';
import { Library, type PeopleJob } from '../engine/library/library.ts';
import type { JobMessage } from './worker-job.ts';

export interface PeopleJobData {
  dbFile: string;
  job: PeopleJob;
}

export type PeopleJobResult = { people?: number; assigned: number; unassigned: number; threshold: number };

const data = workerData as PeopleJobData;
const post = (m: JobMessage<never, PeopleJobResult>): void => parentPort!.postMessage(m);
// Its own connection to the catalog file; the library's saved settings and adopted adapter apply as in the caller.
// The catalog is closed before the answer goes out: the caller terminates this thread on the answer, and a
// connection closing during termination (its journal-mode switch may fail with SQLITE_BUSY) aborts the process.
let answer: JobMessage<never, PeopleJobResult>;
const lib = Library.open(data.dbFile);
try {
  answer = { type: 'done', result: await lib.runPeopleJob(data.job) };
} catch (err) {
  answer = { type: 'error', message: (err as Error).message ?? String(err) };
} finally {
  await lib.close();
}
post(answer);
