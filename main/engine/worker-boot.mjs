// Starts a TypeScript worker from the sources (CLI, tests): registers tsx in this thread, then loads the
// worker module named in workerData. Packaged builds start the compiled worker directly instead.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__entry);
