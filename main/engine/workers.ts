// Starts a worker thread from a module beside the caller. From the .ts sources (CLI, tests) the thread
// first registers tsx through worker-boot.mjs, since `execArgv: ['--import', 'tsx']` does not reach a
// worker's entry module on Node 20; compiled builds start the .js entry directly.
import { Worker } from 'node:worker_threads';

export function startWorker(entry: URL, workerData: object, transferList: ArrayBuffer[] = []): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { ...workerData, __entry: entry.href }, transferList });
  }
  return new Worker(entry, { workerData, transferList });
}

/** `name`.ts beside `base` when running from sources, `name`.js when compiled. */
export function workerEntry(name: string, base: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
